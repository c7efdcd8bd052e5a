"""Government-website IPv6 support check: AAAA, TCP 443 over IPv6, HTTP 200 over IPv6, and links below.

This is the check China's government-website IPv6 evaluations run (the "IPv6 support degree" of a site):
the home page must have an AAAA record, accept TCP on 443 over IPv6 and answer HTTP 200 over IPv6, and
so must the pages it links to, one and two levels down (secondary and tertiary links). Every request goes
to the IPv6 address the resolver returned, with the site's name as TLS SNI and Host header, so a site
reachable only over IPv4 fails even on a dual-stack client.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import dns.exception
import dns.resolver


@dataclass
class PageCheck:
    """One URL checked over IPv6."""

    url: str
    level: int
    aaaa: list[str] = field(default_factory=list)
    tcp: bool = False
    status: int | None = None
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return bool(self.aaaa) and self.tcp and self.status == 200


@dataclass
class WebsiteResult:
    """A website's verdict: the home page plus the linked pages checked."""

    name: str
    url: str
    owner: str
    home: PageCheck
    links: list[PageCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.home.ok and all(page.ok for page in self.links)

    def links_ok_share(self, level: int) -> float | None:
        pages = [page for page in self.links if page.level == level]
        return sum(page.ok for page in pages) / len(pages) if pages else None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(ok=self.ok, level2_ok=self.links_ok_share(2), level3_ok=self.links_ok_share(3))
        return data


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


@dataclass
class WebsiteChecker:
    """Checks websites against a resolver; ports and TLS trust are settable for tests and private CAs.

    Attributes:
        resolver: the DNS resolver asked for AAAA records.
        https_port / http_port: where the sites listen (443 / 80 in production).
        verify_tls: check certificates (a private CA can be given as ``cafile``).
        max_links: pages checked per level below the home page (bounded on purpose).
    """

    resolver: dns.resolver.Resolver
    https_port: int = 443
    http_port: int = 80
    verify_tls: bool = True
    cafile: str | None = None
    timeout: float = 5.0
    max_links: int = 10

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.cafile)
        if not self.verify_tls:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def aaaa(self, host: str) -> list[str]:
        """The IPv6 addresses of ``host`` (empty when there is no AAAA record)."""
        try:
            answer = self.resolver.resolve(host, "AAAA", lifetime=self.timeout)
        except (dns.exception.DNSException, OSError):
            return []
        return sorted(str(rdata) for rdata in answer)

    def fetch(self, url: str, level: int) -> tuple[PageCheck, str]:
        """Check one URL over IPv6; return the check and the body (for link extraction)."""
        started = time.monotonic()
        page = PageCheck(url=url, level=level)
        parts = urlsplit(url)
        host = parts.hostname or ""
        page.aaaa = self.aaaa(host)
        body = ""
        if not page.aaaa:
            page.error = f"{host}: no AAAA record"
        else:
            secure = parts.scheme == "https"
            port = parts.port or (self.https_port if secure else self.http_port)
            try:
                sock = socket.create_connection((page.aaaa[0], port), timeout=self.timeout)
                page.tcp = True
                if secure:
                    sock = self._context().wrap_socket(sock, server_hostname=host)
                conn = http.client.HTTPConnection(host, port, timeout=self.timeout)
                conn.sock = sock
                target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                conn.request("GET", target, headers={"Host": host, "User-Agent": "egovnet-ipv6-check/1"})
                response = conn.getresponse()
                page.status = response.status
                body = response.read(2_000_000).decode(
                    response.headers.get_content_charset() or "utf-8", errors="replace"
                )
                conn.close()
                if page.status != 200:
                    page.error = f"HTTP {page.status} over IPv6"
            except (OSError, ssl.SSLError, http.client.HTTPException) as exc:
                page.error = f"{type(exc).__name__}: {exc}"
        page.seconds = round(time.monotonic() - started, 3)
        return page, body

    def _links(self, base: str, body: str) -> list[str]:
        parser = _Links()
        parser.feed(body)
        site = urlsplit(base).hostname
        seen: list[str] = []
        for href in parser.hrefs:
            absolute = urljoin(base, href).split("#")[0]
            parts = urlsplit(absolute)
            if (
                parts.scheme in ("http", "https")
                and parts.hostname
                and parts.hostname.endswith(_site_domain(site or ""))
                and absolute not in seen
            ):
                seen.append(absolute)
        return seen[: self.max_links]

    def check(self, name: str, url: str, owner: str = "") -> WebsiteResult:
        """The home page, the pages it links to (level 2) and the pages those link to (level 3)."""
        home, body = self.fetch(url, 1)
        result = WebsiteResult(name=name, url=url, owner=owner, home=home)
        visited = {url}
        frontier = [(link, 2) for link in self._links(url, body)] if home.ok else []
        while frontier:
            link, level = frontier.pop(0)
            if link in visited or level > 3:
                continue
            visited.add(link)
            page, page_body = self.fetch(link, level)
            result.links.append(page)
            if page.ok and level < 3:
                frontier += [
                    (child, level + 1) for child in self._links(link, page_body) if child not in visited
                ][: self.max_links]
        return result

    def check_all(
        self, sites: list[tuple[str, str, str]], progress: Callable[[WebsiteResult], None] | None = None
    ) -> list[WebsiteResult]:
        """Check ``(name, url, owner)`` sites one after another (they share a resolver and a budget)."""
        results = []
        for name, url, owner in sites:
            result = self.check(name, url, owner)
            results.append(result)
            if progress:
                progress(result)
        return results


def _site_domain(host: str) -> str:
    """The registrable part links must stay under (``www.qimen.gov.cn`` -> ``qimen.gov.cn``)."""
    parts = host.split(".")
    return ".".join(parts[-3:]) if len(parts) >= 3 else host


def resolver_for(nameserver: str | None = None) -> dns.resolver.Resolver:
    """The system resolver, or one pointed at ``address[:port]`` / ``[v6]:port``."""
    if not nameserver:
        return dns.resolver.Resolver()
    resolver = dns.resolver.Resolver(configure=False)
    address, port = nameserver, 53
    if nameserver.startswith("["):
        address, _, rest = nameserver[1:].partition("]")
        port = int(rest.lstrip(":") or 53)
    elif nameserver.count(":") == 1:
        address, port_text = nameserver.split(":")
        port = int(port_text)
    resolver.nameservers = [address]
    resolver.port = port
    return resolver
