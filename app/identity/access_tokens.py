"""Access tokens as JWTs (RFC 9068): minted with the current signing key, verified locally.

Verification accepts exactly one algorithm (RS256) and only keys from our own JWKS, looked up
by ``kid``: a token with ``alg: none``, an HMAC algorithm (keyed with our public key, the
classic confusion), an unknown ``kid``, another ``typ``, or any claim out of place is refused
before anything else is read.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass

from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jws import extract_compact
from joserfc.jwt import JWTClaimsRegistry

from app.identity.signing_keys import ALGORITHM, SigningKeys

TOKEN_TYPE = "at+jwt"
CLOCK_SKEW = 30
"""Seconds of ``iat`` in the future tolerated between processes' clocks."""
MAX_TOKEN_LENGTH = 4096
_SHAPE = re.compile(r"^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


class InvalidToken(Exception):
    """Why a presented access token is refused (safe to tell the caller)."""


class ExpiredToken(InvalidToken):
    pass


def looks_like_jwt(token: str) -> bool:
    """A compact JWS, by shape only: API keys (``rh_…``) never match."""
    return len(token) <= MAX_TOKEN_LENGTH and _SHAPE.match(token) is not None


@dataclass(frozen=True, slots=True)
class AccessToken:
    jti: str
    issuer: str
    audience: str
    client_id: str
    org_id: str
    subject: str
    """The user id for user tokens, else the client id."""
    scopes: tuple[str, ...]
    issued_at: int
    expires_at: int
    user_id: str | None = None
    grant_id: str | None = None

    @property
    def scope(self) -> str:
        return " ".join(self.scopes)

    def claims(self) -> dict[str, object]:
        claims: dict[str, object] = {
            "iss": self.issuer,
            "sub": self.subject,
            "aud": self.audience,
            "client_id": self.client_id,
            "scope": self.scope,
            "iat": self.issued_at,
            "exp": self.expires_at,
            "jti": self.jti,
            "org_id": self.org_id,
        }
        if self.grant_id is not None:
            claims["grant_id"] = self.grant_id
        return claims


def new_access_token(
    *,
    issuer: str,
    audience: str,
    client_id: str,
    org_id: str,
    scopes: tuple[str, ...],
    lifetime: int,
    user_id: str | None = None,
    grant_id: str | None = None,
) -> AccessToken:
    now = int(time.time())
    return AccessToken(
        jti=secrets.token_urlsafe(18),
        issuer=issuer,
        audience=audience,
        client_id=client_id,
        org_id=org_id,
        subject=user_id or client_id,
        scopes=scopes,
        issued_at=now,
        expires_at=now + lifetime,
        user_id=user_id,
        grant_id=grant_id,
    )


async def sign(token: AccessToken, keys: SigningKeys) -> str:
    kid, key = await keys.signer()
    header = {"alg": ALGORITHM, "typ": TOKEN_TYPE, "kid": kid}
    return jwt.encode(header, token.claims(), key, algorithms=[ALGORITHM])


def _string(claims: dict[str, object], name: str) -> str:
    value = claims.get(name)
    if not isinstance(value, str) or not value:
        raise InvalidToken(f"claim `{name}` is missing or not a string")
    return value


async def verify(value: str, keys: SigningKeys, *, issuer: str, audience: str) -> AccessToken:
    """The token's claims once its signature, type, issuer, audience and times check out."""
    if not looks_like_jwt(value):
        raise InvalidToken("not a JWT")
    try:
        header = extract_compact(value.encode("ascii")).headers()
    except (JoseError, ValueError, UnicodeError):
        raise InvalidToken("malformed JWT") from None
    if header.get("alg") != ALGORITHM:
        raise InvalidToken(f"algorithm must be {ALGORITHM}")
    if str(header.get("typ", "")).lower() not in (TOKEN_TYPE, "application/" + TOKEN_TYPE):
        raise InvalidToken(f"typ must be {TOKEN_TYPE}")
    kid = header.get("kid")
    key = await keys.verifying_key(kid) if isinstance(kid, str) else None
    if key is None:
        raise InvalidToken("unknown signing key")
    try:
        decoded = jwt.decode(value, key, algorithms=[ALGORITHM])
    except (JoseError, ValueError):
        raise InvalidToken("bad signature") from None
    claims = decoded.claims
    registry = JWTClaimsRegistry(
        leeway=CLOCK_SKEW,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": audience},
        exp={"essential": True},
        iat={"essential": True},
        jti={"essential": True},
        sub={"essential": True},
        client_id={"essential": True},
        org_id={"essential": True},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise ExpiredToken("expired") from None
    except JoseError as error:
        raise InvalidToken(f"claims rejected ({error.error})") from None
    expires_at = claims["exp"]
    if not isinstance(expires_at, int) or not isinstance(claims["iat"], int):
        raise InvalidToken("`iat` and `exp` must be integers")
    if expires_at <= time.time():
        raise ExpiredToken("expired")
    scope = claims.get("scope", "")
    if not isinstance(scope, str):
        raise InvalidToken("claim `scope` must be a string")
    subject = _string(claims, "sub")
    client_id = _string(claims, "client_id")
    grant_id = claims.get("grant_id")
    return AccessToken(
        jti=_string(claims, "jti"),
        issuer=issuer,
        audience=audience,
        client_id=client_id,
        org_id=_string(claims, "org_id"),
        subject=subject,
        scopes=tuple(scope.split()),
        issued_at=claims["iat"],
        expires_at=expires_at,
        user_id=subject if subject != client_id else None,
        grant_id=grant_id if isinstance(grant_id, str) else None,
    )
