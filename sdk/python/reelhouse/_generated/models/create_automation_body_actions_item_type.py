from enum import StrEnum


class CreateAutomationBodyActionsItemType(StrEnum):
    RENDER = "render"
    WEBHOOK = "webhook"

    def __str__(self) -> str:
        return str(self.value)
