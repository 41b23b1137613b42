from enum import StrEnum


class SegmentsSort(StrEnum):
    CREATED_AT = "created_at"
    POSITION = "position"
    UPDATED_AT = "updated_at"
    VALUE_1 = "-position"
    VALUE_3 = "-created_at"
    VALUE_5 = "-updated_at"

    def __str__(self) -> str:
        return str(self.value)
