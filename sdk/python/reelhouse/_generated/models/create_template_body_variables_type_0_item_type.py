from enum import StrEnum


class CreateTemplateBodyVariablesType0ItemType(StrEnum):
    BOOLEAN = "boolean"
    COLOR = "color"
    NUMBER = "number"
    SELECT = "select"
    STRING = "string"

    def __str__(self) -> str:
        return str(self.value)
