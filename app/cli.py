"""``reelhouse``: serve, run event workers, migrate, seed demo data, manage organisations, API
keys, users and OAuth clients.

Every command reads the same ``REELHOUSE_*`` settings as the server.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select
from sqlmodel import col

from app.auth.key_changes import KeyChangeNotifier
from app.auth.principal import Principal
from app.auth.scopes import PRESETS, Scope
from app.clock import isoformat
from app.contract import OPENAPI_SNAPSHOT, SDL_SNAPSHOT, Snapshots, check, write
from app.database import Database
from app.errors import ApiError
from app.logs import configure_logging, logging_config
from app.redis import connect as connect_redis
from app.settings import Settings, get_settings

if TYPE_CHECKING:
    from resolvers.context import Context
    from resolvers.pagination import Page


def _db(settings: Settings) -> Database:
    return Database(settings.database_url, busy_timeout=settings.sqlite_busy_timeout_seconds)


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from app.migrate import upgrade

    upgrade(settings.database_url)
    print(f"migrated {settings.database_url}")
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from app.http.connections import PROTOCOL

    host = args.host or settings.host
    port = settings.port if args.port is None else args.port
    print(f"GraphiQL: http://{host}:{port}/graphql", flush=True)
    uvicorn.run(
        "app.factory:create_app",
        factory=True,
        host=host,
        port=port,
        workers=args.workers,
        log_level=args.log_level,
        log_config=logging_config(settings.json_logs, settings.log_level),
        access_log=False,
        proxy_headers=False,
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
        http=PROTOCOL,
        timeout_keep_alive=settings.keep_alive_seconds,  # type: ignore[arg-type]
        ws_per_message_deflate=settings.websocket_compression,
    )
    return 0


async def _worker(settings: Settings) -> int:
    """Dispatcher, webhook sender and background loops until SIGTERM/SIGINT; any number may run
    side by side."""
    from app.factory import build_services, event_worker, schema_for

    services = build_services(settings)
    schema = schema_for(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with event_worker(services, schema):
            print(f"event worker running against {services.db.dialect}", flush=True)
            await stop.wait()
    finally:
        await services.close()
    return 0


async def _seed(settings: Settings) -> int:
    from app.demo import seed_demo

    db = _db(settings)
    try:
        result = await seed_demo(db, settings)
    finally:
        await db.dispose()
    state = "created" if result.created else "already present"
    print(f"demo organisation `demo` ({result.org_id}) {state}")
    print(f"demo admin API key: {result.token}")
    print(f"  (kept in {result.key_file}, readable only by you; seed-demo prints it again)")
    print(f"demo admin user: {result.user_email}")
    print(f"demo admin password (new on every seed-demo): {result.user_password}")
    return 0


async def _orgs_create(settings: Settings, args: argparse.Namespace) -> int:
    from app.demo import ensure_organization

    db = _db(settings)
    try:
        org, created = await ensure_organization(db, args.slug, args.name or args.slug)
    finally:
        await db.dispose()
    print(f"{org.id} {org.slug} {'created' if created else 'already exists'}")
    return 0


class _Operator:
    """Runs commands through the same resolvers as the API (validation, no privilege
    escalation, events, cache invalidation on every server process)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.db = _db(settings)
        self.redis = connect_redis(settings)

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
        await self.db.dispose()

    def context(self, org_id: str) -> Context:
        from resolvers.context import Context

        return Context(
            db=self.db,
            settings=self.settings,
            principal=Principal.operator(org_id),
            key_changes=KeyChangeNotifier(None, self.redis, self.settings.redis_prefix),
        )

    async def org_id_of_slug(self, slug: str) -> str | None:
        from app.models import Organization

        async with self.db.reading() as session:
            org_id: str | None = (
                await session.execute(
                    select(col(Organization.id)).where(col(Organization.slug) == slug)
                )
            ).scalar_one_or_none()
        return org_id

    async def org_id_of(self, model: type[Any], row_id: str) -> str | None:
        """The organisation of a key, user or client, to act in as the operator."""
        async with self.db.reading() as session:
            row = await session.get(model, row_id)
        org_id: str | None = row.org_id if row is not None else None
        return org_id


