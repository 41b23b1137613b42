from enum import StrEnum


class SubmitManifestResponse201Status(StrEnum):
    INVALID = "invalid"
    VALID = "valid"

    def __str__(self) -> str:
        return str(self.value)
