from enum import StrEnum


class AutomationRunTriggerType(StrEnum):
    ASSET_READY = "asset_ready"
    MANUAL = "manual"
    SCHEDULE = "schedule"
    WEBHOOK = "webhook"

    def __str__(self) -> str:
        return str(self.value)
