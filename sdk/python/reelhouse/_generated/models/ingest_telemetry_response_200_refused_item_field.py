from enum import StrEnum


class IngestTelemetryResponse200RefusedItemField(StrEnum):
    INSERT_ID = "insert_id"
    OCCURRED_AT = "occurred_at"
    PROPERTIES = "properties"
    TYPE = "type"

    def __str__(self) -> str:
        return str(self.value)
