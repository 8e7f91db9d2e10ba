"""kublint/net.py's loopback and unspecified addresses, and kublint/placeholders.py's patterns."""

from __future__ import annotations

import pytest

import kublint.net as net
import kublint.placeholders as ph


@pytest.mark.parametrize("host", [
    "127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST", "localhost.", "api.localhost",
    " 127.0.0.1 ", "::ffff:127.0.0.1",
])
def test_loopback(host: str) -> None:
    assert net.is_loopback(host)


@pytest.mark.parametrize("host", ["10.0.0.1", "0.0.0.0", "::", "localhost.example.com", "", "128.0.0.1"])
def test_not_loopback(host: str) -> None:
    assert not net.is_loopback(host)


@pytest.mark.parametrize(("host", "expected"), [
    ("0.0.0.0", True), ("::", True), ("[::]", True), ("0:0::0", True), ("127.0.0.1", False), ("*", False),
    ("", False), ("localhost", False),
])
def test_unspecified(host: str, expected: bool) -> None:
    assert net.is_unspecified(host) is expected


@pytest.mark.parametrize(("value", "expected"), [
    ("{{ token }}", True), ("${TOKEN}", True), ("$(TOKEN)", True), ("$TOKEN", True), ("<token>", True),
    ("K8SHA_IP1", True), ("%{hiera('x')}", True), ("abcdef.0123456789abcdef", False), ("a$b", False),
    (None, False), (6443, False),
])
def test_kubeadm_placeholder(value: object, expected: bool) -> None:
    assert ph.has_kubeadm_placeholder(value) is expected


@pytest.mark.parametrize(("value", "expected"), [
    ("10.0.x.x", True), ("x.x.x.x", True), ("$VIP", True), ("${VIP}", True), ("<vip>", True),
    ("10.0.0.10", False), ("chk_apiserver", False),
])
def test_keepalived_placeholder(value: str, expected: bool) -> None:
    assert ph.has_keepalived_placeholder(value) is expected


def test_jinja_spans_and_openers() -> None:
    assert list(ph.jinja_spans("a {{ x }} b {% if y %} {{ z")) == [(2, 9), (12, 22), (23, 25)]
    assert ph.has_jinja_opener("{{ x }}") and ph.has_jinja_opener("{% if %}")
    assert not ph.has_jinja_opener("{x}")
    assert ph.may_hold_placeholder("host: ${X}") and not ph.may_hold_placeholder("host: 10.0.0.1")
