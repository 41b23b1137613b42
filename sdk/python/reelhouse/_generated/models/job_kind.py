from enum import StrEnum


class JobKind(StrEnum):
    GENERATE = "generate"
    RENDER = "render"

    def __str__(self) -> str:
        return str(self.value)
