from enum import StrEnum


class AutomationActionsItemType(StrEnum):
    RENDER = "render"
    WEBHOOK = "webhook"

    def __str__(self) -> str:
        return str(self.value)
