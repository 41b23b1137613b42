"""``reelhouse``: serve, run event workers, migrate, seed demo data, manage organisations and keys.

Every command reads the same ``REELHOUSE_*`` settings as the server.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlmodel import col

from app.auth.key_changes import KeyChangeNotifier
from app.auth.principal import Principal
from app.auth.scopes import PRESETS, Scope
from app.clock import isoformat
from app.contract import OPENAPI_SNAPSHOT, SDL_SNAPSHOT, Snapshots, check, write
from app.database import Database
from app.errors import ApiError
from app.redis import connect as connect_redis
from app.settings import Settings, get_settings

if TYPE_CHECKING:
    from resolvers.context import Context


def _db(settings: Settings) -> Database:
    return Database(settings.database_url)


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from app.migrate import upgrade

    upgrade(settings.database_url)
    print(f"migrated {settings.database_url}")
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

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
        proxy_headers=False,
    )
    return 0


async def _worker(settings: Settings) -> int:
    """Dispatcher and webhook sender until SIGTERM/SIGINT; any number may run side by side."""
    from app.events.worker import EventWorker
    from app.factory import build_services
    from schema import build_schema
    from schema.webhook_payloads import PayloadRenderer

    services = build_services(settings)
    schema = build_schema(max_depth=settings.max_query_depth, max_tokens=settings.max_query_tokens)
    render = PayloadRenderer(schema, services.db, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with EventWorker(services.db, services.bus, settings, render=render):
            print(f"event worker running against {services.db.dialect}", flush=True)
            await stop.wait()
    finally:
        await services.bus.close()
        if services.redis is not None:
            await services.redis.aclose()
        await services.db.dispose()
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


class _KeysCommand:
    """Runs key commands through the same resolvers as the API (validation, no privilege
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

    async def org_id_of_key(self, key_id: str) -> str | None:
        from app.models import ApiKey

        async with self.db.reading() as session:
            key = await session.get(ApiKey, key_id)
        return key.org_id if key is not None else None


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


async def _keys(settings: Settings, args: argparse.Namespace) -> int:
    from resolvers.validation import InputErrors

    command = _KeysCommand(settings)
    try:
        return await _KEY_ACTIONS[args.action](command, args)
    except (InputErrors, ApiError) as error:
        return _report_failure(error)
    finally:
        await command.close()


async def _keys_create(command: _KeysCommand, args: argparse.Namespace) -> int:
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


async def _keys_list(command: _KeysCommand, args: argparse.Namespace) -> int:
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
    after = None
    while True:
        page = await list_api_keys(
            ctx, ApiKeyFilter(status=status), Ordering("created_at"), MAX_PAGE_SIZE, after
        )
        for key in page.items:
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
        if not page.has_next:
            break
        after = page.cursors[-1]
    if len(rows) == 1:
        print(f"no API keys in {args.org!r}")
        return 0
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return 0


async def _keys_rotate(command: _KeysCommand, args: argparse.Namespace) -> int:
    from resolvers.api_keys import rotate_api_key

    org_id = await command.org_id_of_key(args.key_id)
    if org_id is None:
        print(f"error: no API key {args.key_id!r}", file=sys.stderr)
        return 1
    issued = await rotate_api_key(command.context(org_id), args.key_id, args.grace_period)
    print(f"key id: {issued.key.id}")
    print(f"previous secret valid until: {_when(issued.previous_secret_expires_at)}")
    print(f"new secret (shown once, store it now): {issued.secret}")
    return 0


async def _keys_revoke(command: _KeysCommand, args: argparse.Namespace) -> int:
    from resolvers.api_keys import revoke_api_key

    org_id = await command.org_id_of_key(args.key_id)
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


_KEY_ACTIONS: dict[str, Callable[[_KeysCommand, argparse.Namespace], Awaitable[int]]] = {
    "create": _keys_create,
    "list": _keys_list,
    "rotate": _keys_rotate,
    "revoke": _keys_revoke,
}


def _datetime(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise argparse.ArgumentTypeError("give a timezone, e.g. 2027-01-01T00:00:00Z")
    return parsed


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
        return asyncio.run(_worker(settings))
    if args.command == "migrate":
        return cmd_migrate(settings, args)
    if args.command == "seed-demo":
        return asyncio.run(_seed(settings))
    if args.command == "orgs":
        return asyncio.run(_orgs_create(settings, args))
    if args.command == "keys":
        return asyncio.run(_keys(settings, args))
    if args.command == "contract":
        return cmd_contract(args)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
