"""Addresses, host:port pairs and URLs as Kubernetes and etcd write them."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

from kublint.text import is_digits


class HostPort(NamedTuple):
    host: str  # IPv6 without brackets
    port: int | None


def parse_host_port(text: str) -> HostPort | None:
    """``host[:port]`` with bracketed IPv6 (``[fd00::1]:6443``); a bare IPv6 address has no port."""
    s = text.strip()
    if not s:
        return None
    if "://" in s:
        return url_host_port(s)
    if s.startswith("["):
        end = s.find("]")
        if end == -1:
            return None
        host, rest = s[1:end], s[end + 1 :]
        if rest.startswith(":") and is_digits(rest[1:]):
            return HostPort(host, int(rest[1:]))
        return HostPort(host, None) if not rest else None
    if s.count(":") > 1:  # a bare IPv6 address
        return HostPort(s, None)
    host, sep, port = s.partition(":")
    if sep:
        if not is_digits(port):
            return None
        return HostPort(host, int(port))
    return HostPort(host, None)


def url_host_port(url: str) -> HostPort | None:
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    return HostPort(host, port)


def ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP address; an IPv4-mapped IPv6 address is its IPv4 address, as Go's net.IP.Equal sees it."""
    try:
        addr = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def same_host(a: str, b: str) -> bool:
    """Equal as IP addresses (any notation) or, for names, case-insensitively without a trailing dot."""
    ia, ib = ip(a), ip(b)
    if ia is not None or ib is not None:
        return ia is not None and ia == ib
    return a.strip().rstrip(".").lower() == b.strip().rstrip(".").lower()


@lru_cache(maxsize=65536)
def normalise_host(text: str) -> str:
    addr = ip(text)
    if addr is not None:
        return str(addr)
    return text.strip().rstrip(".").lower()


def split_urls(value: str) -> list[str]:
    return [u.strip() for u in value.split(",") if u.strip()]


def is_loopback(host: str) -> bool:
    """``localhost`` (and names under it), 127.0.0.0/8 and ``::1``, with or without brackets."""
    h = host.strip().strip("[]").rstrip(".").lower()
    if h == "localhost" or h.endswith(".localhost"):
        return True
    addr = ip(h)
    return addr is not None and addr.is_loopback


def is_unspecified(host: str) -> bool:
    """``0.0.0.0`` or ``::``: every address of the host."""
    addr = ip(host.strip().strip("[]"))
    return addr is not None and addr.is_unspecified
