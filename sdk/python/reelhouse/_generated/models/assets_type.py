from enum import StrEnum


class AssetsType(StrEnum):
    AUDIO = "audio"
    DOCUMENT = "document"
    IMAGE = "image"
    MODEL = "model"
    OTHER = "other"
    VIDEO = "video"

    def __str__(self) -> str:
        return str(self.value)
