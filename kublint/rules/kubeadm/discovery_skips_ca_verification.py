"""KA107: see rules/KA107.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import docs_of_kind

PATH = ("discovery", "bootstrapToken", "unsafeSkipCAVerification")


@rule("KA107")
def discovery_skips_ca_verification(cluster: Cluster) -> Iterator[Problem]:
    for doc in docs_of_kind(cluster, "JoinConfiguration"):
        if doc.get(*PATH) is not True:
            continue
        server = doc.get("discovery", "bootstrapToken", "apiServerEndpoint")
        where = f" at {server}" if isinstance(server, str) and server else ""
        yield Problem(
            "discovery.bootstrapToken.unsafeSkipCAVerification is true: the joining node trusts whatever "
            f"API server answers{where}, so a man in the middle can hand it a forged cluster CA and capture "
            "its credentials; pin the CA with caCertHashes: [\"sha256:<hash>\"] (printed by `kubeadm token "
            "create --print-join-command`) and remove the skip",
            doc.loc(*PATH), anchor=f"{doc.anchor}/discovery/unsafeSkipCAVerification",
        )
