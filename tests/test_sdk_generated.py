"""The committed SDKs are what ``make sdk`` generates from the current OpenAPI document: a
schema change without regenerating them fails here, naming the command."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import orjson

from rest_compat import public_documents
from schema import build_schema
from tests.test_sdk_typescript import node_toolchain

SDK = Path(__file__).resolve().parent.parent / "sdk"
GENERATED = (
    Path("python/reelhouse/_generated"),
    Path("python/reelhouse/_resources.py"),
    Path("python/reelhouse/_errors.py"),
    Path("typescript/src/schema.ts"),
    Path("typescript/src/resources.ts"),
    Path("typescript/src/errors.ts"),
)


def _files(root: Path, part: Path) -> dict[Path, Path]:
    target = root / part
    if target.is_file():
        return {part: target}
    return {
        p.relative_to(root): p
        for p in sorted(target.rglob("*"))
        if p.is_file() and not {"__pycache__", ".ruff_cache"} & set(p.parts)
    }


def test_committed_sdks_are_what_make_sdk_generates(tmp_path: Path) -> None:
    node_toolchain()
    openapi = tmp_path / "openapi.json"
    openapi.write_bytes(orjson.dumps(public_documents(build_schema())[1]))
    out = tmp_path / "sdk"
    ignore = shutil.ignore_patterns("_generated", "__pycache__", ".ruff_cache")
    shutil.copytree(SDK / "python" / "reelhouse", out / "python" / "reelhouse", ignore=ignore)
    shutil.copytree(SDK / "typescript" / "src", out / "typescript" / "src")
    subprocess.run(
        [sys.executable, str(SDK / "generate.py"), str(openapi), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    stale = []
    for part in GENERATED:
        fresh, committed = _files(out, part), _files(SDK, part)
        if fresh.keys() != committed.keys():
            stale.append(str(part))
            continue
        stale += [str(k) for k in fresh if not filecmp.cmp(fresh[k], committed[k], shallow=False)]
    assert stale == [], (
        "The SDKs are stale; run `make sdk` and commit the result. Differs: " + ", ".join(stale)
    )
    shutil.rmtree(out)
