"""Live subscribers: commit-to-message latency with 0, 100 and 1,000 WebSocket subscribers on one
API process, and whether the writer's own latency changes with their number.

``python -m bench.subscriptions [--subscribers 0 100 1000] [--samples 50]`` creates a
throwaway PostgreSQL database and Redis prefix, starts the API as ``reelhouse serve`` runs it
(one uvicorn worker, embedded event worker on, Redis fan-out) and, for each subscriber count,
opens that many ``graphql-transport-ws`` connections (each subscribed to
``events(types: ["project.updated"])``), then commits ``--samples`` project updates one at a
time through ``POST /graphql``. Per sample it records the writer's request latency and, for
every subscriber, the time from sending the write to receiving its ``next`` message (so the
latency includes the write's own time: an upper bound of "from commit"). The next sample waits
until every subscriber has its message (or 10 s).

The subscribers run in this process, on one event loop: on a busy machine their own reading
adds to the measured latency, which is why the figure is an upper bound.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as websocket_connect
from websockets.typing import Subprotocol

from bench import harness

SUBSCRIPTION = 'subscription { events(types: ["project.updated"]) { id sequence } }'
UPDATE = """mutation($input: UpdateProjectInput!) {
  updateProject(input: $input) { project { version } userErrors { code } }
}"""
TARGET_P99_MS = 100.0


@dataclass(frozen=True)
class Row:
    subscribers: int
    samples: int
    writer_p50_ms: float
    writer_p99_ms: float
    delivery_p50_ms: float | None
    delivery_p99_ms: float | None
    missed: int
    """Messages that did not arrive within 10 s of their write."""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Subscriber:
    """One WebSocket subscription; ``arrivals`` maps an event sequence to when it arrived."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.arrivals: dict[int, float] = {}
        self.changed = asyncio.Event()

    @classmethod
    async def open(cls, url: str, token: str, compression: bool) -> Subscriber:
        connection = await websocket_connect(
            url,
            subprotocols=[Subprotocol("graphql-transport-ws")],
            max_queue=None,
            compression="deflate" if compression else None,
        )
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await connection.send(orjson.dumps(init).decode())
        acknowledged = orjson.loads(await connection.recv())
        if acknowledged.get("type") != "connection_ack":
            raise RuntimeError(f"subscription refused: {acknowledged}")
        subscribe = {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}
        await connection.send(orjson.dumps(subscribe).decode())
        await connection.send(orjson.dumps({"type": "ping"}).decode())
        pong = orjson.loads(await connection.recv())
        if pong.get("type") != "pong":
            raise RuntimeError(f"unexpected message before the first event: {pong}")
        return cls(connection)

    async def read(self) -> None:
        async for raw in self.connection:
            message = orjson.loads(raw)
            if message.get("type") == "next":
                self.arrivals[message["payload"]["data"]["events"]["sequence"]] = (
                    time.perf_counter()
                )
                self.changed.set()


