"""KA110: see rules/KA110.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.placeholders import has_kubeadm_placeholder
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import TOKEN, secret_fields, value_text

DOCS_EXAMPLE_TOKEN = "abcdef.0123456789abcdef"  # kubeadm's documentation and `kubeadm config print`


def _shown(text: str, kind: str) -> str:
    """Never repeat a secret in a report: a token's id (before the dot) is public, its secret part is not."""
    if kind == TOKEN and "." in text:
        return f"{text.split('.', 1)[0]}.<secret>"
    return "<redacted>"


@rule("KA110")
def secret_in_config(cluster: Cluster) -> Iterator[Problem]:
    for doc, path, kind, label in secret_fields(cluster):
        text = value_text(doc.get(*path))
        if text is None or not text.strip() or has_kubeadm_placeholder(text):
            continue
        if kind == TOKEN:
            why = "anyone who reads the file can join nodes to the cluster while the token is valid"
            if text.strip() == DOCS_EXAMPLE_TOKEN:
                why += " (and this is the example token from kubeadm's documentation, known to everyone)"
            fix = "create tokens at deploy time (`kubeadm token create`) and inject them from a secret store"
        else:
            why = ("the certificate key decrypts the cluster's CA and service-account keys that `kubeadm "
                   "init --upload-certs` stores in the kubeadm-certs Secret")
            fix = ("generate it at deploy time (`kubeadm certs certificate-key`) and inject it from a "
                   "secret store")
        yield Problem(
            f"{doc.kind} {label} holds a literal {kind} ({_shown(text.strip(), kind)}) in a file kept with "
            f"the configuration: {why}; {fix}, or leave a template placeholder here",
            doc.loc(*path), anchor=f"{doc.anchor}/{label}",
        )
