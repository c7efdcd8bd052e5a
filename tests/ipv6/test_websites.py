"""The government-website IPv6 check against real local HTTPS servers on ::1 and a resolver we run."""

from __future__ import annotations

import datetime
import http.server
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import dns.message
import dns.rrset
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from egovnet.ipv6.websites import WebsiteChecker, resolver_for

# name -> AAAA answer (None: the name has only an A record, as a v4-only site)
ZONE = {"www.good.gov.cn.": "::1", "www.v4only.gov.cn.": None, "www.broken.gov.cn.": "::1"}
PAGES = {
    ("www.good.gov.cn", "/"): (
        200,
        '<a href="/news/">news</a> <a href="https://www.good.gov.cn/xxgk/">xxgk</a>',
    ),
    ("www.good.gov.cn", "/news/"): (
        200,
        '<a href="/news/1.html">1</a> <a href="http://elsewhere.example/">x</a>',
    ),
    ("www.good.gov.cn", "/xxgk/"): (200, "<p>信息公开</p>"),
    ("www.good.gov.cn", "/news/1.html"): (200, "<p>article</p>"),
    ("www.broken.gov.cn", "/"): (200, '<a href="/gone/">gone</a>'),
}


class _DNS(threading.Thread):
    """A tiny authoritative resolver for the test zone (UDP on 127.0.0.1)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                data, peer = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(data)
            reply = dns.message.make_response(query)
            question = query.question[0]
            name = question.name.to_text()
            if question.rdtype == dns.rdatatype.AAAA and ZONE.get(name):
                reply.answer.append(dns.rrset.from_text(name, 60, "IN", "AAAA", str(ZONE[name])))
            elif question.rdtype == dns.rdatatype.A and name in ZONE:
                reply.answer.append(dns.rrset.from_text(name, 60, "IN", "A", "127.0.0.1"))
            elif name not in ZONE:
                reply.set_rcode(dns.rcode.NXDOMAIN)
            self.sock.sendto(reply.to_wire(), peer)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, body = PAGES.get((self.headers.get("Host", ""), self.path), (404, "not found"))
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return


class _V6Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


def _certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName(n.rstrip(".")) for n in ZONE]
    now = datetime.datetime.now(datetime.UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "egovnet test CA")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebsiteChecker]:
    cert, key = _certificate(tmp_path_factory.mktemp("tls"))
    server = _V6Server(("::1", 0), _Handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    resolver = _DNS()
    resolver.start()
    yield WebsiteChecker(
        resolver_for(f"127.0.0.1:{resolver.port}"),
        https_port=server.server_address[1],
        cafile=str(cert),
        timeout=3.0,
    )
    server.shutdown()
    resolver.stop.set()


def test_a_dual_stack_site_passes_with_its_links_two_levels_down(checker: WebsiteChecker) -> None:
    result = checker.check("good", "https://www.good.gov.cn/", "dept_test")
    assert result.home.aaaa == ["::1"] and result.home.tcp and result.home.status == 200
    assert sorted((p.level, p.url) for p in result.links) == [
        (2, "https://www.good.gov.cn/news/"),
        (2, "https://www.good.gov.cn/xxgk/"),
        (3, "https://www.good.gov.cn/news/1.html"),
    ]
    assert result.ok and result.links_ok_share(2) == 1.0 and result.links_ok_share(3) == 1.0


def test_a_site_without_aaaa_fails_on_the_home_page(checker: WebsiteChecker) -> None:
    result = checker.check("v4", "https://www.v4only.gov.cn/")
    assert (
        not result.ok and result.home.aaaa == [] and result.home.error == "www.v4only.gov.cn: no AAAA record"
    )
    assert result.links == []


def test_a_broken_secondary_link_fails_the_site(checker: WebsiteChecker) -> None:
    result = checker.check("broken", "https://www.broken.gov.cn/")
    assert result.home.ok and not result.ok
    assert [(p.url, p.status) for p in result.links] == [("https://www.broken.gov.cn/gone/", 404)]
    assert result.to_dict()["level2_ok"] == 0.0


def test_an_untrusted_certificate_is_an_error(checker: WebsiteChecker) -> None:
    strict = WebsiteChecker(checker.resolver, https_port=checker.https_port, timeout=3.0)
    result = strict.check("good", "https://www.good.gov.cn/")
    assert not result.ok and "SSLCertVerificationError" in (result.home.error or "")
