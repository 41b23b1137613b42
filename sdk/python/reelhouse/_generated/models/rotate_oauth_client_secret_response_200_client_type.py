from enum import StrEnum


class RotateOauthClientSecretResponse200ClientType(StrEnum):
    CONFIDENTIAL = "confidential"
    PUBLIC = "public"

    def __str__(self) -> str:
        return str(self.value)