T = TypeVar("T")


async def _every(page_at: Callable[[str | None], Awaitable[Page[T]]]) -> AsyncIterator[T]:
    """Every item of a list, page after page."""
    after = None
    while True:
        page = await page_at(after)
        for item in page.items:
            yield item
        if not page.has_next:
            return
        after = page.cursors[-1]


def _print_table(rows: Sequence[tuple[str, ...]], empty: str) -> None:
    """Aligned columns under the header row; ``empty`` when there is nothing under it."""
    if len(rows) == 1:
        print(empty)
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _when(value: datetime | None, empty: str = "never") -> str:
    return isoformat(value.replace(microsecond=0)) if value is not None else empty


def _scopes_label(scopes: list[str]) -> str:
    """A preset's name when the scopes are exactly that preset, else the scopes."""
    held = set(scopes)
    for name, preset in PRESETS.items():
        if held == {s.value for s in preset}:
            return name
    return ",".join(scopes)


def _report_failure(error: Exception) -> int:
    from resolvers.validation import InputErrors

    if isinstance(error, InputErrors):
        for problem in error.errors:
            print(f"error: {'.'.join(problem.field[1:])}: {problem.message}", file=sys.stderr)
        return 2
    if isinstance(error, ApiError):
        print(f"error: {error.code.value}: {error.message}", file=sys.stderr)
        return 1
    raise error


Action = Callable[["_Operator", argparse.Namespace], Awaitable[int]]


async def _operate(settings: Settings, actions: dict[str, Action], args: argparse.Namespace) -> int:
    from resolvers.validation import InputErrors

    command = _Operator(settings)
    try:
        return await actions[args.action](command, args)
    except (InputErrors, ApiError) as error:
        return _report_failure(error)
    finally:
        await command.close()


async def _keys_create(command: _Operator, args: argparse.Namespace) -> int:
    from resolvers.api_keys import create_api_key

    org_id = await command.org_id_of_slug(args.org)
    if org_id is None:
        print(f"error: no organisation {args.org!r}", file=sys.stderr)
        return 1
    values = {
        "name": args.name,
        "description": args.description,
        "scopes": [s for part in args.scopes for s in part.split(",") if s],
        "project_ids": args.project or None,
        "allowed_cidrs": args.cidr or None,
        "expires_at": args.expires_at,
        "test_mode": True if args.test_mode else None,
        "read_rate_limit": args.read_rate_limit,
        "write_rate_limit": args.write_rate_limit,
    }
    issued = await create_api_key(command.context(org_id), values)
    key = issued.key
    print(f"key id: {key.id}")
    print(f"scopes: {' '.join(key.scopes)}")
    if key.project_ids is not None:
        print(f"projects: {' '.join(key.project_ids)}")
    if key.allowed_cidrs is not None:
        print(f"allowed from: {' '.join(key.allowed_cidrs)}")
    if key.expires_at is not None:
        print(f"expires: {_when(key.expires_at)}")
    print(f"secret (shown once, store it now): {issued.secret}")
    return 0


