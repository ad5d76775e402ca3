"""The address of the person at the other end, also behind a TLS proxy.

Behind a proxy every request comes from the proxy's address, so a limit per address
would be one counter for everyone. X-Forwarded-For names the real client, but anyone
can send that header: it is read only when the request came from a proxy listed in
TRUSTED_PROXIES, and then only the hops those proxies added (TRUSTED_PROXY_COUNT,
counted from the right; the left part is whatever the client sent).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(values: list[str] | tuple[str, ...]) -> tuple[Network, ...]:
    """Addresses or networks ("10.0.0.5", "172.16.0.0/12", "fd00::/8"); ValueError on
    anything else."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def _address(value: str) -> Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address: the peer, or, when the peer is a trusted proxy, the
    nearest address in X-Forwarded-For that a trusted proxy added."""
    peer_text = str(request.META.get("REMOTE_ADDR") or "")
    peer = _address(peer_text)
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if peer is None or not networks or not _is_trusted(peer, networks):
        return str(peer) if peer is not None else peer_text
    hops = [hop for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop]
    client = peer
    for _ in range(max(int(getattr(settings, "TRUSTED_PROXY_COUNT", 1)), 0)):
        if not hops:
            break
        hop = _address(hops.pop())
        if hop is None:
            break  # a garbled header: keep the last address we could trust
        client = hop
        if not _is_trusted(hop, networks):
            break
    return str(client)
