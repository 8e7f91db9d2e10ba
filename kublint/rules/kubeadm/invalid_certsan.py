"""KA105: see rules/KA105.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.placeholders import has_kubeadm_placeholder
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import (
    is_dns1123_subdomain,
    is_go_ip,
    is_wildcard_dns1123_subdomain,
    value_text,
)
from kublint.text import is_digits

LISTS = (
    (("apiServer", "certSANs"), "apiServer.certSANs"),
    (("etcd", "local", "serverCertSANs"), "etcd.local.serverCertSANs"),
    (("etcd", "local", "peerCertSANs"), "etcd.local.peerCertSANs"),
)


def valid_san(text: str) -> bool:
    """kubeadm ``ValidateCertSANs``: a DNS-1123 subdomain, a wildcard one, or an IP address."""
    return is_dns1123_subdomain(text) or is_wildcard_dns1123_subdomain(text) or is_go_ip(text)


def _hint(text: str) -> str:
    if not text.strip():
        return "remove the empty entry"
    if "://" in text:
        return "write the host alone, without a URL scheme"
    if text.startswith("[") or "/" in text:
        return "write the bare address, without brackets or a prefix length"
    if is_digits(text.rsplit(":", 1)[-1]) and text.count(":") == 1:
        return "write the host alone, without a port"
    if text != text.lower():
        return "DNS names in certificates must be lower case"
    if "_" in text:
        return "'_' is not allowed in a DNS name"
    if text.endswith(".") or ".." in text or text.startswith((".", "-")):
        return "no empty label and no leading or trailing '.' or '-'"
    if " " in text:
        return "no blanks"
    if len(text) > 253:
        return "at most 253 characters"
    return "use lower-case letters, digits, '-' and '.', or an IP address"


@rule("KA105")
def invalid_certsan(cluster: Cluster) -> Iterator[Problem]:
    for doc in cluster.cluster_configs():
        for path, label in LISTS:
            raw = doc.get(*path)
            for k, entry in enumerate(raw if isinstance(raw, list) else []):
                text = value_text(entry)
                if text is None or has_kubeadm_placeholder(text) or valid_san(text):
                    continue  # collections are a schema error (KA001); placeholders are SY007's
                yield Problem(
                    f"{label} entry {text!r} is neither a DNS-1123 subdomain nor an IP address: kubeadm "
                    "refuses the configuration (\"altname is not a valid IP address, DNS label or a DNS "
                    f"label with subdomain wildcards\"); {_hint(text)}",
                    doc.loc(*path, k), anchor=f"{doc.anchor}/{label}/{text}",
                )
