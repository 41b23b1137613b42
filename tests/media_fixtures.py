"""Real media and a real S3 server for the upload tests: clips made with ffmpeg, and moto in
server mode. Without ffmpeg the tests that need it skip, except under ``CI=true`` where they
fail (the project's set-up installs it: ``.ci/run``, ``make ffmpeg``)."""

from __future__ import annotations

import hashlib
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

from tests.backends import IN_CI


def require_ffmpeg() -> None:
    missing = [tool for tool in ("ffmpeg", "ffprobe") if shutil.which(tool) is None]
    if missing:
        message = f"{' and '.join(missing)} not installed (Debian: apt-get install ffmpeg)"
        if IN_CI:
            pytest.fail(f"{message}; CI=true requires it", pytrace=False)
        pytest.skip(message)


@dataclass(frozen=True)
class Clip:
    data: bytes
    width: int
    height: int
    fps: int
    seconds: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def make_clip(folder: Path, *, width: int = 64, height: int = 48, fps: int = 10) -> Clip:
    """A one-second MPEG-4 test pattern, a few kilobytes."""
    require_ffmpeg()
    path = folder / f"clip-{secrets.token_hex(4)}.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=duration=1:size={width}x{height}:rate={fps}",
            "-c:v",
            "mpeg4",
            "-pix_fmt",
            "yuv420p",
            str(path),
        ],
        check=True,
        timeout=60,
    )
    return Clip(path.read_bytes(), width, height, fps, 1)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
