from enum import StrEnum


class CreateAssetResponse201Status(StrEnum):
    FAILED = "failed"
    PROCESSING = "processing"
    READY = "ready"
    UPLOADING = "uploading"

    def __str__(self) -> str:
        return str(self.value)
