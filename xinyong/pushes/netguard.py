"""Where a webhook may point (SSRF guard). A unit's URL is refused when its host resolves to a loopback,
private, link-local, multicast, reserved or otherwise non-global address, unless the operator allows private
targets (settings.XINYONG_WEBHOOK_ALLOW_PRIVATE, env ``XINYONG_WEBHOOK_ALLOW_PRIVATE=1``; tests do, for a
receiver on 127.0.0.1). The check runs at registration and again before every delivery, and the delivery
connects to the very address that passed (no second lookup in between: DNS rebinding gets nowhere)."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from xinyong.core.errors import DomainError

SCHEMES = {"http": 80, "https": 443}
MAX_URL_LENGTH = 500


@dataclass(frozen=True)
class Target:
    """A vetted webhook target: connect to one of `addresses`, send `Host: host` (and SNI / certificate for
    https)."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]

    def connect(self, timeout: float) -> socket.socket:
        """A TCP connection to the first vetted address that answers (never a fresh lookup)."""
        error: OSError = OSError(f"no address for {self.host}")
        for address in self.addresses:
            try:
                return socket.create_connection((address, self.port), timeout)
            except OSError as exc:
                error = exc
        raise error


def resolve(host: str, port: int) -> list[str]:
    """All addresses `host` resolves to (a seam for tests: they patch this, not the whole socket module)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def webhook_target(url: str) -> Target:
    """Parse, resolve and vet a webhook URL; raise ``DomainError`` (code ``webhook.url_*``) on refusal."""
    parts = _parse(url)
    port = parts.port or SCHEMES[parts.scheme]
    host = parts.hostname or ""
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise DomainError("webhook.url_unresolvable", f"推送地址的主机名无法解析：{host}") from exc
    if not addresses:
        raise DomainError("webhook.url_unresolvable", f"推送地址的主机名无法解析：{host}")
    refused = [a for a in addresses if not address_allowed(a)]
    if refused:
        raise DomainError(
            "webhook.url_private",
            f"推送地址指向本机、内网、链路本地或保留地址（{', '.join(refused)}），不予登记",
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=parts.scheme, host=host, port=port, path=path, addresses=tuple(addresses))


# IPv6 transition ranges that carry an IPv4 address a relay or gateway may forward to (issue 12: 6to4
# `http://[2002:7f00:1::1]/` reached 127.0.0.1). Refused outright, whatever the operator allows: no webhook
# receiver needs one. IPv4-mapped addresses (::ffff:0:0/96) are judged by the IPv4 address they carry.
TRANSITION = tuple(
    ipaddress.ip_network(n)
    for n in (
        "2002::/16",
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "2001::/32",
        "::/96",
    )  # 6to4, NAT64, Teredo, compat
)


def address_allowed(address: str) -> bool:
    """Public (globally routable, unicast) addresses always; the rest only when the operator allows it; IPv6
    transition addresses never."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv6Address) and _transition(ip):
        return False
    if ip.is_multicast or ip.is_unspecified:
        return False
    if getattr(settings, "XINYONG_WEBHOOK_ALLOW_PRIVATE", False):
        return True
    return ip.is_global and not (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved)


def _transition(ip: ipaddress.IPv6Address) -> bool:
    """In a transition range; `::` and `::1` (inside ::/96) are judged as themselves."""
    return int(ip) > 1 and any(ip in network for network in TRANSITION)


def _parse(url: str):
    if not url or len(url) > MAX_URL_LENGTH:
        raise DomainError("webhook.url_invalid", f"推送地址须为不超过 {MAX_URL_LENGTH} 个字符的 URL")
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise DomainError("webhook.url_invalid", f"推送地址不是有效的 URL：{url}") from exc
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise DomainError("webhook.url_invalid", "推送地址须为 http:// 或 https:// 开头的完整 URL")
    if parts.username or parts.password:
        raise DomainError("webhook.url_invalid", "推送地址不得包含用户名或密码")
    if parts.fragment:
        raise DomainError("webhook.url_invalid", "推送地址不得包含片段（#…）")
    return parts
