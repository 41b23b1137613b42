from enum import StrEnum


class ManifestAssetsItemOutcome(StrEnum):
    CREATED = "created"
    REUSED = "reused"
    UPDATED = "updated"

    def __str__(self) -> str:
        return str(self.value)
