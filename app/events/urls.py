"""The SSRF guard for webhook URLs.

Checked twice: when an endpoint is saved (scheme, host, literal addresses) and at each delivery,
after resolving the host, where the request then goes to the very address that was checked, so
a DNS answer that changes between the check and the connection (rebinding) cannot slip through.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2000
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeUrl(Exception):
    """The URL may not be called: wrong scheme, or a private/loopback destination."""


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return is_public(mapped)
    return address.is_global and not address.is_multicast


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def url_problem(url: str, *, allow_private: bool) -> str | None:
    """Why ``url`` cannot be a webhook endpoint, or None. No DNS lookup happens here."""
    if len(url) > MAX_URL_LENGTH:
        return f"is longer than {MAX_URL_LENGTH} characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "is not a valid URL"
    allowed_schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed_schemes:
        return "must use https" if not allow_private else "must use http or https"
    host = parts.hostname
    if not host:
        return "must name a host"
    if parts.username is not None or parts.password is not None:
        return "must not contain credentials"
    if port == 0:
        return "has an invalid port"
    if allow_private:
        return None
    literal = _literal(host)
    if literal is not None and not is_public(literal):
        return "points to a private, loopback or reserved address"
    if host.rstrip(".").lower() in LOCAL_NAMES or host.rstrip(".").endswith(".localhost"):
        return "points to the local machine"
    if "." not in host.rstrip(".") and literal is None:
        return "must be a fully qualified host name"
    return None


@dataclass(frozen=True, slots=True)
class Target:
    """Where a request really goes: ``url`` (possibly with the address pinned) plus the
    ``Host`` header and TLS server name of the original host."""

    url: str
    host_header: str | None = None
    sni_hostname: str | None = None


async def resolve_target(url: str, *, allow_private: bool) -> Target:
    """Check ``url`` and pin it to a public address it resolves to; raises ``UnsafeUrl``."""
    problem = url_problem(url, allow_private=allow_private)
    if problem is not None:
        raise UnsafeUrl(f"URL {problem}")
    if allow_private:
        return Target(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or 443
    literal = _literal(host)
    if literal is not None:
        return Target(url)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except OSError as error:
        raise UnsafeUrl(f"cannot resolve {host}: {error}") from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise UnsafeUrl(f"{host} has no address")
    private = [a for a in addresses if not is_public(a)]
    if private:
        raise UnsafeUrl(f"{host} resolves to a private, loopback or reserved address")
    chosen = addresses[0]
    shown = f"[{chosen}]" if isinstance(chosen, ipaddress.IPv6Address) else str(chosen)
    netloc = f"{shown}:{parts.port}" if parts.port else shown
    pinned = parts._replace(netloc=netloc).geturl()
    host_header = f"{host}:{parts.port}" if parts.port else host
    return Target(pinned, host_header=host_header, sni_hostname=host)
