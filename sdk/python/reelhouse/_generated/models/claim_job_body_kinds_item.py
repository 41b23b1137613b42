from enum import StrEnum


class ClaimJobBodyKindsItem(StrEnum):
    GENERATE = "generate"
    RENDER = "render"

    def __str__(self) -> str:
        return str(self.value)
