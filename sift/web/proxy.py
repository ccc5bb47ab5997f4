"""Who sent a request, and which address it was sent to, when a reverse proxy may stand
between the browser and Sift.

Any client can send `X-Forwarded-For`, `Forwarded`, `X-Forwarded-Host` or
`X-Forwarded-Proto`, so they are read only when the connection's direct peer is one of the
configured proxies (`SIFT_TRUSTED_PROXIES`); from anyone else they are ignored and the
peer's own address is the client. Otherwise a guesser could give each login try a new
forged address and never be throttled.

`sift serve` runs uvicorn without its own proxy-header handling (which trusts 127.0.0.1 by
default and would replace the peer's address before Sift sees it); under another ASGI
server turn that off too (`uvicorn --no-proxy-headers`) and let `SIFT_TRUSTED_PROXIES`
decide.

The address a browser believes it is on, which the CSRF check compares `Origin` with, is
`SIFT_PUBLIC_URL` when set, a trusted proxy's `X-Forwarded-Host`, or the `Host` header: a
proxy that rewrites `Host` (nginx's default) no longer makes every form post look
cross-site.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import Scope

from sift.config import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"
DEFAULT_PORTS = {"http": "80", "https": "443"}


@lru_cache(maxsize=16)
def _networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in proxies)


def parse_address(text: str) -> IPAddress | None:
    """The IP in a forwarded hop or a peer (`203.0.113.9`, `"[2001:db8::1]:4711"`,
    `198.51.100.4:8080`), or None for anything else (`unknown`, an obfuscated `_hidden`)."""
    text = text.strip().strip('"').strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # IPv4 with a port; a bare IPv6 has several colons
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return None


def is_trusted_proxy(address: IPAddress | None, settings: Settings) -> bool:
    if address is None or not settings.trusted_proxies:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in _networks(tuple(settings.trusted_proxies)))


def peer(scope: Scope) -> str:
    """The address of the connection itself: what no header can change."""
    client = scope.get("client")
    return str(client[0]) if client else UNKNOWN


def from_trusted_proxy(scope: Scope, settings: Settings) -> bool:
    return is_trusted_proxy(parse_address(peer(scope)), settings)


def forwarded_chain(headers: Headers) -> list[str]:
    """The client addresses the proxies recorded, the nearest proxy's last.

    `X-Forwarded-For` when present (what nginx, HAProxy, Caddy, Traefik and cloud load
    balancers write), else RFC 7239 `Forwarded: for=…`. A proxy that writes only
    `Forwarded` must drop an incoming `X-Forwarded-For`, as it must anything it passes on."""
    if values := headers.getlist("x-forwarded-for"):
        return [hop for value in values for hop in value.split(",")]
    hops = []
    for value in headers.getlist("forwarded"):
        for element in value.split(","):
            for pair in element.split(";"):
                name, _, text = pair.partition("=")
                if name.strip().lower() == "for":
                    hops.append(text)
    return hops


def client_address(scope: Scope, settings: Settings) -> str:
    """The client a request came from: the peer, or, when the peer is a trusted proxy, the
    nearest address in the forwarded chain that is not a trusted proxy itself (read from
    the right, since only the entries our proxies appended can be believed)."""
    address = peer(scope)
    if not is_trusted_proxy(parse_address(address), settings):
        return address
    for hop in reversed(forwarded_chain(Headers(scope=scope))):
        ip = parse_address(hop)
        if ip is None:  # garbled or hidden: the last address known is as far as we can see
            break
        address = str(ip)
        if not is_trusted_proxy(ip, settings):
            break
    return address


def scheme(scope: Scope, settings: Settings) -> str:
    """`https` when the browser's connection is encrypted: the request's own scheme, or a
    trusted proxy's `X-Forwarded-Proto` (TLS ends at the proxy)."""
    if from_trusted_proxy(scope, settings):
        forwarded = Headers(scope=scope).get("x-forwarded-proto", "")
        first = forwarded.split(",")[0].strip().lower()
        if first in ("http", "https"):
            return first
    return str(scope.get("scheme", "http"))


def normal_netloc(netloc: str, scheme_name: str | None = None) -> str:
    """`host[:port]` in lower case, a scheme's default port left out (`Origin:
    https://example.org` and `Host: example.org:443` name the same place)."""
    netloc = netloc.strip().lower()
    host, _, port = netloc.rpartition(":")
    if not host or netloc.endswith("]"):
        return netloc
    default = DEFAULT_PORTS.get(scheme_name or "")
    defaults = [default] if default else list(DEFAULT_PORTS.values())
    return host if port in defaults else netloc


def own_hosts(scope: Scope, settings: Settings) -> set[str]:
    """Every `host[:port]` this server is reached at for this request: the `Host` header,
    `SIFT_PUBLIC_URL`'s, and each `X-Forwarded-Host` a trusted proxy wrote."""
    headers = Headers(scope=scope)
    hosts = {normal_netloc(headers.get("host", ""))}
    if settings.public_url:
        public = urlsplit(settings.public_url)
        hosts.add(normal_netloc(public.netloc, public.scheme))
    if from_trusted_proxy(scope, settings):
        for value in headers.getlist("x-forwarded-host"):
            hosts.update(normal_netloc(host) for host in value.split(","))
    return hosts - {""}


def same_origin(claimed: str, scope: Scope, settings: Settings) -> bool:
    """Whether an `Origin` or `Referer` names a page of this server."""
    try:
        parts = urlsplit(claimed)
    except ValueError:
        return False
    return normal_netloc(parts.netloc, parts.scheme) in own_hosts(scope, settings)
