"""The docs stand alone: every link stays inside the repository and lands on a file (and a
heading) that exists, every docs page is reachable from the README, the scopes page names every
scope, and the examples partners copy (PKCE by hand, webhook verification) do what they say."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks import Webhook

from app.auth.scopes import Scope
from tests import markdown
from tests.markdown import SCHEME, anchors

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MARKDOWN = sorted(
    [
        ROOT / "README.md",
        ROOT / "CHANGELOG.md",
        *DOCS.glob("*.md"),
        *(ROOT / "sdk").glob("*/README.md"),
        ROOT / "bench" / "README.md",
    ]
)


def links(path: Path) -> list[str]:
    return markdown.links(path.read_text())


def code_blocks(path: Path, language: str) -> list[str]:
    return markdown.code_blocks(path.read_text(), language)


@pytest.mark.parametrize("page", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_stay_inside_the_repository(page: Path) -> None:
    problems = []
    for target in links(page):
        if SCHEME.match(target):
            problems.append(f"{target}: points outside the repository")
            continue
        file_part, _, anchor = target.partition("#")
        destination = (page.parent / file_part).resolve() if file_part else page
        if not destination.is_relative_to(ROOT) or not destination.exists():
            problems.append(f"{target}: no such file in the repository")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            problems.append(f"{target}: no heading `#{anchor}` in {destination.name}")
    assert problems == [], page


def _linked_from(page: Path) -> set[Path]:
    return {
        (page.parent / target.partition("#")[0]).resolve()
        for target in links(page)
        if not SCHEME.match(target) and target.partition("#")[0]
    }


def test_every_docs_page_is_linked_from_the_readme_and_the_docs_index() -> None:
    pages = {p.resolve() for p in DOCS.iterdir() if p.suffix in (".md", ".graphql", ".json")}
    readme = _linked_from(ROOT / "README.md")
    index = _linked_from(DOCS / "README.md")
    assert sorted(p.name for p in pages - readme) == []
    assert sorted(p.name for p in pages - index - {(DOCS / "README.md").resolve()}) == []


def test_no_page_is_a_placeholder() -> None:
    for page in MARKDOWN:
        text = page.read_text()
        for marker in ("To be completed", "TODO", "<!-- LEAD", "TBD"):
            assert marker not in text, f"{page.relative_to(ROOT)}: {marker}"


def test_the_scopes_page_names_every_scope() -> None:
    table = {
        scope
        for row in re.findall(r"^\| (.+?) \|", (DOCS / "scopes.md").read_text(), re.MULTILINE)
        for scope in re.findall(r"`([a-z_]+(?::[a-z_]+)?)`", row)
    }
    assert sorted(s.value for s in Scope if s.value not in table) == []


def test_authentication_covers_api_keys_and_every_oauth_grant() -> None:
    page = DOCS / "authentication.md"
    assert {"api-keys", "oauth-20"} <= anchors(page)
    oauth = page.read_text().split("## OAuth 2.0", 1)[1]
    shell = "\n".join(code_blocks(page, "sh"))
    for grant in ("client_credentials", "authorization_code", "refresh_token"):
        assert f"grant_type={grant}" in shell, grant
    assert "code_challenge_method=S256" in shell and "code_verifier=" in shell
    for endpoint in ("/oauth/revoke", "/oauth/introspect", "/.well-known/jwks.json"):
        assert endpoint in oauth, endpoint


def test_the_pkce_commands_make_an_s256_challenge() -> None:
    """The shell lines partners copy compute what the server checks (RFC 7636 S256)."""
    [block] = [b for b in code_blocks(DOCS / "authentication.md", "sh") if "CHALLENGE=" in b]
    lines = [line for line in block.splitlines() if re.match(r"(VERIFIER|CHALLENGE)=", line)]
    script = "\n".join([*lines, 'printf "%s %s" "$VERIFIER" "$CHALLENGE"'])
    output = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, check=True
    ).stdout
    verifier, challenge = output.split()
    assert 43 <= len(verifier) <= 128
    digest = hashlib.sha256(verifier.encode()).digest()
    assert challenge == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def test_the_python_verification_example_accepts_genuine_and_refuses_forged() -> None:
    """docs/webhook-verification.md's Python handler, run on a delivery signed as ours are."""
    [example] = code_blocks(DOCS / "webhook-verification.md", "python")
    secret = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
    processed: list[dict[str, Any]] = []
    seen: set[str] = set()
    namespace: dict[str, Any] = {
        "already_processed": lambda webhook_id: webhook_id in seen,
        "process": processed.append,
    }
    exec(compile(example.replace('"whsec_…"', repr(secret)), "verification", "exec"), namespace)
    body = b'{"id": "evt_1", "type": "project.created", "data": {"id": "prj_1"}}'
    now = int(time.time())
    signature = Webhook(secret).sign("evt_1", datetime.fromtimestamp(now, UTC), body.decode())
    headers = {"webhook-id": "evt_1", "webhook-timestamp": str(now), "webhook-signature": signature}
    assert namespace["handle"](body, headers) == 200
    assert processed == [{"id": "evt_1", "type": "project.created", "data": {"id": "prj_1"}}]
    assert namespace["handle"](body.replace(b"prj_1", b"prj_2"), headers) == 400
    stale = {**headers, "webhook-timestamp": str(now - 3600)}
    assert namespace["handle"](body, stale) == 400
    assert len(processed) == 1


def test_webhook_verification_covers_node_python_and_php() -> None:
    page = DOCS / "webhook-verification.md"
    assert {"python", "node-typescript-or-javascript", "php"} <= anchors(page)
    assert code_blocks(page, "ts") and code_blocks(page, "php") and code_blocks(page, "python")
