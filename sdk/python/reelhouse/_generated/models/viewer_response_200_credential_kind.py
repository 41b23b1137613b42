from enum import StrEnum


class ViewerResponse200CredentialKind(StrEnum):
    ACCESS_TOKEN = "access_token"
    API_KEY = "api_key"
    OPERATOR = "operator"
    SESSION = "session"

    def __str__(self) -> str:
        return str(self.value)
