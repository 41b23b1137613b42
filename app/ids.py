"""Public identifiers: ``<prefix>_<ULID>``, sortable by creation time, alike on every transport."""

from __future__ import annotations

import re
from enum import StrEnum

from ulid import ULID


class IdPrefix(StrEnum):
    ORGANIZATION = "org"
    PROJECT = "prj"
    CHARACTER = "chr"
    SCENE = "scn"
    SEGMENT = "seg"
    ASSET = "ast"
    TEMPLATE = "tpl"
    JOB = "job"
    API_KEY = "key"
    API_KEY_SECRET = "kss"
    WEBHOOK_ENDPOINT = "whk"
    EVENT = "evt"
    DELIVERY = "dlv"
    REQUEST = "req"
    MANIFEST_SCHEMA = "msc"
    MANIFEST = "mft"
    TELEMETRY_EVENT = "tev"
    TELEMETRY_BATCH = "tlb"


_ID_RE = re.compile(r"^([a-z]{3})_([0-9A-HJKMNP-TV-Z]{26})$")


def new_id(prefix: IdPrefix) -> str:
    return f"{prefix.value}_{ULID()}"


def prefix_of(value: str) -> IdPrefix | None:
    """The prefix of a well-formed id, or None for anything else (so lookups can skip the store)."""
    match = _ID_RE.match(value)
    if match is None:
        return None
    try:
        return IdPrefix(match.group(1))
    except ValueError:
        return None
