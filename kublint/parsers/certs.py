"""Certificates: PEM files and the client certificates embedded in kubeconfigs, read with ``cryptography``.

``cryptography`` is optional at run time (the ``certs`` extra); without it certificate files are listed as
not linted and the certificate rules are skipped with that reason.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import NamedTuple

from kublint.findings import Problem
from kublint.source import SourceFile, Span

_BEGIN = "-----BEGIN CERTIFICATE-----"
_END = "-----END CERTIFICATE-----"


def _pem_blocks(text: str) -> list[tuple[int, str | None]]:
    r"""(where each BEGIN line starts, the text up to its END or None when there is none). Plain finds: the
    regex ``BEGIN\s*(.*?)\s*END`` tried every split of a long run of blanks, quadratic on 1 MB of them."""
    out: list[tuple[int, str | None]] = []
    pos = 0
    while (a := text.find(_BEGIN, pos)) >= 0:
        body = a + len(_BEGIN)
        b = text.find(_END, body)
        if b < 0:
            out.append((a, None))
            break  # no later BEGIN has an END either
        out.append((a, text[body:b]))
        pos = b + len(_END)
    return out


class Certificate(NamedTuple):
    subject: str
    issuer: str
    not_before: dt.datetime
    not_after: dt.datetime
    is_ca: bool
    dns_names: tuple[str, ...]
    ip_addresses: tuple[str, ...]
    span: Span  # the BEGIN line, or the kubeconfig's certificate-data value
    label: str  # "pki/apiserver.crt", "admin.conf user kubernetes-admin"


def available() -> bool:
    try:
        import cryptography  # noqa: F401
    except ImportError:
        return False
    return True


def _load(der: bytes, span: Span, label: str) -> Certificate:
    from cryptography import x509

    cert = x509.load_der_x509_certificate(der)
    try:
        bc = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        is_ca = bool(bc.ca)
    except x509.ExtensionNotFound:
        is_ca = False
    dns: tuple[str, ...] = ()
    ips: tuple[str, ...] = ()
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = tuple(san.get_values_for_type(x509.DNSName))
        ips = tuple(str(i) for i in san.get_values_for_type(x509.IPAddress))
    except x509.ExtensionNotFound:
        pass
    return Certificate(
        cert.subject.rfc4514_string(), cert.issuer.rfc4514_string(),
        cert.not_valid_before_utc, cert.not_valid_after_utc, is_ca, dns, ips, span, label,
    )


def parse_pem(source: SourceFile) -> tuple[list[Certificate], list[Problem]]:
    certs: list[Certificate] = []
    problems: list[Problem] = []
    for start, body in _pem_blocks(source.text):
        span = source.line_span(source.pos_at(start).line)
        if body is None:
            problems.append(Problem(f"cannot read this certificate: no {_END} line follows", span))
            continue
        try:
            der = base64.b64decode("".join(body.split()), validate=True)
            certs.append(_load(der, span, source.path))
        except Exception as exc:  # any malformed certificate is the user's input, never a crash
            problems.append(Problem(f"cannot read this certificate: {exc}", span))
    return certs, problems


def parse_embedded(data_b64: str, span: Span, label: str) -> tuple[list[Certificate], list[Problem]]:
    """A kubeconfig's ``client-certificate-data``: base64 of a PEM file."""
    try:
        pem = base64.b64decode("".join(data_b64.split()), validate=True).decode("ascii", errors="replace")
    except Exception as exc:
        return [], [Problem(f"client-certificate-data is not valid base64: {exc}", span)]
    out: list[Certificate] = []
    problems: list[Problem] = []
    for _, body in _pem_blocks(pem):
        if body is None:
            continue  # as before: an embedded PEM without its END line holds no certificate to check
        try:
            der = base64.b64decode("".join(body.split()), validate=True)
            out.append(_load(der, span, label))
        except Exception as exc:
            problems.append(Problem(f"cannot read the embedded certificate: {exc}", span))
    return out, problems


def looks_like_pem(text: str) -> bool:
    return "-----BEGIN CERTIFICATE-----" in text
