from enum import StrEnum


class RotateAutomationInboundSecretResponse200TriggerType(StrEnum):
    ASSET_READY = "asset_ready"
    MANUAL = "manual"
    SCHEDULE = "schedule"
    WEBHOOK = "webhook"

    def __str__(self) -> str:
        return str(self.value)
