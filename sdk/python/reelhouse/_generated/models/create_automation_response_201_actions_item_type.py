from enum import StrEnum


class CreateAutomationResponse201ActionsItemType(StrEnum):
    RENDER = "render"
    WEBHOOK = "webhook"

    def __str__(self) -> str:
        return str(self.value)
