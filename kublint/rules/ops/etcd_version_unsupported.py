"""OP305: see rules/OP305.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model import supported
from kublint.model.cluster import Cluster
from kublint.model.versions import KUBEADM_ETCD, Version, etcd_target, kubernetes_target, parse_version
from kublint.rules.api import rule
from kublint.rules.ops._common import minor_text, version_facts
from kublint.source import Span


def _stated(cluster: Cluster) -> list[tuple[Version, Span, str]]:
    """etcd versions the inputs state: static Pod images, kubeadm's etcd.local.imageTag, inventory nodes."""
    out = [(f.version, f.span, f.label) for f in version_facts(cluster) if f.key == "etcd"]
    for doc in cluster.cluster_configs():
        v = parse_version(doc.get("etcd", "local", "imageTag"))
        if v is not None:
            out.append((v, doc.loc("etcd", "local", "imageTag"), f"etcd.local.imageTag {v}"))
    return out


@rule("OP305")
def etcd_version_unsupported(cluster: Cluster) -> Iterator[Problem]:
    table = supported.etcd()
    stated = _stated(cluster)
    if stated:
        for version, span, label in stated:
            yield from _judge(table, version, span, label, patch_known=True)
        return
    inferred = etcd_target(cluster)  # only the minor kubeadm pairs with the Kubernetes version is known
    k8s = kubernetes_target(cluster)
    if inferred is None or k8s is None:
        return
    label = f"etcd {minor_text(inferred.value)}, kubeadm's pairing for Kubernetes {minor_text(k8s.value)}"
    if k8s.value.minor_key in KUBEADM_ETCD or k8s.value.minor_key > max(KUBEADM_ETCD):
        yield from _judge(table, inferred.value, inferred.span, label, patch_known=False)


def _judge(table: supported.SupportTable, v: Version, span: Span, label: str,
           patch_known: bool) -> Iterator[Problem]:
    minor = v.minor_key
    anchor = f"etcd-version:{label}"
    if not table.supported(minor):
        yield Problem(
            f"{label}: etcd {minor_text(v)} is out of maintenance (maintained: {table.maintained_text()}, "
            f"as of {table.as_of}) and gets no more fixes; upgrade etcd one minor at a time (patch first)",
            span, anchor=anchor,
        )
        return
    floor = table.minimum_for(minor)
    if patch_known and floor is not None and v < floor:
        yield Problem(
            f"{label}: etcd {v} is below {floor}, the minimum Kubernetes recommends for {minor_text(v)} "
            "(earlier patches have known bugs); upgrade to the latest patch of the minor",
            span, anchor=anchor,
        )
