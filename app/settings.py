"""Process settings, read from ``REELHOUSE_*`` environment variables.

Every entry point (server, CLI, worker, tests) reads the same ``Settings`` so that a key made
with ``reelhouse keys create`` is valid for the server started with the same environment.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
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
    max_aliases: int = Field(
        30,
        ge=0,
        description="Most aliased fields in one GraphQL operation, counted through fragments "
        "(`QUERY_TOO_COMPLEX` above).",
    )
    max_root_fields: int = Field(
        20, ge=1, description="Most root fields one GraphQL operation selects."
    )
    max_directives_per_field: int = Field(
        5, ge=0, description="Most directives on one GraphQL field or fragment."
    )
    max_list_items: int = Field(
        500,
        ge=1,
        description="Most items in one list input, GraphQL or REST (`VALIDATION_FAILED` with "
        "the list's path above).",
    )
    max_variables_bytes: int = Field(
        1_048_576,
        ge=1,
        description="Largest GraphQL `variables` (or REST body) as JSON "
        "(413 `PAYLOAD_TOO_LARGE` above). As large as the body by default: a full telemetry "
        "batch or a manifest near its own limit is legitimate input, and the body cap already "
        "bounds HTTP; it is what bounds a WebSocket subscription's variables.",
    )
    max_query_string_bytes: int = Field(
        16 * 1024,
        ge=1,
        description="Longest query string of a request (`GET /graphql`, `/v1`): 414 "
        "`BAD_REQUEST` above.",
    )
    max_response_bytes: int = Field(
        10 * 1024**2,
        ge=1,
        description="Largest answer to a query (GraphQL or REST GET), counted while it is "
        "built: one growing past it is stopped and answered 400 `QUERY_TOO_COMPLEX`.",
    )
    header_timeout_seconds: float = Field(
        10.0,
        gt=0,
        description="`reelhouse serve`: longest a client may take to send a request's headers "
        "once connected (or once it starts the next request); then the connection is closed.",
    )
    keep_alive_seconds: float = Field(
        5.0,
        gt=0,
        description="`reelhouse serve`: how long an idle keep-alive connection stays open.",
    )
    websocket_compression: bool = Field(
        False,
        description="`reelhouse serve`: offer per-message deflate on GraphQL WebSockets. Off by "
        "default: with 1,000 subscribers, compressing each small event message for each socket "
        "cost 9 % of the API process's CPU and doubled the writer's p99 (bench/README.md); turn "
        "it on where bandwidth costs more than CPU.",
    )
    max_header_bytes: int = Field(
        32 * 1024,
        ge=1024,
        description="`reelhouse serve`: largest request line and headers together "
        "(431 and the connection closed above).",
    )
    max_headers: int = Field(
        100, ge=1, description="`reelhouse serve`: most header fields in one request (431 above)."
    )
    request_timeout_seconds: float = Field(
        30.0,
        gt=0,
        description="Longest a `/graphql` or `/v1` request may run; then it is cancelled, "
        "its writes rolled back, and answered 504 `TIMEOUT`. On PostgreSQL each statement is "
        "stopped a second before (`statement_timeout`).",
    )
    body_read_timeout_seconds: float = Field(
        10.0,
        gt=0,
        description="Longest a client may take to send a request body (`/graphql`, `/v1`, "
        "console); then 408 `BAD_REQUEST` and the connection is closed.",
    )
    graphiql: bool = Field(True, description="Serve GraphiQL on `GET /graphql` to browsers.")
    max_query_cost: int = Field(
        1000,
        ge=1,
        description="Most cost points one GraphQL operation or REST request may cost "
        "(`QUERY_TOO_COMPLEX` above; the README explains the cost model).",
    )
    rate_limits: bool = Field(
        True,
        description="Enforce per-credential rate limits, the unauthenticated per-address limit "
        "and the daily request quota. Off: cost is still computed and capped.",
    )
    rate_limit_read_per_minute: int = Field(
        1000,
        ge=1,
        description="Read points (queries, GET) a credential may spend a minute, and its burst; "
        "a key's `readRateLimit` overrides it.",
    )
    rate_limit_write_per_minute: int = Field(
        200,
        ge=1,
        description="Write points (mutations, POST/PATCH/DELETE) a credential may spend a "
        "minute, and its burst; a key's `writeRateLimit` overrides it.",
    )
    rate_limit_anonymous_per_minute: int = Field(
        60,
        ge=1,
        description="Requests without a valid credential (401) one client address may make a "
        "minute before its requests are answered 429.",
    )
    rate_limit_fail_open: bool = Field(
        True,
        description="With Redis unreachable, keep serving with per-process rate limits and "
        "quotas (logged once a minute, `/ready` says degraded); off: answer 503.",
    )
    daily_request_quota: int = Field(
        100_000,
        ge=1,
        description="Requests an organisation may make per UTC day (429 `QUOTA_EXCEEDED` "
        "until midnight UTC above).",
    )
    daily_webhook_quota: int = Field(
        5_000,
        ge=1,
        description="Webhook deliveries an organisation gets per UTC day; further deliveries "
        "wait for the next day (never dropped).",
    )
    subscriptions_per_connection: int = Field(
        50, ge=1, description="Concurrent GraphQL subscriptions on one WebSocket."
    )
    subscriptions_per_credential: int = Field(
        200,
        ge=1,
        description="Concurrent GraphQL subscriptions one credential may hold across its "
        "WebSockets (per process).",
    )
    sockets_per_credential: int = Field(
        50,
        ge=1,
        description="Open GraphQL WebSockets one credential may hold at once (per process); "
        "a further `connection_init` is closed with 4429.",
    )
    demo_key_file: str = Field(
        ".reelhouse-demo-key",
        description="Where `reelhouse seed-demo` keeps the demo admin key (readable by its "
        "owner only), so it prints the same key again and `make run` keeps it across restarts. "
        "On the embedded default GraphiQL pre-fills it for browsers on this machine.",
    )
    key_cache_seconds: float = Field(
        30.0, description="How long a validated API key is cached in a process."
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated CIDRs of reverse proxies whose `X-Forwarded-For` is "
        "believed (for API key IP allowlists). Empty: the TCP peer is the client.",
    )
    secret_key: SecretStr | None = Field(
        None,
        description="Key(s) encrypting recoverable secrets at rest (AES-256-GCM): base64url of "
        "32 random bytes (`reelhouse secret-key new`), several comma-separated while rotating, "
        "the newest first. Unset: the embedded SQLite database gets a generated key file "
        "beside it; PostgreSQL requires this.",
    )
    shutdown_grace_seconds: int = Field(
        20,
        ge=1,
        description="On SIGTERM, how long `reelhouse serve` lets requests in flight finish; "
        "those still running then are answered 503 `SERVICE_UNAVAILABLE` (with Retry-After) "
        "and cut. Background work gets the same bound to stop.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated browser origins allowed to call the API "
        "(`https://app.example.com`, exact match), or `*` for any. Empty: no CORS headers.",
    )
    cors_allow_credentials: bool = Field(
        False,
        description="Let browsers send credentials (cookies) cross-origin; `*` origins are "
        "then refused at start-up. API keys travel in `Authorization` and need no credentials.",
    )
    sql_echo: bool = Field(False, description="Log every SQL statement.")
    db_pool_size: int = Field(10, description="PostgreSQL connection pool size per process.")
    sqlite_busy_timeout_seconds: float = Field(
        30.0,
        gt=0,
        description="SQLite: how long a write waits for a lock another process holds before "
        "the request is answered 503 `SERVICE_UNAVAILABLE`.",
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip().rstrip("/") for part in value.split(",") if part.strip()]
        return value

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

    public_url: str | None = Field(
        None,
        description="Base URL partners reach this server at (`https://api.example.com`); the "
        "local storage provider's signed URLs start with it. Unset: `http://<host>:<port>`.",
    )
    storage_backend: Literal["local", "s3"] = Field(
        "local",
        description="Where uploaded files live: `local` (a folder; the server signs and serves "
        "the upload and download URLs) or `s3` (any S3-compatible service).",
    )
    storage_local_root: str = Field(
        "./objects", description="Folder of the local storage provider."
    )
    storage_signing_key: str | None = Field(
        None,
        description="Secret that signs the local provider's URLs; every process must share it. "
        "Unset: a random key kept in `<root>/.signing-key`, made on first use.",
    )
    storage_s3_bucket: str | None = Field(None, description="Bucket of the S3 provider.")
    storage_s3_endpoint_url: str | None = Field(
        None,
        description="S3 endpoint for MinIO, R2 and other S3-compatible services; unset: AWS.",
    )
    storage_s3_region: str = Field("us-east-1", description="Region of the S3 bucket.")
    storage_s3_access_key_id: str | None = Field(
        None, description="S3 access key; unset: the usual AWS credential chain."
    )
    storage_s3_secret_access_key: str | None = Field(None, description="S3 secret key.")
    storage_s3_addressing_style: Literal["auto", "path", "virtual"] = Field(
        "auto", description="`path` for MinIO and most S3-compatible servers."
    )
    upload_url_seconds: int = Field(
        900, ge=60, le=7 * 86400, description="How long a presigned upload URL is valid."
    )
    download_url_seconds: int = Field(
        300, ge=10, le=7 * 86400, description="How long a signed `urls.original` is valid."
    )
    upload_mime_types: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["image/*", "video/*", "audio/*", "model/*", "application/pdf"],
        description="Comma-separated media types an upload may declare; `type/*` takes every "
        "subtype.",
    )
    storage_quota_bytes: int = Field(
        100 * 1024**3,
        ge=0,
        description="Bytes of uploaded files an organisation may keep (uploads in progress "
        "count); an organisation's own quota overrides it.",
    )
    storage_delete_after_seconds: float = Field(
        3600.0,
        ge=0,
        description="How long after an asset is deleted its stored file is removed.",
    )
    media_probe_timeout_seconds: float = Field(
        120.0, gt=0, description="Longest ffprobe may take on one file."
    )
    media_probe_lease_seconds: float = Field(
        300.0,
        gt=0,
        description="A worker's lease on the upload it is processing; after a crash another "
        "worker takes it over once it ends. Keep it above the probe timeout.",
    )
    automation_run_lease_seconds: float = Field(
        60.0,
        gt=0,
        description="A worker's lease on the automation run it executes; after a crash the run "
        "continues from its last finished action once it ends.",
    )
    automation_retry_schedule: list[float] = Field(
        [5, 30, 120],
        max_length=20,
        description="Seconds before each retry of a failing webhook action (JSON list); then "
        "the run fails.",
    )
    automation_wait_seconds: float = Field(
        86400.0,
        gt=0,
        description="Longest a render action with `waitForJob` waits for its job to finish.",
    )
    inbound_webhook_max_body_bytes: int = Field(
        256 * 1024, ge=1, description="Largest inbound webhook body (413 above)."
    )
    inbound_webhook_tolerance_seconds: int = Field(
        300,
        ge=1,
        description="How far an inbound Standard Webhooks `webhook-timestamp` may be from now.",
    )
    inbound_webhook_hmac_replay_seconds: int = Field(
        7 * 86400,
        ge=1,
        description="How long an identical plain-HMAC inbound body is refused as a replay "
        "(plain HMAC carries no timestamp); Standard Webhooks messages are kept only as long as "
        "their timestamp is within the tolerance.",
    )

    @field_validator("upload_mime_types", mode="before")
    @classmethod
    def _split_types(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part.strip().lower() for part in value.split(",") if part.strip()]
        return value

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    oauth_issuer: str | None = Field(
        None,
        description="The authorization server's issuer URL (`iss` of every access token and "
        "the metadata's `issuer`), e.g. `https://api.example.com`. Unset: the origin each "
        "request was addressed to; set it in production so every process agrees.",
    )
    oauth_audience: str | None = Field(
        None, description="The `aud` of access tokens; unset: the issuer."
    )
    oauth_access_token_seconds: int = Field(
        3600, ge=60, le=86400, description="Default lifetime of user access tokens."
    )
    oauth_client_credentials_token_seconds: int = Field(
        900, ge=60, le=86400, description="Default lifetime of client-credentials access tokens."
    )
    oauth_refresh_token_seconds: int = Field(
        30 * 86400, ge=3600, le=365 * 86400, description="Default lifetime of refresh tokens."
    )
    oauth_code_seconds: int = Field(
        60, ge=5, le=60, description="Lifetime of an authorization code (at most 60 s)."
    )
    oauth_signing_key_rotation_days: float = Field(
        30, gt=0, description="A new access-token signing key takes over after this many days."
    )
    oauth_terms_url: str = Field(
        "https://reelhouse.example/legal/partner-terms",
        description="Partner terms linked from the consent screen.",
    )
    oauth_privacy_url: str = Field(
        "https://reelhouse.example/legal/privacy-summary",
        description="Privacy summary linked from the consent screen.",
    )
    session_seconds: int = Field(12 * 3600, ge=300, description="How long a sign-in session lasts.")
    login_failure_window_seconds: int = Field(
        900, ge=10, description="Window in which failed sign-ins are counted."
    )
    login_max_failures_per_account: int = Field(
        5, ge=1, description="Failed sign-ins per account in the window before it is throttled."
    )
    login_max_failures_per_ip: int = Field(
        20,
        ge=1,
        description="Failed sign-ins per client address in the window before it is throttled.",
    )

    @property
    def secure_cookies(self) -> bool:
        """Cookies are ``Secure`` everywhere but in development (plain http on localhost)."""
        return self.environment != "development"

    @model_validator(mode="after")
    def _no_wildcard_with_credentials(self) -> Settings:
        if "*" in self.cors_origins and self.cors_allow_credentials:
            raise ValueError(
                "REELHOUSE_CORS_ORIGINS may not be `*` while REELHOUSE_CORS_ALLOW_CREDENTIALS "
                "is true: list the exact origins"
            )
        return self

    telemetry_retention_days: int = Field(
        30, ge=1, le=3650, description="Telemetry events older than this are deleted."
    )
    telemetry_sweep_seconds: float = Field(
        600.0,
        gt=0,
        description="How often the background worker deletes telemetry past its retention.",
    )

    idempotency_key_hours: float = Field(
        24.0,
        gt=0,
        le=24 * 30,
        description="How long an `Idempotency-Key` and the answer stored under it are kept; a "
        "repeat after that runs as a new request.",
    )
    idempotency_claim_seconds: float = Field(
        35.0,
        gt=0,
        description="How long a first request may hold its `Idempotency-Key` without answering "
        "before a repeat may take it over (its process died mid-request; nothing it wrote "
        "committed). Keep it above the longest a request may run.",
    )
    idempotency_sweep_seconds: float = Field(
        600.0, gt=0, description="How often the background worker deletes expired idempotency keys."
    )

    audit_enabled: bool = Field(
        True,
        description="Record every call in the audit trail. Turn off only to measure what "
        "auditing costs (the benchmark does).",
    )
    audit_retention_days: int = Field(
        90, ge=1, le=3650, description="Audit records older than this are deleted."
    )
    audit_sweep_seconds: float = Field(
        3600.0, gt=0, description="How often the background worker deletes old audit records."
    )
    audit_flush_seconds: float = Field(
        0.2,
        gt=0,
        le=5,
        description="Longest a read's or refusal's audit record waits in memory before it is "
        "written (in batches); what a SIGKILL can lose is at most this much of them.",
    )
    audit_buffer_size: int = Field(
        10_000,
        ge=1,
        description="Audit records a process holds in memory at most; when full, requests wait "
        "for room rather than lose a record.",
    )
    audit_batch_size: int = Field(
        500, ge=1, le=1000, description="Audit records written per transaction at most."
    )
    log_format: Literal["text", "json"] | None = Field(
        None,
        description="`json`: one JSON object per log line (uvicorn's and the worker's too); "
        "`text`: readable lines. Unset: `json` in production, `text` elsewhere.",
    )
    log_level: str = Field("INFO", description="Lowest level logged (`DEBUG`, `INFO`, ...).")
    metrics_token: SecretStr | None = Field(
        None,
        description="When set, `/metrics` answers only `Authorization: Bearer <this token>`.",
    )

    @property
    def json_logs(self) -> bool:
        if self.log_format is not None:
            return self.log_format == "json"
        return self.environment == "production"

    manifest_check_seconds: float = Field(
        2.0,
        gt=0,
        le=60,
        description="Longest a manifest may take to check against a registered schema; past "
        "it the check is stopped and the manifest recorded INVALID (SCHEMA_ERROR).",
    )

    @model_validator(mode="after")
    def _lease_outlasts_requests(self) -> Settings:
        if self.idempotency_claim_seconds <= self.request_timeout_seconds:
            raise ValueError(
                "REELHOUSE_IDEMPOTENCY_CLAIM_SECONDS must be longer than "
                "REELHOUSE_REQUEST_TIMEOUT_SECONDS (a repeat may take over a key only once its "
                "first request can no longer be running)"
            )
        if self.webhook_claim_seconds <= self.webhook_timeout_seconds:
            raise ValueError(
                "REELHOUSE_WEBHOOK_CLAIM_SECONDS must be longer than "
                "REELHOUSE_WEBHOOK_TIMEOUT_SECONDS (a lease must outlast its request)"
            )
        if self.media_probe_lease_seconds <= self.media_probe_timeout_seconds:
            raise ValueError(
                "REELHOUSE_MEDIA_PROBE_LEASE_SECONDS must be longer than "
                "REELHOUSE_MEDIA_PROBE_TIMEOUT_SECONDS"
            )
        if self.automation_run_lease_seconds <= self.webhook_timeout_seconds:
            raise ValueError(
                "REELHOUSE_AUTOMATION_RUN_LEASE_SECONDS must be longer than "
                "REELHOUSE_WEBHOOK_TIMEOUT_SECONDS (a lease must outlast its request)"
            )
        if self.storage_backend == "s3" and not self.storage_s3_bucket:
            raise ValueError("REELHOUSE_STORAGE_S3_BUCKET is required with the s3 storage backend")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
