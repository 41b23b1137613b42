"""Running ``ffprobe`` on a file and reading width, height, duration, codec and fps.

A subprocess with a time limit (killed when it passes), never a blocking call on the event
loop. Only the first video stream (else the first audio stream) is described.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from fractions import Fraction
from pathlib import Path
from typing import Any

import orjson

FFPROBE = "ffprobe"


class ProbeFailed(Exception):
    """ffprobe could not read the file (not media, truncated, or it took too long)."""


def available() -> bool:
    return shutil.which(FFPROBE) is not None


def _rate(value: Any) -> float | None:
    try:
        rate = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None
    return round(float(rate), 3) if rate > 0 else None


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return round(number, 3) if number >= 0 else None


def describe(report: dict[str, Any]) -> dict[str, Any]:
    """The fields we keep from ffprobe's JSON report."""
    streams = report.get("streams") or []
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    main = video or audio
    if main is None:
        raise ProbeFailed("the file has no video or audio stream")
    duration = _number((report.get("format") or {}).get("duration")) or _number(
        main.get("duration")
    )
    return {
        "width": video.get("width") if video else None,
        "height": video.get("height") if video else None,
        "duration_seconds": duration,
        "codec": main.get("codec_name"),
        "fps": _rate(video.get("avg_frame_rate") or video.get("r_frame_rate")) if video else None,
        "audio_codec": audio.get("codec_name") if audio else None,
        "format": (report.get("format") or {}).get("format_name"),
    }


async def probe(path: Path, *, seconds: float) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        FFPROBE,
        "-v",
        "error",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        str(path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), seconds)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        raise ProbeFailed(f"ffprobe took longer than {seconds:g} s") from None
    if process.returncode != 0:
        detail = err.decode(errors="replace").strip().splitlines()
        raise ProbeFailed(f"ffprobe could not read the file: {' '.join(detail)[-300:]}")
    try:
        report = orjson.loads(out)
    except orjson.JSONDecodeError:
        raise ProbeFailed("ffprobe's report was not JSON") from None
    return describe(report)
