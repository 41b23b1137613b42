"""``make profile``: a py-spy flame graph of each bench row under load, in ``bench/profiles/``.

The same database, seed, servers and requests as ``reelhouse-bench`` (``bench.harness``); for
each API row and its bare Strawberry peer, ``wrk`` drives the server while ``py-spy record``
samples it (CPU only: idle waits are left out) and writes ``<row>.svg``. Open one in a browser:
a frame's width is its share of the server's CPU, and it zooms on click. The summary printed
(and written to ``summary.txt``) gives each row's self time by package and the functions with
the most self time (from a second, non-pausing ``raw`` recording): the README's "top three
costs" come from it and the graphs.

    .venv/bin/python -m bench.profile [--duration 10] [--only nested] [--out bench/profiles]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import harness, wrk

PROFILES_DIR = harness.ROOT / "bench" / "profiles"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def py_spy() -> str:
    """py-spy from the dev extra (the venv's bin), else on PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if not found:
        raise SystemExit("py-spy is required: `make install` (it is in the dev extra)")
    return found


def collapsed(raw: Path) -> list[tuple[list[str], int]]:
    """py-spy's ``raw`` output: one ``frame;frame;...;leaf count`` line per distinct stack."""
    stacks: list[tuple[list[str], int]] = []
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append((stack.split(";"), int(count)))
    return stacks


def package(frame: str) -> str:
    """``function (path/to/file.py:12)`` -> the file's top package (``sqlalchemy``, ``app``)."""
    location = frame.rpartition(" (")[2].rstrip(")")
    path = location.rpartition(":")[0]
    parts = [p for p in path.split("/") if p]
    if "site-packages" in parts:
        parts = parts[parts.index("site-packages") + 1 :]
    elif "python3.11" in parts:
        return "stdlib:" + parts[parts.index("python3.11") + 1].removesuffix(".py")
    return parts[0].removesuffix(".py") if parts else path or "?"


def summarise(raw: Path, count: int = 8) -> list[str]:
    """Self time by package and the functions with the most self time: the frames where the
    server's CPU was actually spent."""
    stacks = collapsed(raw)
    total = sum(n for _, n in stacks) or 1
    by_package: Counter[str] = Counter()
    by_function: Counter[str] = Counter()
    for frames, n in stacks:
        by_package[package(frames[-1])] += n
        function, _, location = frames[-1].rpartition(" (")
        by_function[f"{function} ({location.rpartition(':')[0]})"] += n
    lines = [
        "  self time by package: "
        + ", ".join(f"{name} {100 * n / total:.0f}%" for name, n in by_package.most_common(count))
    ]
    lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in by_function.most_common(count)]
    return lines


def record(spy: str, pid: int, seconds: float, rate: int, output: Path, form: str) -> Any:
    """``py-spy record`` started in the background; the raw recorder does not pause the
    process (two recorders cannot both stop it)."""
    command = [
        spy,
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(round(seconds)),
        "--rate",
        str(rate),
        "--format",
        form,
        "--output",
        str(output),
    ]
    if form == "raw":
        command.append("--nonblocking")
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--duration", type=float, default=10, help="seconds sampled per row")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rate", type=int, default=100, help="py-spy samples per second")
    parser.add_argument("--only", action="append", help="rows whose name contains this")
    parser.add_argument("--out", type=Path, default=PROFILES_DIR)
    args = parser.parse_args(argv)
    wrk_path = wrk.ensure_wrk()
    spy = py_spy()
    args.out.mkdir(parents=True, exist_ok=True)
    scenarios = [s for s in harness.selected(args.only) if s.target in ("api", "peer")]
    summary: list[str] = []
    with harness.running() as servers:
        for number, scenario in enumerate(scenarios):
            request = scenario.build(servers.seed)
            base_url = servers.urls[scenario.target]
            harness.smoke(base_url, request)
            target = args.out / f"{slug(scenario.name)}.svg"
            [pid] = servers.pids[scenario.target]
            wrk.run(
                wrk_path,
                base_url,
                request,
                script_dir=servers.work,
                name=f"p{number}",
                run_tag=f"wp{number}-",
                duration=1,
                threads=1,
                connections=args.connections,
            )
            harness.wait_until_idle([pid])
            raw = servers.work / f"{slug(scenario.name)}.txt"
            recorders = [
                record(spy, pid, args.duration, args.rate, target, "flamegraph"),
                record(spy, pid, args.duration, args.rate, raw, "raw"),
            ]
            time.sleep(0.5)
            result = wrk.run(
                wrk_path,
                base_url,
                request,
                script_dir=servers.work,
                name=f"p{number}",
                run_tag=f"mp{number}-",
                duration=args.duration,
                threads=1,
                connections=args.connections,
            )
            for recorder in recorders:
                _, errors = recorder.communicate(timeout=args.duration + 60)
                if recorder.returncode != 0:
                    raise RuntimeError(f"py-spy failed for {scenario.name}:\n{errors}")
            header = f"{scenario.name} ({result.per_second:.0f} req/s) -> {target.name}"
            print(header, file=sys.stderr)
            summary += [header, *summarise(raw), ""]
    text = "\n".join(summary)
    (args.out / "summary.txt").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
