"""KA112: see rules/KA112.md."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.placeholders import has_kubeadm_placeholder
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import TOKEN, secret_fields

TOKEN_RE = re.compile(r"^[a-z0-9]{6}\.[a-z0-9]{16}$")  # k8s.io/cluster-bootstrap BootstrapTokenPattern
KEY_RE = re.compile(r"^[0-9a-fA-F]{64}$")  # hex of a 32-byte AES key


def _what_is_wrong(text: str, kind: str) -> str:
    if kind == TOKEN:
        head, dot, tail = text.partition(".")
        if not dot:
            return "it has no '.' between the 6-character id and the 16-character secret"
        if len(head) != 6 or len(tail) != 16:
            return f"its parts have {len(head)} and {len(tail)} characters, not 6 and 16"
        return "only lower-case letters and digits are allowed"
    if len(text) != 64:
        return f"it has {len(text)} characters, not 64"
    return "it holds characters that are not hexadecimal digits"


@rule("KA112")
def malformed_token_or_key(cluster: Cluster) -> Iterator[Problem]:
    for doc, path, kind, label in secret_fields(cluster):
        text = doc.get(*path)
        if not isinstance(text, str) or not text or has_kubeadm_placeholder(text):
            continue  # empty means "generate one"; a number is a type error (KA001); placeholders: SY007
        pattern = TOKEN_RE if kind == TOKEN else KEY_RE
        if pattern.match(text):
            continue
        if kind == TOKEN:
            fmt = "a bootstrap token must match [a-z0-9]{6}.[a-z0-9]{16}"
            fix = "generate one with `kubeadm token generate`"
        else:
            fmt = "a certificate key must be 64 hexadecimal digits (a 32-byte AES key)"
            fix = "generate one with `kubeadm certs certificate-key`"
        yield Problem(
            f"{doc.kind} {label} is malformed ({_what_is_wrong(text, kind)}): {fmt}, so kubeadm rejects the "
            f"configuration; {fix}",
            doc.loc(*path), anchor=f"{doc.anchor}/{label}",
        )
