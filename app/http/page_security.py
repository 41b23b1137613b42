"""The headers every HTML page of ours sends (sign-in, consent, the console): a strict
Content-Security-Policy without ``unsafe-inline``, never framed, never sniffed, no referrer,
never cached. One policy builder, so the pages cannot drift apart."""

from __future__ import annotations

from collections.abc import Iterable


def content_security_policy(
    *,
    style_src: str,
    script_src: str | None = None,
    form_targets: Iterable[str] = (),
) -> str:
    """``style_src``/``script_src``: ``'self'`` for package assets, ``'nonce-…'`` for inline
    blocks; no script unless given. Forms post to this origin and ``form_targets``."""
    form_action = " ".join(("'self'", *form_targets))
    parts = [
        "default-src 'none'",
        f"style-src {style_src}",
        "img-src 'self' data:",
        f"form-action {form_action}",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
    if script_src is not None:
        parts.insert(2, f"script-src {script_src}")
        parts.insert(3, "connect-src 'self'")
    return "; ".join(parts)


def page_headers(policy: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }
