"""The public GraphQL schema as downloads: ``/graphql/schema.graphql`` (SDL) and
``/graphql/schema.json`` (the introspection result GraphiQL and code generators load).

Both are built once at start-up from the schema the server runs and need no key."""

from __future__ import annotations

from app.errors import ApiError, ErrorCode
from app.http.caching import send_public
from app.http.errors import send_error
from app.types import Receive, Scope, Send


class SchemaDocuments:
    def __init__(self, documents: dict[str, tuple[bytes, str]]) -> None:
        """``documents``: path → (body, content type)."""
        self.documents = documents

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body, content_type = self.documents[scope["path"]]
        if scope["method"] not in ("GET", "HEAD"):
            error = ApiError(
                ErrorCode.METHOD_NOT_ALLOWED,
                f"{scope['method']} is not allowed on {scope['path']}; use GET.",
                headers={"Allow": "GET"},
            )
            await send_error(scope, send, error)
            return
        await send_public(scope, send, body, content_type)
