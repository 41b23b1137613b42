from enum import StrEnum


class UpdateAutomationResponse200ActionsItemType(StrEnum):
    RENDER = "render"
    WEBHOOK = "webhook"

    def __str__(self) -> str:
        return str(self.value)
