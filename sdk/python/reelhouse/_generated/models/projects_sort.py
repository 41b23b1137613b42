from enum import StrEnum


class ProjectsSort(StrEnum):
    CREATED_AT = "created_at"
    NAME = "name"
    UPDATED_AT = "updated_at"
    VALUE_1 = "-created_at"
    VALUE_3 = "-updated_at"
    VALUE_5 = "-name"

    def __str__(self) -> str:
        return str(self.value)
