from enum import StrEnum


class TelemetryStatsGroupBy(StrEnum):
    DAY = "day"
    HOUR = "hour"
    TYPE = "type"

    def __str__(self) -> str:
        return str(self.value)
