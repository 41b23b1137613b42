"""The SSRF guard for webhook URLs.

Checked twice: when an endpoint is saved (scheme, host, literal addresses) and at each delivery,
after resolving the host (a literal address is its own answer), where the request then goes to
the very address that was checked, so a DNS answer that changes between the check and the
connection (rebinding) cannot slip through.

An address is public only if it is globally routable and so is every IPv4 address it carries:
IPv6 forms that embed one (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo) would otherwise
reach ``127.0.0.1`` through a translator or a dual-stack socket while ``ipaddress`` calls them
global. Legacy IPv4 spellings (``127.1``, ``0x7f.0.0.1``, ``2130706433``) are read the way
resolvers read them.
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


IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
NAT64_PREFIXES = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (RFC 4291 mapped and compatible, RFC 6052
    and 8215 NAT64, RFC 3056 6to4, RFC 4380 Teredo server and client)."""
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address in IPV4_COMPATIBLE or any(address in prefix for prefix in NAT64_PREFIXES):
        found.append(low32)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    return found


def is_public(address: IPAddress) -> bool:
    if not address.is_global or address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        return all(is_public(inner) for inner in embedded_ipv4(address))
    return True


def _literal(host: str) -> IPAddress | None:
    """An address literal, including the legacy IPv4 forms ``inet_aton`` (and so resolvers)
    accept: fewer than four parts, octal and hexadecimal parts."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    bare = host.rstrip(".")
    if not bare or not all(c in "0123456789abcdefxABCDEFX." for c in bare):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(bare))
    except OSError:
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
        addresses: list[IPAddress] = [literal]
    else:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
        except OSError as error:
            raise UnsafeUrl(f"cannot resolve {host}: {error}") from None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise UnsafeUrl(f"{host} has no address")
    private = [a for a in addresses if not is_public(a)]
    if private:
        raise UnsafeUrl(f"{host} resolves to a private, loopback or reserved address")
    chosen = addresses[0]
    shown = f"[{chosen}]" if isinstance(chosen, ipaddress.IPv6Address) else str(chosen)
    netloc = f"{shown}:{parts.port}" if parts.port else shown
    pinned = parts._replace(netloc=netloc).geturl()
    if literal is not None:
        return Target(pinned)
    host_header = f"{host}:{parts.port}" if parts.port else host
    return Target(pinned, host_header=host_header, sni_hostname=host)
