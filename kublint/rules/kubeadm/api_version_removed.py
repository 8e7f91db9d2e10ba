"""KA002: see rules/KA002.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.embedded import written
from kublint.rules.api import rule
from kublint.rules.kubeadm._api_versions import MIGRATE, V1BETA3_REMOVED
from kublint.rules.kubeadm._common import kubeadm_api_version, target_version_for


def removal(version: str) -> str | None:
    """Why kubeadm no longer reads this apiVersion, whatever the target; None when it still may."""
    if version.startswith("v1alpha"):
        return ("was removed long ago (Kubernetes 1.15 at the latest); rewrite the file for v1beta4 (a "
                f"kubeadm release that still reads {version} can migrate it step by step)")
    if version == "v1beta1":
        return (f"was removed in Kubernetes 1.22; migrate it with kubeadm 1.21 or older ({MIGRATE}) and then "
                "to v1beta4")
    if version == "v1beta2":
        return (f"was removed in Kubernetes 1.27; migrate it with kubeadm 1.26 or older ({MIGRATE}) and then "
                "to v1beta4")
    if version == "v1":
        return ("is an experimental placeholder that \"cannot be used yet\": kubeadm rejects it; use "
                "kubeadm.k8s.io/v1beta4")
    return None


@rule("KA002")
def api_version_removed(cluster: Cluster) -> Iterator[Problem]:
    for doc in written(cluster.kubeadm_docs):
        version = kubeadm_api_version(doc)
        if version is None:
            continue
        target = target_version_for(cluster, doc)
        why = removal(version)
        related: tuple[Related, ...] = ()
        if why is None and version == "v1beta3" and target is not None and target.value >= V1BETA3_REMOVED:
            why = ("was removed in Kubernetes 1.36 and this cluster targets "
                   f"{target.value.major}.{target.value.minor}: kubeadm "
                   f"{target.value.major}.{target.value.minor} cannot read it; migrate it to v1beta4 with "
                   f"kubeadm 1.35 ({MIGRATE})")
            related = (Related(target.span, f"target Kubernetes version {target.value}"),)
        if why is None:
            continue
        yield Problem(f"{doc.kind or 'document'} uses kubeadm.k8s.io/{version}, which {why}",
                      doc.loc("apiVersion"), related, anchor=f"{doc.anchor}/apiVersion")
