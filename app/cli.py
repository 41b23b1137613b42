"""``reelhouse``: serve, run event workers, migrate, seed demo data, manage organisations and keys.

Every command reads the same ``REELHOUSE_*`` settings as the server.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from app.auth.issuing import issue_key
from app.auth.scopes import PRESETS, Scope, parse_scopes
from app.database import Database
from app.settings import Settings, get_settings


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
    port = args.port or settings.port
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
    print(f"demo admin API key (shown once): {result.token}")
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


async def _keys_create(settings: Settings, args: argparse.Namespace) -> int:
    from app.models import Organization

    try:
        scopes = parse_scopes([s for part in args.scopes for s in part.split(",") if s])
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not scopes:
        print("error: give at least one scope", file=sys.stderr)
        return 2
    db = _db(settings)
    try:
        async with db.writing() as session:
            org = (
                await session.execute(select(Organization).where(Organization.slug == args.org))
            ).scalar_one_or_none()
            if org is None:
                print(f"error: no organisation {args.org!r}", file=sys.stderr)
                return 1
            key, token = await issue_key(
                session,
                org_id=org.id,
                name=args.name,
                scopes=scopes,
                environment=settings.key_environment,
                project_ids=args.project or None,
                expires_at=args.expires_at,
            )
    finally:
        await db.dispose()
    print(f"key id: {key.id}")
    print(f"scopes: {' '.join(sorted(key.scopes))}")
    print(f"secret (shown once, store it now): {token}")
    return 0


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
    keys_create.add_argument("--project", action="append", help="limit to this project id")
    keys_create.add_argument("--expires-at", type=_datetime)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
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
        return asyncio.run(_keys_create(settings, args))
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
