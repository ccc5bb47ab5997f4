"""The SSRF guard: Sift fetches URLs that admins (and the pages they link to) chose.

Without a guard, a source URL such as `http://169.254.169.254/latest/meta-data/` or a page
linking to `http://10.0.0.5/admin` would make the crawler a proxy into the network it runs
in. Every request is checked *when it is sent* — redirect hops included — by resolving its
host and refusing loopback, private, link-local, reserved, multicast and unspecified
addresses (IPv4 and IPv6, IPv4-mapped IPv6 too) unless the host or address was explicitly
allowed (`SIFT_CRAWL_ALLOW_PRIVATE_HOSTS`, e.g. `127.0.0.1` for the demo site).

Checking at send time rather than when a URL is queued narrows DNS-rebinding games to the
gap between this lookup and the connection's own; closing that gap entirely would mean
pinning the connection to the checked address, which httpx does not offer per request.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Collection
from urllib.parse import urlsplit

import httpx

from sift.errors import SiftError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_ALLOWED_SCHEMES = ("http", "https")


class CrawlRefused(SiftError):
    """A URL the crawler will not fetch: not http(s), or its host is on an internal network."""


class HostUnresolvable(CrawlRefused):
    """The host did not resolve, so the guard cannot vouch for it; the fetch fails closed."""


def _blocked_reason(ip: IPAddress) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address (mapped, 6to4, Teredo) reach that address
        # wherever a relay routes them: judged by the address inside.
        teredo_client = ip.teredo[1] if ip.teredo else None
        for inner in (ip.ipv4_mapped, ip.sixtofour, teredo_client):
            if inner is not None and (reason := _blocked_reason(inner)):
                return reason
    checks = (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address (cloud metadata lives here)"),
        (ip.is_private, "a private-network address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_unspecified, "the unspecified address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    )
    for hit, reason in checks:
        if hit:
            return reason
    return None


class _AllowList:
    """Hosts, IPs and networks exempt from the guard, matched case-insensitively."""

    def __init__(self, entries: Collection[str]) -> None:
        self.names: set[str] = set()
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in entries:
            text = entry.strip().lower().strip("[]")
            if not text:
                continue
            try:
                self.networks.append(ipaddress.ip_network(text, strict=False))
            except ValueError:
                self.names.add(text.rstrip("."))

    def allows_name(self, host: str, port: int | None) -> bool:
        return host in self.names or (port is not None and f"{host}:{port}" in self.names)

    def allows_ip(self, ip: IPAddress) -> bool:
        return any(ip in network for network in self.networks)


def _split(url: str | httpx.URL) -> tuple[str, str, int | None]:
    if isinstance(url, httpx.URL):
        return url.scheme.lower(), url.host.lower().rstrip("."), url.port
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise CrawlRefused(f"refusing to fetch {url}: the port is not a number") from None
    return parts.scheme.lower(), (parts.hostname or "").rstrip("."), port


def _literal_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return None


def _verdict(url: str, host: str, addresses: list[IPAddress], allow: _AllowList) -> None:
    for ip in addresses:
        reason = _blocked_reason(ip)
        if reason and not allow.allows_ip(ip):
            shown = host if str(ip) == host else f"{host} ({ip})"
            raise CrawlRefused(
                f"refusing to fetch {url}: {shown} is {reason}; add it to "
                "SIFT_CRAWL_ALLOW_PRIVATE_HOSTS if this host is meant to be crawled"
            )


def _precheck(url: str | httpx.URL, allow: _AllowList) -> tuple[str, int | None] | None:
    """Scheme and allow-list checks; returns (host, port) when a DNS lookup is still needed."""
    scheme, host, port = _split(url)
    if scheme not in _ALLOWED_SCHEMES:
        raise CrawlRefused(f"refusing to fetch {url}: only http and https URLs are crawled")
    if not host:
        raise CrawlRefused(f"refusing to fetch {url}: it has no host")
    if allow.allows_name(host, port):
        return None
    ip = _literal_ip(host)
    if ip is not None:
        _verdict(str(url), host, [ip], allow)
        return None
    return host, port


def _addresses(infos: list[tuple]) -> list[IPAddress]:
    out: list[IPAddress] = []
    for info in infos:
        ip = _literal_ip(str(info[4][0]))
        if ip is not None:
            out.append(ip)
    return out


def _unresolvable(url: str | httpx.URL, host: str, error: OSError) -> HostUnresolvable:
    return HostUnresolvable(f"cannot fetch {url}: host {host} does not resolve ({error})")


def check_url_allowed(url: str | httpx.URL, allow_hosts: Collection[str] = ()) -> None:
    """Raise `CrawlRefused` unless `url` is http(s) and every address of its host is public.

    `allow_hosts` holds host names (`localhost`, `demo.local:8080`), IPs (`127.0.0.1`) or
    networks (`10.1.0.0/16`) that are fetched even though they are internal.
    """
    allow = _AllowList(allow_hosts)
    pending = _precheck(url, allow)
    if pending is None:
        return
    host, port = pending
    try:
        infos = socket.getaddrinfo(host, port or 0, type=socket.SOCK_STREAM)
    except OSError as error:
        raise _unresolvable(url, host, error) from None
    _verdict(str(url), host, _addresses(infos), allow)


async def check_url_allowed_async(url: str | httpx.URL, allow_hosts: Collection[str] = ()) -> None:
    """`check_url_allowed` with the DNS lookup off the event loop."""
    allow = _AllowList(allow_hosts)
    pending = _precheck(url, allow)
    if pending is None:
        return
    host, port = pending
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port or 0, type=socket.SOCK_STREAM)
    except OSError as error:
        raise _unresolvable(url, host, error) from None
    _verdict(str(url), host, _addresses(infos), allow)


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport that checks every request it sends, whoever built the client.

    Putting the check in the transport rather than in the crawler means redirects followed
    by httpx itself, robots.txt and sitemap fetches all pass through it.
    """

    def __init__(
        self,
        allow_hosts: Collection[str] = (),
        inner: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._allow_hosts = tuple(allow_hosts)
        self._inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await check_url_allowed_async(request.url, self._allow_hosts)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
