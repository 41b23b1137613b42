from enum import StrEnum


class SubmitJobBodyKind(StrEnum):
    GENERATE = "generate"
    RENDER = "render"

    def __str__(self) -> str:
        return str(self.value)