async def _keys_list(command: _Operator, args: argparse.Namespace) -> int:
    from app.models import ApiKeyStatus
    from resolvers.api_keys import ApiKeyFilter, list_api_keys
    from resolvers.pagination import MAX_PAGE_SIZE, Ordering

    org_id = await command.org_id_of_slug(args.org)
    if org_id is None:
        print(f"error: no organisation {args.org!r}", file=sys.stderr)
        return 1
    ctx = command.context(org_id)
    status = ApiKeyStatus(args.status) if args.status else None
    rows = [
        ("ID", "NAME", "KEY", "SCOPES", "PROJECTS", "CREATED", "LAST USED", "EXPIRES", "STATUS")
    ]
    async for key in _every(
        lambda after: list_api_keys(
            ctx, ApiKeyFilter(status=status), Ordering("created_at"), MAX_PAGE_SIZE, after
        )
    ):
        rows.append(
            (
                key.id,
                key.name,
                f"{key.prefix}…{key.last4}",
                _scopes_label(key.scopes),
                ",".join(key.project_ids) if key.project_ids is not None else "all",
                _when(key.created_at),
                _when(key.last_used_at),
                _when(key.expires_at),
                key.status.value,
            )
        )
    _print_table(rows, f"no API keys in {args.org!r}")
    return 0


async def _keys_rotate(command: _Operator, args: argparse.Namespace) -> int:
    from app.models import ApiKey
    from resolvers.api_keys import rotate_api_key

    org_id = await command.org_id_of(ApiKey, args.key_id)
    if org_id is None:
        print(f"error: no API key {args.key_id!r}", file=sys.stderr)
        return 1
    issued = await rotate_api_key(command.context(org_id), args.key_id, args.grace_period)
    print(f"key id: {issued.key.id}")
    print(f"previous secret valid until: {_when(issued.previous_secret_expires_at)}")
    print(f"new secret (shown once, store it now): {issued.secret}")
    return 0


async def _keys_limits(command: _Operator, args: argparse.Namespace) -> int:
    from app.models import ApiKey
    from resolvers.api_keys import update_api_key

    org_id = await command.org_id_of(ApiKey, args.key_id)
    if org_id is None:
        print(f"error: no API key {args.key_id!r}", file=sys.stderr)
        return 1
    values = {
        name: (None if value == "default" else value)
        for name, value in (("read_rate_limit", args.read), ("write_rate_limit", args.write))
        if value is not None
    }
    key = await update_api_key(command.context(org_id), args.key_id, values)
    read = key.read_rate_limit or "default"
    write = key.write_rate_limit or "default"
    print(f"{key.id}: read {read}, write {write} points a minute")
    return 0


def _limit(value: str) -> int | str:
    """A points-per-minute limit for the CLI, or ``default`` (the server's setting)."""
    if value == "default":
        return value
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError("a whole number of points, or `default`") from None


async def _keys_revoke(command: _Operator, args: argparse.Namespace) -> int:
    from app.models import ApiKey
    from resolvers.api_keys import revoke_api_key

    org_id = await command.org_id_of(ApiKey, args.key_id)
    if org_id is None:
        print(f"error: no API key {args.key_id!r}", file=sys.stderr)
        return 1
    key = await revoke_api_key(command.context(org_id), args.key_id)
    print(f"{key.id} ({key.name}) revoked at {_when(key.revoked_at)}")
    return 0


def _current_contract() -> Snapshots:
    from rest_compat import public_documents
    from schema import build_schema

    return Snapshots.of(*public_documents(build_schema()))


def cmd_contract(args: argparse.Namespace) -> int:
    """``snapshot`` writes docs/schema.graphql and docs/openapi.json; ``check`` compares them
    with what the server runs (breaking changes, staleness); ``openapi`` prints the document."""
    root = Path(args.root)
    current = _current_contract()
    if args.action == "openapi":
        sys.stdout.write(current.openapi)
        return 0
    if args.action == "snapshot":
        write(root, current)
        print(f"wrote {root / SDL_SNAPSHOT} and {root / OPENAPI_SNAPSHOT}")
        return 0
    problems = check(Snapshots.read(root), current)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


_KEY_ACTIONS: dict[str, Action] = {
    "create": _keys_create,
    "list": _keys_list,
    "rotate": _keys_rotate,
    "revoke": _keys_revoke,
    "limits": _keys_limits,
}


