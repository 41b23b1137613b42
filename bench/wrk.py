"""Driving ``wrk``: one generated Lua script per scenario, results read back as JSON.

The script sets the method, headers and body (or builds a fresh body per request, for writes
that must not collide), and its ``done`` hook prints the numbers we report on one line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MARKER = "BENCH_RESULT "

_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"non_2xx": %d, "socket_errors": %d}\\n',
    "{marker}", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None = None
    unique: str | None = None
    """A placeholder in ``body`` replaced by a value unique to each request (e.g. a slug)."""
    unique_header: str | None = None
    """A header sent with that unique value too (``Idempotency-Key``)."""


@dataclass(frozen=True, slots=True)
class Result:
    requests: int
    duration_us: int
    p50_us: int
    p99_us: int
    non_2xx: int
    socket_errors: int

    @property
    def per_second(self) -> float:
        return self.requests / (self.duration_us / 1_000_000) if self.duration_us else 0.0


def _lua_string(value: str) -> str:
    level = 0
    while f"]{'=' * level}]" in value:
        level += 1
    return f"[{'=' * level}[{value}]{'=' * level}]"


def lua_script(request: Request, run_tag: str) -> str:
    lines = [f"wrk.method = {_lua_string(request.method)}"]
    lines += [
        f"wrk.headers[ {_lua_string(name)} ] = {_lua_string(value)}"
        for name, value in request.headers.items()
    ]
    if request.body is not None and request.unique is None:
        lines.append(f"wrk.body = {_lua_string(request.body)}")
    if request.unique is not None:
        assert request.body is not None and request.unique in request.body
        before, after = request.body.split(request.unique, 1)
        lines += [
            "local next_thread = 0",
            "function setup(thread)",
            "  next_thread = next_thread + 1",
            '  thread:set("thread_number", next_thread)',
            "end",
            "local counter = 0",
            "function request()",
            "  counter = counter + 1",
            f"  local unique = {_lua_string(run_tag)} .. thread_number .. '-' .. counter",
            f"  local body = {_lua_string(before)} .. unique .. {_lua_string(after)}",
        ]
        headers = "nil"
        if request.unique_header is not None:
            headers = "headers"
            lines += [
                "  local headers = {}",
                "  for name, value in pairs(wrk.headers) do headers[name] = value end",
                f"  headers[ {_lua_string(request.unique_header)} ] = unique",
            ]
        lines += [
            f"  return wrk.format(nil, {_lua_string(request.path)}, {headers}, body)",
            "end",
        ]
    lines.append(_DONE.replace("{marker}", MARKER))
    return "\n".join(lines)


def ensure_wrk() -> str:
    """``wrk`` on PATH, installed with apt-get when missing (the harness runs as root in CI)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found; installing it with apt-get", file=sys.stderr)
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, check=False, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
        subprocess.run(install, check=False, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is required: install it (e.g. `apt-get install wrk`) and retry")
    return found


def run(
    wrk: str,
    base_url: str,
    request: Request,
    *,
    script_dir: Path,
    name: str,
    run_tag: str,
    duration: float,
    threads: int,
    connections: int,
) -> Result:
    script = script_dir / f"{name}-{run_tag}.lua"
    script.write_text(lua_script(request, run_tag))
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        base_url + request.path,
    ]
    completed = subprocess.run(
        command, check=False, capture_output=True, text=True, timeout=duration + 60
    )
    for line in completed.stdout.splitlines():
        if line.startswith(MARKER):
            return Result(**json.loads(line[len(MARKER) :]))
    raise RuntimeError(f"wrk gave no result:\n{completed.stdout}\n{completed.stderr}")
