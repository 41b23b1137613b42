from enum import StrEnum


class UpdateAssetBodyTypeType1(StrEnum):
    AUDIO = "audio"
    DOCUMENT = "document"
    IMAGE = "image"
    MODEL = "model"
    OTHER = "other"
    VIDEO = "video"

    def __str__(self) -> str:
        return str(self.value)
