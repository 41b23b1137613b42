from enum import StrEnum


class CreateAssetBodyStatusType3Type1(StrEnum):
    FAILED = "failed"
    PROCESSING = "processing"
    READY = "ready"
    UPLOADING = "uploading"

    def __str__(self) -> str:
        return str(self.value)