async def _org_or_fail(command: _Operator, slug: str) -> str | None:
    org_id = await command.org_id_of_slug(slug)
    if org_id is None:
        print(f"error: no organisation {slug!r}", file=sys.stderr)
    return org_id


async def _password() -> str | None:
    """``REELHOUSE_PASSWORD``, else asked twice on the terminal; never an argument (shell
    history and process lists would keep it)."""
    from_env = os.environ.get("REELHOUSE_PASSWORD")
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        print("error: set REELHOUSE_PASSWORD or run on a terminal", file=sys.stderr)
        return None
    first = await asyncio.to_thread(getpass.getpass, "password: ")
    again = await asyncio.to_thread(getpass.getpass, "password again: ")
    if first != again:
        print("error: the passwords differ", file=sys.stderr)
        return None
    return first


async def _users_create(command: _Operator, args: argparse.Namespace) -> int:
    from resolvers.users import create_user

    org_id = await _org_or_fail(command, args.org)
    password = await _password() if org_id is not None else None
    if org_id is None or password is None:
        return 1
    user = await create_user(
        command.context(org_id),
        {
            "email": args.email,
            "name": args.name or args.email.split("@", 1)[0],
            "role": args.role,
            "password": password,
            "project_ids": args.project or None,
        },
    )
    print(f"user id: {user.id}")
    print(f"{user.email} ({user.role.value}) can now sign in at /oauth/login")
    return 0


async def _users_list(command: _Operator, args: argparse.Namespace) -> int:
    from resolvers.pagination import MAX_PAGE_SIZE, Ordering
    from resolvers.users import UserFilter, list_users

    org_id = await _org_or_fail(command, args.org)
    if org_id is None:
        return 1
    ctx = command.context(org_id)
    rows = [("ID", "EMAIL", "NAME", "ROLE", "PROJECTS", "LAST SIGN-IN", "STATUS")]
    async for user in _every(
        lambda after: list_users(ctx, UserFilter(), Ordering("created_at"), MAX_PAGE_SIZE, after)
    ):
        rows.append(
            (
                user.id,
                user.email,
                user.name,
                user.role.value,
                ",".join(user.project_ids) if user.project_ids is not None else "all",
                _when(user.last_sign_in_at),
                "disabled" if user.disabled else "active",
            )
        )
    _print_table(rows, f"no users in {args.org!r}")
    return 0


async def _users_disable(command: _Operator, args: argparse.Namespace) -> int:
    """``disable`` and ``enable`` (``args.enable``)."""
    from app.models import User
    from resolvers.users import set_user_disabled

    org_id = await command.org_id_of(User, args.user_id)
    if org_id is None:
        print(f"error: no user {args.user_id!r}", file=sys.stderr)
        return 1
    user = await set_user_disabled(command.context(org_id), args.user_id, not args.enable)
    state = "disabled: sessions and tokens ended" if user.disabled else "enabled"
    print(f"{user.id} ({user.email}) {state}")
    return 0


_USER_ACTIONS: dict[str, Action] = {
    "create": _users_create,
    "list": _users_list,
    "disable": _users_disable,
    "enable": _users_disable,
}


async def _clients_create(command: _Operator, args: argparse.Namespace) -> int:
    from resolvers.oauth_clients import create_client

    org_id = await _org_or_fail(command, args.org)
    if org_id is None:
        return 1
    issued = await create_client(
        command.context(org_id),
        {
            "name": args.name,
            "client_type": args.type,
            "scopes": [s for part in args.scopes for s in part.split(",") if s],
            "grant_types": [g for part in args.grant_types for g in part.split(",") if g],
            "redirect_uris": args.redirect_uri or [],
            "access_token_lifetime": args.access_token_lifetime,
            "refresh_token_lifetime": args.refresh_token_lifetime,
        },
    )
    client = issued.client
    print(f"client id: {client.id}")
    print(f"type: {client.client_type.value}")
    print(f"scopes: {' '.join(client.scopes)}")
    print(f"grant types: {' '.join(client.grant_types)}")
    if client.redirect_uris:
        print(f"redirect URIs: {' '.join(client.redirect_uris)}")
    if issued.secret is not None:
        print(f"client secret (shown once, store it now): {issued.secret}")
    return 0


