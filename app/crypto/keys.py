"""Where the process's secret keys come from.

``REELHOUSE_SECRET_KEY`` when set (every process of a deployment must share it). Otherwise,
for the embedded SQLite default only, a key file beside the database, generated on first use
with owner-only permissions, so ``make run`` needs no setup and a copy of the database alone
does not open its secrets. PostgreSQL deployments run several processes on several hosts, so
there the key must be configured.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

from app.crypto.box import SecretBox, new_key
from app.settings import Settings

logger = logging.getLogger("reelhouse.crypto")

KEY_FILE_SUFFIX = ".key"


def key_file_of(database_url: str) -> Path | None:
    """The key file beside a SQLite database file; None for in-memory SQLite and servers."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).with_name(Path(url.database).name + KEY_FILE_SUFFIX)


def secret_box_for(settings: Settings) -> SecretBox:
    """The box every sealed column and caller of this process uses."""
    if settings.secret_key is not None:
        return SecretBox.from_text(settings.secret_key.get_secret_value())
    if make_url(settings.database_url).get_backend_name() != "sqlite":
        raise RuntimeError(
            "REELHOUSE_SECRET_KEY is required with this database: every process must share "
            "the key that encrypts stored secrets. Generate one with `reelhouse secret-key new`."
        )
    path = key_file_of(settings.database_url)
    if path is None:
        return SecretBox.from_text(new_key())
    return SecretBox.from_text(_read_or_create(path))


def _read_or_create(path: Path) -> str:
    """The file's keys; created atomically (written aside, then linked into place), so two
    processes starting together agree on one key and never read a half-written file."""
    if not path.exists():
        aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, (new_key() + "\n").encode("ascii"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        try:
            os.link(aside, path)
            logger.info("generated the secret key file %s", path)
        except FileExistsError:
            pass
        finally:
            aside.unlink()
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        logger.warning(
            "%s can be read by other users; `chmod 600` it: it opens stored secrets", path
        )
    return path.read_text(encoding="ascii").strip()
