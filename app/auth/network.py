"""Client addresses and CIDR allowlists.

The client is the TCP peer, unless that peer is a configured trusted proxy: then it is the
right-most ``X-Forwarded-For`` hop that is not itself a trusted proxy. Hops left of it were
written by whoever sent the request, so a client can prepend anything without effect.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from functools import lru_cache

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_network(value: str) -> Network:
    """``10.0.0.0/8``, ``2001:db8::/32`` or a single address; host bits must be zero.

    Raises ``ValueError`` with a message fit to show the caller.
    """
    text = value.strip()
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError:
        try:
            loose = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise ValueError(f"{value!r} is not an IPv4 or IPv6 address or CIDR range") from None
        raise ValueError(f"{value!r} has host bits set; did you mean {loose}?") from None


@lru_cache(maxsize=4096)
def networks_of(cidrs: tuple[str, ...]) -> tuple[Network, ...]:
    """Parsed once per distinct list: keys are authenticated far more often than changed."""
    return tuple(parse_network(c) for c in cidrs)


def parse_address(value: str | None) -> Address | None:
    """An address as a peer or a forwarded hop gives it (``[v6]`` and ``v4:port`` tolerated);
    IPv4-mapped IPv6 addresses come back as IPv4 so they match IPv4 ranges."""
    if not value:
        return None
    text = value.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def within(address: Address, networks: Iterable[Network]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_address(
    peer: str | None, forwarded_for: Sequence[str], trusted_proxies: Sequence[Network]
) -> Address | None:
    """The address to judge a request by; None when it cannot be told (an allowlist refuses)."""
    address = parse_address(peer)
    if address is None or not within(address, trusted_proxies):
        return address
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        parsed = parse_address(hop)
        if parsed is None:
            return None
        if not within(parsed, trusted_proxies):
            return parsed
        address = parsed
    return address
