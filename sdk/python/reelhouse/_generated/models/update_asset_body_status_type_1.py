from enum import StrEnum


class UpdateAssetBodyStatusType1(StrEnum):
    FAILED = "failed"
    PROCESSING = "processing"
    READY = "ready"
    UPLOADING = "uploading"

    def __str__(self) -> str:
        return str(self.value)
