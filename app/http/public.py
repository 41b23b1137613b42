"""Routes served without an API key, each named exactly: its methods and a full-match path.

Only what a ``PublicRoute`` matches skips authentication, so adding one cannot open anything
else (a prefix could: ``/storage/../graphql``). Each also states its own body limit, which
replaces the global one: a signed upload URL carries a file, an inbound webhook a small JSON.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.types import Scope


@dataclass(frozen=True, slots=True)
class PublicRoute:
    methods: frozenset[str]
    pattern: re.Pattern[str]
    max_body_bytes: int

    def matches(self, scope: Scope) -> bool:
        return scope.get("method") in self.methods and bool(self.pattern.fullmatch(scope["path"]))


def public_route_of(scope: Scope, routes: Sequence[PublicRoute]) -> PublicRoute | None:
    for route in routes:
        if route.matches(scope):
            return route
    return None
