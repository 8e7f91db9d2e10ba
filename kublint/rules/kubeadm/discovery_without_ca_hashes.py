"""KA108: see rules/KA108.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import docs_of_kind

TOKEN = ("discovery", "bootstrapToken")


@rule("KA108")
def discovery_without_ca_hashes(cluster: Cluster) -> Iterator[Problem]:
    for doc in docs_of_kind(cluster, "JoinConfiguration"):
        if not isinstance(doc.get(*TOKEN), dict):
            continue
        hashes = doc.get(*TOKEN, "caCertHashes")
        if hashes not in (None, [], ""):
            continue
        if doc.get(*TOKEN, "unsafeSkipCAVerification") is True:
            continue  # KA107's case
        yield Problem(
            "bootstrap-token discovery without caCertHashes: kubeadm join refuses it (\"using token-based "
            "discovery without caCertHashes can be unsafe\"); add caCertHashes: [\"sha256:<hash of the "
            "cluster CA's public key>\"] (printed by `kubeadm token create --print-join-command`), or use "
            "file discovery",
            doc.loc(*TOKEN, key=True), anchor=f"{doc.anchor}/discovery/caCertHashes",
        )
