"""Process settings, read from ``REELHOUSE_*`` environment variables.

Every entry point (server, CLI, worker, tests) reads the same ``Settings`` so that a key made
with ``reelhouse keys create`` is valid for the server started with the same environment.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator
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

    events_embedded_worker: bool = Field(
        True,
        description="Run the event dispatcher and webhook sender inside `reelhouse serve`. "
        "Safe next to `reelhouse worker` processes; turn off to leave the work to them.",
    )
    events_poll_seconds: float = Field(
        1.0,
        gt=0,
        description="How often dispatchers and senders look for work when no commit signal "
        "arrives (signals come in-process, or through Redis when it is configured).",
    )
    events_batch_size: int = Field(
        200, ge=1, le=5000, description="Events a dispatcher claims per transaction."
    )
    subscription_queue_size: int = Field(
        1000,
        ge=1,
        description="Events buffered per GraphQL subscription; a subscriber further behind is "
        "closed with an error.",
    )
    webhooks_allow_private_urls: bool = Field(
        False,
        description="Allow webhook URLs over http and to private, loopback and link-local "
        "addresses. Off: https only, and every address the host resolves to must be public "
        "(checked when saved and again at each delivery).",
    )
    webhook_retry_schedule: list[float] = Field(
        [5, 60, 300, 1800, 7200, 18000, 36000, 36000, 36000],
        min_length=1,
        max_length=50,
        description="Seconds to wait before each retry (JSON list); one attempt more than "
        "entries. The default, 10 attempts over about 37 hours, then the delivery is "
        "dead-lettered. An endpoint may set its own.",
    )
    webhook_retry_jitter: float = Field(
        0.2, ge=0, le=1, description="Each retry delay varies randomly by up to this fraction."
    )
    webhook_timeout_seconds: float = Field(
        10.0, gt=0, le=15, description="Longest a webhook request may take in total (≤ 15)."
    )
    webhook_connect_timeout_seconds: float = Field(
        5.0, gt=0, le=15, description="Longest a webhook connection may take to open."
    )
    webhook_claim_seconds: float = Field(
        60.0,
        gt=0,
        description="A sender's lease on a delivery it is sending; after a crash the delivery "
        "is retried once this has passed. Keep it above the webhook timeout.",
    )
    webhook_concurrency: int = Field(
        16, ge=1, le=1000, description="Deliveries a sender process has in flight at once."
    )
    webhook_disable_after_seconds: float = Field(
        5 * 86400,
        gt=0,
        description="An endpoint failing without a single success for this long is disabled "
        "(with a `webhook_endpoint.disabled` event). Default 5 days.",
    )
    webhook_secret_grace_seconds: int = Field(
        86400,
        ge=0,
        description="Default time a rotated webhook secret keeps signing next to the new one.",
    )
    webhook_replay_limit: int = Field(
        10_000, ge=1, description="Most events one `replayWebhookEvents` call may queue."
    )

    telemetry_retention_days: int = Field(
        30, ge=1, le=3650, description="Telemetry events older than this are deleted."
    )
    telemetry_sweep_seconds: float = Field(
        600.0,
        gt=0,
        description="How often the background worker deletes telemetry past its retention.",
    )

    manifest_check_seconds: float = Field(
        2.0,
        gt=0,
        le=60,
        description="Longest a manifest may take to check against a registered schema; past "
        "it the check is stopped and the manifest recorded INVALID (SCHEMA_ERROR).",
    )

    @model_validator(mode="after")
    def _lease_outlasts_requests(self) -> Settings:
        if self.webhook_claim_seconds <= self.webhook_timeout_seconds:
            raise ValueError(
                "REELHOUSE_WEBHOOK_CLAIM_SECONDS must be longer than "
                "REELHOUSE_WEBHOOK_TIMEOUT_SECONDS (a lease must outlast its request)"
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
