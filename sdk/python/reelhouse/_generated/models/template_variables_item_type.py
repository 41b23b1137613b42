from enum import StrEnum


class TemplateVariablesItemType(StrEnum):
    BOOLEAN = "boolean"
    COLOR = "color"
    NUMBER = "number"
    SELECT = "select"
    STRING = "string"

    def __str__(self) -> str:
        return str(self.value)
