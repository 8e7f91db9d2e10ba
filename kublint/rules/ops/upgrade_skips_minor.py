"""OP304: see rules/OP304.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.inventory import native_documents
from kublint.model.types import Sourced
from kublint.model.versions import Version, parse_version
from kublint.rules.api import rule
from kublint.rules.ops._common import minors_apart, version_facts


def upgrade_target(cluster: Cluster) -> tuple[Sourced[Version], str] | None:
    """The version kubeadm moves to: ``UpgradeConfiguration.apply.kubernetesVersion``, else the
    ClusterConfiguration's ``kubernetesVersion``."""
    for doc in cluster.kubeadm_docs:
        if doc.kind == "UpgradeConfiguration":
            v = parse_version(doc.get("apply", "kubernetesVersion"))
            if v is not None:
                label = "UpgradeConfiguration apply.kubernetesVersion"
                return Sourced(v, doc.loc("apply", "kubernetesVersion")), label
    for doc in cluster.cluster_configs():
        v = parse_version(doc.get("kubernetesVersion"))
        if v is not None:
            return Sourced(v, doc.loc("kubernetesVersion")), "ClusterConfiguration kubernetesVersion"
    return None


def running_version(cluster: Cluster) -> tuple[Sourced[Version], str] | None:
    """The control plane that runs today: the oldest API server the inventory or static Pods name, else the
    inventory's ``cluster.kubernetesVersion``."""
    apis = [f for f in version_facts(cluster) if f.key == "apiserver"]
    if apis:
        oldest = min(apis, key=lambda f: f.version)
        return Sourced(oldest.version, oldest.span), oldest.label
    for doc in native_documents(cluster.files):
        v = parse_version(doc.get("cluster", "kubernetesVersion"))
        if v is not None:
            span = doc.loc("cluster", "kubernetesVersion")
            return Sourced(v, span), f"cluster version {v} in the inventory"
    return None


@rule("OP304")
def upgrade_skips_minor(cluster: Cluster) -> Iterator[Problem]:
    target = upgrade_target(cluster)
    running = running_version(cluster)
    if target is None or running is None:
        return
    (want, want_label), (have, have_label) = target, running
    steps = minors_apart(want.value, have.value)
    if steps <= 1:
        return
    yield Problem(
        f"{want_label} {want.value} is {steps} minor versions past the running {have_label}: kubeadm does "
        "not support skipping minor versions; upgrade one minor at a time, first to "
        f"{have.value.major}.{have.value.minor + 1}",
        want.span, (Related(have.span, "running version"),), anchor="upgrade/kubernetesVersion",
    )
