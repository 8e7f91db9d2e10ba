"""How the certificate rules (OP201, OP202, OP203) name a certificate and anchor its finding."""

from __future__ import annotations

from kublint.parsers.certs import Certificate


def describe_certificate(cert: Certificate) -> str:
    kind = "CA certificate" if cert.is_ca else "certificate"
    return f"{kind} {cert.subject or '(no subject)'} ({cert.label})"


def certificate_anchor(cert: Certificate) -> str:
    return f"certificate:{cert.subject}:{'ca' if cert.is_ca else 'leaf'}"
