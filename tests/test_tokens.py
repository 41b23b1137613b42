"""API key format: a secret scanner recognises a real key offline, from the text alone.

``scanner_accepts`` is written from the documented format (DESIGN.md, ``app/auth/tokens.py``),
not from our code, the way a third-party scanner would implement it: if the two disagree, keys
we issue would be missed by scanners, or typos flagged as leaks.
"""

from __future__ import annotations

import re
import zlib

import pytest

from app.auth import tokens

SCANNER_PATTERN = re.compile(r"\brh_(live|test)_([0-9A-Za-z]{32})([0-9A-Za-z]{6})\b")
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def scanner_accepts(text: str) -> list[str]:
    """Every ``rh_`` key in ``text`` whose checksum (CRC32 of the body, base62, 6 digits) holds."""
    found = []
    for match in SCANNER_PATTERN.finditer(text):
        value, digits = zlib.crc32(match.group(2).encode()), ""
        for _ in range(6):
            value, rem = divmod(value, 62)
            digits = BASE62[rem] + digits
        if digits == match.group(3):
            found.append(match.group(0))
    return found


@pytest.mark.parametrize("environment", tokens.ENVIRONMENTS)
def test_issued_keys_pass_the_scanner_and_our_check(environment: str) -> None:
    for _ in range(200):
        issued = tokens.generate(environment)
        assert issued.token.startswith(f"rh_{environment}_")
        assert len(issued.token) == len(f"rh_{environment}_") + 32 + 6
        assert tokens.is_well_formed(issued.token)
        assert scanner_accepts(f'config = {{"key": "{issued.token}"}}') == [issued.token]


def test_every_single_character_typo_is_caught() -> None:
    token = tokens.generate("live").token
    start = len("rh_live_")
    for position in range(start, len(token)):
        for replacement in "0aZ":
            if token[position] == replacement:
                continue
            typo = token[:position] + replacement + token[position + 1 :]
            assert not tokens.is_well_formed(typo), typo
            assert scanner_accepts(typo) == [], typo


@pytest.mark.parametrize(
    "candidate",
    [
        "",
        "rh_live_",
        "rh_prod_" + "a" * 38,
        "RH_LIVE_" + "a" * 38,
        "rh_live_" + "a" * 37,
        "rh_live_" + "a" * 39,
        "rh_live_" + "a" * 31 + "-" + "a" * 6,
        " rh_live_" + "a" * 38,
    ],
)
def test_malformed_keys_are_refused_without_io(candidate: str) -> None:
    assert not tokens.is_well_formed(candidate)


def test_swapped_body_and_checksum_do_not_match() -> None:
    first, second = tokens.generate("live").token, tokens.generate("live").token
    assert not tokens.is_well_formed(first[:-6] + second[-6:])


def test_only_the_hash_is_derived_and_it_is_stable() -> None:
    issued = tokens.generate("test")
    assert issued.hash == tokens.hash_token(issued.token)
    assert len(issued.hash) == 64 and issued.token not in issued.hash
    assert issued.last4 == issued.token[-4:]
    assert tokens.generate("test").hash != issued.hash


def test_unknown_environment_is_refused() -> None:
    with pytest.raises(ValueError, match="environment"):
        tokens.generate("prod")
