from enum import StrEnum


class UpdateAutomationBodyActionsType0ItemType(StrEnum):
    RENDER = "render"
    WEBHOOK = "webhook"

    def __str__(self) -> str:
        return str(self.value)
