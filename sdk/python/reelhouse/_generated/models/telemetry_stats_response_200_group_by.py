from enum import StrEnum


class TelemetryStatsResponse200GroupBy(StrEnum):
    DAY = "day"
    HOUR = "hour"
    TYPE = "type"

    def __str__(self) -> str:
        return str(self.value)
