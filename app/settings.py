"""Process settings, read from ``REELHOUSE_*`` environment variables.

Every entry point (server, CLI, worker, tests) reads the same ``Settings`` so that a key made
with ``reelhouse keys create`` is valid for the server started with the same environment.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.auth.network import parse_network


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REELHOUSE_", env_file=".env", extra="ignore")

    database_url: str = Field(
        "sqlite+aiosqlite:///./reelhouse.db",
        description="SQLAlchemy URL. SQLite (aiosqlite) by default; "
        "`postgresql+asyncpg://user@host/db` in production.",
    )
    redis_url: str | None = Field(
        None,
        description="Redis URL for rate limits, key revocation and event fan-out across "
        "processes. Unset: in-process backends (one process only).",
    )
    redis_prefix: str = Field("reelhouse:", description="Prefix of every Redis key and channel.")
    host: str = Field("127.0.0.1", description="Address `reelhouse serve` binds to.")
    port: int = Field(8000, description="Port `reelhouse serve` listens on.")
    environment: str = Field("development", description="`development`, `test` or `production`.")
    key_environment: str = Field(
        "live", description="Environment tag of new API keys: `live` (`rh_live_`) or `test`."
    )
    max_body_bytes: int = Field(1_048_576, description="Largest accepted request body.")
    max_query_depth: int = Field(12, description="Deepest GraphQL selection accepted.")
    max_query_tokens: int = Field(4000, description="Most tokens in one GraphQL document.")
    graphiql: bool = Field(True, description="Serve GraphiQL on `GET /graphql` to browsers.")
    key_cache_seconds: float = Field(
        30.0, description="How long a validated API key is cached in a process."
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated CIDRs of reverse proxies whose `X-Forwarded-For` is "
        "believed (for API key IP allowlists). Empty: the TCP peer is the client.",
    )
    sql_echo: bool = Field(False, description="Log every SQL statement.")
    db_pool_size: int = Field(10, description="PostgreSQL connection pool size per process.")

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_cidrs(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list | tuple):
            return [str(parse_network(str(part))) for part in value]
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
