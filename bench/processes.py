"""CPU time of the processes a bench row runs on, read from ``/proc``.

Requests per second depend on everything else the machine runs; the CPU time the server process
(and the database's backends) spent during a measured run, divided by the requests answered,
does not, so a row's cost is that and its ratios are comparable even on a busy machine.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import asyncpg


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """User plus system CPU seconds of each process still running."""
    ticks = os.sysconf("SC_CLK_TCK")
    found: dict[int, float] = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of the processes (those that are gone count nothing)."""
    return sum(cpu_by_pid(pids).values())


def cpu_since(before: dict[int, float], pids: list[int]) -> float:
    """CPU seconds spent since ``before`` (a ``cpu_by_pid``) by ``pids``: those that started
    meanwhile count whole, those that ended meanwhile count nothing (never a negative)."""
    now = cpu_by_pid(pids)
    return sum(max(0.0, value - before.get(pid, 0.0)) for pid, value in now.items())


def children(pid: int) -> list[int]:
    """``pid``'s descendants (uvicorn's ``--workers`` are its supervisor's children)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in task.read_text().split()]
        except OSError:
            continue
    return [d for c in found for d in (c, *children(c))]


def server_pids(base_url: str) -> list[int]:
    """The processes serving ``base_url``'s port: the uvicorn process whose command line
    names the port and, with ``--workers``, its worker processes."""
    port = base_url.rsplit(":", 1)[1].encode()
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"uvicorn" in a or b"reelhouse" in a for a in argv) and port in argv:
            found.append(int(entry.name))
    if not found:
        raise RuntimeError(f"no server process on port {port.decode()}")
    return [d for pid in found for d in (pid, *children(pid))]


async def backend_pids(url: str, *, tries: int = 5) -> list[int]:
    """This database's PostgreSQL backends (the caller's own excepted); none, after a few
    tries, while the server has no connection slot to spare (a shared machine's test suites
    may hold them all): the database's CPU is then not counted, the run goes on."""
    for attempt in range(tries):
        try:
            connection = await asyncpg.connect(
                url.replace("postgresql+asyncpg://", "postgresql://")
            )
        except asyncpg.TooManyConnectionsError:
            await asyncio.sleep(0.5 * (attempt + 1))
        else:
            break
    else:
        return []
    try:
        rows = await connection.fetch(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await connection.close()
    return [int(r["pid"]) for r in rows]
