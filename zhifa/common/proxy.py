"""The client's address behind reverse proxies (issue 15).

`TrustedProxyMiddleware` runs first. When the peer (REMOTE_ADDR) is one of ZHIFA_TRUSTED_PROXIES
(addresses or networks), REMOTE_ADDR becomes the client named by X-Forwarded-For: the right-most
address that is not itself a trusted proxy (the left part of the header is whatever the client
sent). From any other peer the X-Forwarded-* and X-Real-IP headers are removed, so neither the rate
limits (which count by REMOTE_ADDR) nor SECURE_PROXY_SSL_HEADER can be fooled by a client.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_X_REAL_IP", "HTTP_FORWARDED")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(s, strict=False) for s in spec)


def is_trusted(addr: str, trusted: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(addr.strip())
    except ValueError:
        return False
    return any(ip.version == n.version and ip in n for n in trusted)


def client_address(remote_addr: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The client's address: REMOTE_ADDR unless it is a trusted proxy; then walk X-Forwarded-For from
    the right past every trusted proxy. A malformed entry stops the walk (it is what the last trusted
    proxy saw, or garbage from the client: either way not a proxy to trust)."""
    if not trusted or not is_trusted(remote_addr, trusted):
        return remote_addr
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    client = remote_addr
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break
        client = hop
        if not is_trusted(hop, trusted):
            break
    return client


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        trusted = networks(tuple(getattr(settings, "ZHIFA_TRUSTED_PROXIES", ())))
        peer = meta.get("REMOTE_ADDR", "")
        if trusted and is_trusted(peer, trusted):
            meta["ZHIFA_PROXY_ADDR"] = peer
            meta["REMOTE_ADDR"] = client_address(peer, meta.get("HTTP_X_FORWARDED_FOR", ""), trusted)
        else:
            for h in FORWARDED_HEADERS:
                meta.pop(h, None)
        return self.get_response(request)