async def _clients_list(command: _Operator, args: argparse.Namespace) -> int:
    from resolvers.oauth_clients import OAuthClientFilter, list_clients
    from resolvers.pagination import MAX_PAGE_SIZE, Ordering

    org_id = await _org_or_fail(command, args.org)
    if org_id is None:
        return 1
    ctx = command.context(org_id)
    rows = [("ID", "NAME", "TYPE", "GRANTS", "SCOPES", "CREATED", "STATUS")]
    async for client in _every(
        lambda after: list_clients(
            ctx, OAuthClientFilter(), Ordering("created_at"), MAX_PAGE_SIZE, after
        )
    ):
        rows.append(
            (
                client.id,
                client.name,
                client.client_type.value,
                ",".join(client.grant_types),
                _scopes_label(client.scopes),
                _when(client.created_at),
                "revoked" if client.revoked_at is not None else "active",
            )
        )
    _print_table(rows, f"no OAuth clients in {args.org!r}")
    return 0


async def _client_org(command: _Operator, client_id: str) -> str | None:
    from app.models import OAuthClient

    org_id = await command.org_id_of(OAuthClient, client_id)
    if org_id is None:
        print(f"error: no OAuth client {client_id!r}", file=sys.stderr)
    return org_id


async def _clients_rotate(command: _Operator, args: argparse.Namespace) -> int:
    from resolvers.oauth_clients import rotate_client_secret

    org_id = await _client_org(command, args.client_id)
    if org_id is None:
        return 1
    issued = await rotate_client_secret(command.context(org_id), args.client_id)
    print(f"client id: {issued.client.id}")
    print(f"new client secret (shown once, store it now): {issued.secret}")
    return 0


async def _clients_revoke(command: _Operator, args: argparse.Namespace) -> int:
    from resolvers.oauth_clients import revoke_client

    org_id = await _client_org(command, args.client_id)
    if org_id is None:
        return 1
    client = await revoke_client(command.context(org_id), args.client_id)
    print(f"{client.id} ({client.name}) revoked at {_when(client.revoked_at)}; its tokens stopped")
    return 0


_CLIENT_ACTIONS: dict[str, Action] = {
    "create": _clients_create,
    "list": _clients_list,
    "rotate-secret": _clients_rotate,
    "revoke": _clients_revoke,
}


