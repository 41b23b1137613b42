"""``app.crypto``: sealed values open only with the keys that sealed them, and keys rotate."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from app.crypto import SecretBox, SecretBoxError, key_file_of, new_key, secret_box_for
from app.crypto.box import parse_key
from app.settings import Settings


def test_seal_and_open_round_trip_with_a_fresh_nonce_each_time() -> None:
    box = SecretBox.from_text(new_key())
    sealed = box.seal("whsec_abc")
    again = box.seal("whsec_abc")
    assert sealed != again and "whsec_abc" not in sealed
    assert sealed.startswith(f"v1.{box.current_key_id}.")
    assert box.open(sealed) == box.open(again) == "whsec_abc"
    assert box.open(box.seal("")) == "" and box.open(box.seal("ünï")) == "ünï"


def test_a_value_opens_only_with_its_key_and_unaltered() -> None:
    box, other = SecretBox.from_text(new_key()), SecretBox.from_text(new_key())
    sealed = box.seal("whsec_abc")
    with pytest.raises(SecretBoxError, match="not configured"):
        other.open(sealed)
    version, kid, body = sealed.split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    for broken in (f"{version}.{kid}.{flipped}", "whsec_plain", "v1.short.x", f"v2.{kid}.{body}"):
        with pytest.raises(SecretBoxError):
            box.open(broken)


def test_rotation_seals_with_the_newest_key_and_opens_with_all() -> None:
    old, new = new_key(), new_key()
    before = SecretBox.from_text(old)
    sealed_before = before.seal("s1")
    rotating = SecretBox.from_text(f"{new}, {old}")
    assert rotating.current_key_id != before.current_key_id
    assert rotating.open(sealed_before) == "s1"
    assert not rotating.is_current(sealed_before)
    sealed_after = rotating.seal("s2")
    assert rotating.is_current(sealed_after)
    assert SecretBox.from_text(new).open(sealed_after) == "s2"


@pytest.mark.parametrize("text", ["", "abc", "A" * 44 + "A", "not base64 !!"])
def test_malformed_keys_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="base64url"):
        parse_key(text)


def test_embedded_default_generates_an_owner_only_key_file(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    settings = Settings(database_url=url)
    box = secret_box_for(settings)
    path = key_file_of(url)
    assert path == tmp_path / "app.db.key" and path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert secret_box_for(settings).open(box.seal("x")) == "x"
    assert [p.name for p in tmp_path.iterdir()] == ["app.db.key"]


def test_servers_need_a_configured_key() -> None:
    url = "postgresql+asyncpg://postgres@127.0.0.1/db"
    with pytest.raises(RuntimeError, match="REELHOUSE_SECRET_KEY"):
        secret_box_for(Settings(database_url=url))
    key = new_key()
    box = secret_box_for(Settings(database_url=url, secret_key=SecretStr(key)))
    assert SecretBox.from_text(key).open(box.seal("x")) == "x"


def test_cli_prints_a_usable_key(capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    assert main(["secret-key", "new"], Settings()) == 0
    key = capsys.readouterr().out.strip()
    assert len(parse_key(key)) == 32
