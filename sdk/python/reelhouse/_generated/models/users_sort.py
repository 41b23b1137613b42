from enum import StrEnum


class UsersSort(StrEnum):
    CREATED_AT = "created_at"
    EMAIL = "email"
    NAME = "name"
    UPDATED_AT = "updated_at"
    VALUE_1 = "-created_at"
    VALUE_3 = "-updated_at"
    VALUE_5 = "-name"
    VALUE_7 = "-email"

    def __str__(self) -> str:
        return str(self.value)