def _datetime(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise argparse.ArgumentTypeError("give a timezone, e.g. 2027-01-01T00:00:00Z")
    return parsed


async def _audit_export(settings: Settings, args: argparse.Namespace) -> int:
    from app.audit.export import export_lines

    operator = _Operator(settings)
    try:
        org_id = await operator.org_id_of_slug(args.org)
        if org_id is None:
            print(f"no organisation with slug {args.org!r}", file=sys.stderr)
            return 1
        out = sys.stdout.buffer
        async for line in export_lines(operator.db, org_id, args.since, args.until):
            out.write(line)
        out.flush()
    finally:
        await operator.close()
    return 0


def cmd_secret_key(settings: Settings, args: argparse.Namespace) -> int:
    from app.crypto import new_key

    if args.action == "new":
        print(new_key())
        return 0
    return asyncio.run(_reseal(settings))


async def _reseal(settings: Settings) -> int:
    """Seal every stored secret with the current (first) key, so older keys can be dropped."""
    from app.crypto import secret_box_for
    from app.models.sealing import reseal

    box = secret_box_for(settings)
    db = Database(settings.database_url, secret_box=box)
    try:
        report = await reseal(db)
    finally:
        await db.dispose()
    for column, count in report.counts.items():
        print(f"{column}: {count} re-sealed")
    for column, ids in report.unreadable.items():
        print(f"error: {column}: no configured key opens {', '.join(ids)}", file=sys.stderr)
    if report.unreadable:
        return 1
    print(f"every stored secret is sealed with key {box.current_key_id}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reelhouse", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the API server")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--log-level", default="info")

    sub.add_parser(
        "worker", help="run the event dispatcher and webhook sender (any number in parallel)"
    )
    sub.add_parser("migrate", help="upgrade the database to the latest schema")
    secret_key = sub.add_parser("secret-key", help="keys that encrypt stored secrets")
    secret_key_actions = secret_key.add_subparsers(dest="action", required=True)
    secret_key_actions.add_parser("new", help="print a new random key for REELHOUSE_SECRET_KEY")
    secret_key_actions.add_parser(
        "reseal",
        help="re-encrypt every stored secret with the first key of REELHOUSE_SECRET_KEY "
        "(after adding a new key, before removing an old one)",
    )
    sub.add_parser("seed-demo", help="create demo data and print a demo admin key")

    orgs = sub.add_parser("orgs", help="organisations").add_subparsers(dest="action", required=True)
    orgs_create = orgs.add_parser("create", help="create an organisation")
    orgs_create.add_argument("slug")
    orgs_create.add_argument("--name")

    keys = sub.add_parser("keys", help="API keys").add_subparsers(dest="action", required=True)
    keys_create = keys.add_parser(
        "create",
        help="create a key and print its secret once",
        epilog=f"scopes: {', '.join(s.value for s in Scope)}; presets: {', '.join(PRESETS)}",
    )
    keys_create.add_argument("--org", required=True, help="organisation slug")
    keys_create.add_argument("--scopes", required=True, nargs="+", help="scopes or presets")
    keys_create.add_argument("--name", default="cli key")
    keys_create.add_argument("--description", default="")
    keys_create.add_argument("--project", action="append", help="limit to this project id")
    keys_create.add_argument(
        "--cidr", action="append", help="accept requests only from this IPv4/IPv6 range"
    )
    keys_create.add_argument("--expires-at", type=_datetime)
    keys_create.add_argument(
        "--test-mode", action="store_true", help="issue a rh_test_ key instead of rh_live_"
    )
    keys_create.add_argument(
        "--read-rate-limit", type=int, metavar="POINTS", help="read points a minute"
    )
    keys_create.add_argument(
        "--write-rate-limit", type=int, metavar="POINTS", help="write points a minute"
    )
    keys_limits = keys.add_parser(
        "limits",
        help="set a key's rate limits (points a minute; `default`: the server's setting)",
    )
    keys_limits.add_argument("key_id")
    keys_limits.add_argument("--read", type=_limit, metavar="POINTS|default")
    keys_limits.add_argument("--write", type=_limit, metavar="POINTS|default")

    keys_list = keys.add_parser("list", help="list an organisation's keys (never their secrets)")
    keys_list.add_argument("--org", required=True, help="organisation slug")
    keys_list.add_argument("--status", choices=["active", "expired", "revoked"])

    keys_rotate = keys.add_parser(
        "rotate", help="issue a new secret; the old one works for the grace period"
    )
    keys_rotate.add_argument("key_id")
    keys_rotate.add_argument(
        "--grace-period",
        type=int,
        default=None,
        metavar="SECONDS",
        help="how long the old secret keeps working: 0 to 604800 (default 86400)",
    )

    keys_revoke = keys.add_parser("revoke", help="revoke a key at once, on every server")
    keys_revoke.add_argument("key_id")

    users = sub.add_parser("users", help="organisation members").add_subparsers(
        dest="action", required=True
    )
    users_create = users.add_parser(
        "create",
        help="add a member (password from REELHOUSE_PASSWORD or asked on the terminal)",
    )
    users_create.add_argument("--org", required=True, help="organisation slug")
    users_create.add_argument("--email", required=True)
    users_create.add_argument("--role", required=True, choices=["owner", "admin", "member"])
    users_create.add_argument("--name")
    users_create.add_argument("--project", action="append", help="limit to this project id")
    users_list = users.add_parser("list", help="list an organisation's members")
    users_list.add_argument("--org", required=True, help="organisation slug")
    users_disable = users.add_parser(
        "disable", help="stop a member signing in; ends their sessions and tokens at once"
    )
    users_disable.add_argument("user_id")
    users_disable.set_defaults(enable=False)
    users_enable = users.add_parser("enable", help="let a disabled member sign in again")
    users_enable.add_argument("user_id")
    users_enable.set_defaults(enable=True)

    clients = sub.add_parser("clients", help="OAuth clients").add_subparsers(
        dest="action", required=True
    )
    clients_create = clients.add_parser(
        "create", help="register an OAuth client and print its secret once"
    )
    clients_create.add_argument("--org", required=True, help="organisation slug")
    clients_create.add_argument("--name", required=True)
    clients_create.add_argument("--type", required=True, choices=["confidential", "public"])
    clients_create.add_argument("--scopes", required=True, nargs="+", help="scopes or presets")
    clients_create.add_argument(
        "--grant-types",
        required=True,
        nargs="+",
        help="client_credentials, authorization_code, refresh_token",
    )
    clients_create.add_argument("--redirect-uri", action="append", help="an exact redirect URI")
    clients_create.add_argument("--access-token-lifetime", type=int, metavar="SECONDS")
    clients_create.add_argument("--refresh-token-lifetime", type=int, metavar="SECONDS")
    clients_list = clients.add_parser("list", help="list an organisation's OAuth clients")
    clients_list.add_argument("--org", required=True, help="organisation slug")
    clients_rotate = clients.add_parser(
        "rotate-secret", help="issue a new secret; the old one stops working at once"
    )
    clients_rotate.add_argument("client_id")
    clients_revoke = clients.add_parser(
        "revoke", help="revoke a client and every token it holds, on every server"
    )
    clients_revoke.add_argument("client_id")

    audit = sub.add_parser("audit", help="the audit trail").add_subparsers(
        dest="action", required=True
    )
    audit_export = audit.add_parser(
        "export", help="an organisation's audit records as NDJSON on stdout, oldest first"
    )
    audit_export.add_argument("--org", required=True, help="organisation slug")
    audit_export.add_argument("--since", type=_datetime, help="from this time (inclusive)")
    audit_export.add_argument("--until", type=_datetime, help="up to this time (exclusive)")

    contract = sub.add_parser(
        "contract", help="the public schema snapshots in docs/ and the breaking-change check"
    )
    contract.add_argument(
        "action",
        choices=["snapshot", "check", "openapi"],
        help="snapshot: write docs/schema.graphql and docs/openapi.json; check: fail on "
        "breaking or unsnapshotted changes; openapi: print the OpenAPI document",
    )
    contract.add_argument("--root", default=".", help="the repository (default: here)")
    return parser


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = settings or get_settings()
    if args.command == "serve":
        return cmd_serve(settings, args)
    if args.command == "worker":
        configure_logging(settings.json_logs, settings.log_level)
        return asyncio.run(_worker(settings))
    if args.command == "migrate":
        return cmd_migrate(settings, args)
    if args.command == "secret-key":
        return cmd_secret_key(settings, args)
    if args.command == "seed-demo":
        return asyncio.run(_seed(settings))
    if args.command == "orgs":
        return asyncio.run(_orgs_create(settings, args))
    actions = {"keys": _KEY_ACTIONS, "users": _USER_ACTIONS, "clients": _CLIENT_ACTIONS}
    if args.command in actions:
        return asyncio.run(_operate(settings, actions[args.command], args))
    if args.command == "contract":
        return cmd_contract(args)
    if args.command == "audit":
        return asyncio.run(_audit_export(settings, args))
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
