from enum import StrEnum


class ScenesSort(StrEnum):
    CREATED_AT = "created_at"
    NAME = "name"
    POSITION = "position"
    UPDATED_AT = "updated_at"
    VALUE_1 = "-position"
    VALUE_3 = "-created_at"
    VALUE_5 = "-updated_at"
    VALUE_7 = "-name"

    def __str__(self) -> str:
        return str(self.value)
