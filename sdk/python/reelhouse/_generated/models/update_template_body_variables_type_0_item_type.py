from enum import StrEnum


class UpdateTemplateBodyVariablesType0ItemType(StrEnum):
    BOOLEAN = "boolean"
    COLOR = "color"
    NUMBER = "number"
    SELECT = "select"
    STRING = "string"

    def __str__(self) -> str:
        return str(self.value)
