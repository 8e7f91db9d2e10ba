"""KA102: see rules/KA102.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import endpoint_targets, has_endpoint, is_ha, missing_endpoint_phrase


@rule("KA102")
def missing_endpoint(cluster: Cluster) -> Iterator[Problem]:
    if is_ha(cluster):
        return  # KA101's case
    for doc in endpoint_targets(cluster):
        if has_endpoint(doc):
            continue
        yield Problem(
            f"{missing_endpoint_phrase(doc)}: kubeadm cannot turn a control plane created without one "
            "into a highly available one later; set a DNS name (or VIP) and port now, even with one node",
            doc.kind_span(), anchor=f"{doc.anchor}/controlPlaneEndpoint",
        )
