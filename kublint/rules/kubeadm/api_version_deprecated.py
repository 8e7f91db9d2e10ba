"""KA003: see rules/KA003.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.embedded import written
from kublint.rules.api import rule
from kublint.rules.kubeadm._api_versions import MIGRATE, V1BETA3_REMOVED
from kublint.rules.kubeadm._common import kubeadm_api_version, target_version_for


@rule("KA003")
def api_version_deprecated(cluster: Cluster) -> Iterator[Problem]:
    for doc in written(cluster.kubeadm_docs):
        if kubeadm_api_version(doc) != "v1beta3":
            continue
        target = target_version_for(cluster, doc)
        if target is not None and target.value >= V1BETA3_REMOVED:
            continue  # KA002's case: removed, not deprecated
        if target is None:
            aim = "the target Kubernetes version is not known"
            related: tuple[Related, ...] = ()
        else:
            aim = f"this cluster targets {target.value.major}.{target.value.minor}"
            related = (Related(target.span, f"target Kubernetes version {target.value}"),)
        yield Problem(
            f"{doc.kind or 'document'} uses kubeadm.k8s.io/v1beta3, deprecated since Kubernetes 1.31 and "
            f"removed in 1.36 ({aim}): the next upgrade past 1.35 cannot read this file; migrate it to "
            f"v1beta4 now ({MIGRATE})",
            doc.loc("apiVersion"), related, anchor=f"{doc.anchor}/apiVersion",
        )
