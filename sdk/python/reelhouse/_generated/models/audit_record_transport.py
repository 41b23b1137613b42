from enum import StrEnum


class AuditRecordTransport(StrEnum):
    CONSOLE = "console"
    GRAPHQL = "graphql"
    HTTP = "http"
    OAUTH = "oauth"
    REST = "rest"
    WEBHOOK = "webhook"
    WEBSOCKET = "websocket"

    def __str__(self) -> str:
        return str(self.value)
