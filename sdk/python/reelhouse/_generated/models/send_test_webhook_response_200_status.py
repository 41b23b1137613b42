from enum import StrEnum


class SendTestWebhookResponse200Status(StrEnum):
    DEAD = "dead"
    PENDING = "pending"
    SUCCEEDED = "succeeded"

    def __str__(self) -> str:
        return str(self.value)
