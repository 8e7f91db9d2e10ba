"""KA001: see rules/KA001.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.embedded import written
from kublint.rules.api import rule
from kublint.schema import schema_problems

SCHEMAS = {
    "kubeadm.k8s.io/v1beta3": "kubeadm-v1beta3",
    "kubeadm.k8s.io/v1beta4": "kubeadm-v1beta4",
}  # older and unknown apiVersions are KA002's


@rule("KA001")
def schema_violation(cluster: Cluster) -> Iterator[Problem]:
    for doc in written(cluster.kubeadm_docs):
        schema = SCHEMAS.get(doc.api_version)
        if schema is not None:
            yield from schema_problems(doc, schema)