async def measure(
    base_url: str,
    token: str,
    project_id: str,
    subscribers: int,
    samples: int,
    version: int,
    compression: bool = True,
) -> tuple[Row, int]:
    ws_url = base_url.replace("http://", "ws://") + "/graphql"
    opened: list[Subscriber] = []
    for start in range(0, subscribers, 50):
        opened += await asyncio.gather(
            *(
                Subscriber.open(ws_url, token, compression)
                for _ in range(min(50, subscribers - start))
            )
        )
    readers = [asyncio.create_task(s.read()) for s in opened]
    writer: list[float] = []
    delivery: list[float] = []
    missed = 0
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            for sample in range(samples):
                sent = time.perf_counter()
                response = await client.post(
                    "/graphql",
                    json={
                        "query": UPDATE,
                        "variables": {"input": {"id": project_id, "name": f"S{sample}"}},
                    },
                    headers=headers,
                )
                writer.append((time.perf_counter() - sent) * 1000)
                payload = response.json()["data"]["updateProject"]
                if payload["userErrors"]:
                    raise RuntimeError(f"update failed: {payload['userErrors']}")
                version = payload["project"]["version"]
                deadline = time.perf_counter() + 10
                for subscriber in opened:
                    while version not in subscriber.arrivals and time.perf_counter() < deadline:
                        subscriber.changed.clear()
                        try:
                            await asyncio.wait_for(
                                subscriber.changed.wait(), deadline - time.perf_counter()
                            )
                        except TimeoutError:
                            break
                    arrived = subscriber.arrivals.get(version)
                    if arrived is None:
                        missed += 1
                    else:
                        delivery.append((arrived - sent) * 1000)
    finally:
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        await asyncio.gather(*(s.connection.close() for s in opened), return_exceptions=True)
    row = Row(
        subscribers=subscribers,
        samples=samples,
        writer_p50_ms=round(statistics.median(writer), 2),
        writer_p99_ms=round(percentile(writer, 0.99), 2),
        delivery_p50_ms=round(statistics.median(delivery), 2) if delivery else None,
        delivery_p99_ms=round(percentile(delivery, 0.99), 2) if delivery else None,
        missed=missed,
    )
    return row, version


def create_project(base_url: str, token: str) -> str:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        seed = harness.Seed(org_id="", token=token)
        data = harness.call(
            client, seed, harness.CREATE_PROJECT, {"input": {"slug": "live", "name": "Live"}}
        )
    project_id: str = data["createProject"]["project"]["id"]
    return project_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.subscriptions", description=__doc__)
    parser.add_argument("--subscribers", type=int, nargs="+", default=[0, 100, 1000])
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument(
        "--compression",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="subscribers offer per-message deflate, as browsers do (the server then compresses "
        "every message for each of them)",
    )
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    rows: list[Row] = []
    from app.migrate import upgrade

    with (
        tempfile.TemporaryDirectory(prefix="reelhouse-subs-") as tmp,
        harness.postgres_database() as url,
        harness.redis_prefix() as redis_env,
    ):
        upgrade(url)
        _, token = asyncio.run(harness.create_tenant(url))
        # Every subscriber is the bench key's, one socket each: lift the per-credential caps
        # (200 subscriptions, 50 sockets) above the largest row, as an operator serving many
        # live dashboards from one key would.
        most = str(max(args.subscribers) + 1)
        env = {
            **harness.api_environment(url),
            **redis_env,
            "REELHOUSE_SUBSCRIPTIONS_PER_CREDENTIAL": most,
            "REELHOUSE_SOCKETS_PER_CREDENTIAL": most,
        }
        with harness.server("api", "app.factory:create_app", env, Path(tmp), factory=True) as api:
            project_id = create_project(api, token)
            version = 1
            for count in args.subscribers:
                row, version = asyncio.run(
                    measure(api, token, project_id, count, args.samples, version, args.compression)
                )
                rows.append(row)
                print(f"  {count} subscribers: {row}", file=sys.stderr)
    if args.json:
        print(json.dumps([asdict(r) for r in rows], indent=2))
        return 0
    print(
        f"load average at start: {load:.2f}, {os.cpu_count()} cores, {args.samples} writes per row"
    )
    print(
        "| subscribers | writer p50 ms | writer p99 ms | delivery p50 ms | delivery p99 ms | missed |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        shown: list[Any] = [r.delivery_p50_ms or "-", r.delivery_p99_ms or "-"]
        print(
            f"| {r.subscribers} | {r.writer_p50_ms} | {r.writer_p99_ms} | {shown[0]} | "
            f"{shown[1]} | {r.missed} |"
        )
    largest = rows[-1] if rows else None
    if largest is not None and largest.delivery_p99_ms is not None:
        verdict = "met" if largest.delivery_p99_ms <= TARGET_P99_MS else "NOT met"
        print(f"p99 <= {TARGET_P99_MS:g} ms with {largest.subscribers} subscribers: {verdict}")
    return 0 if all(r.missed == 0 for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
