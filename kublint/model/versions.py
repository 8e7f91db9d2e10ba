"""Versions the cluster targets: Kubernetes from kubeadm or the inventory, etcd from images, the inventory or
the etcd kubeadm ships with that Kubernetes minor."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from kublint.model.cluster import Cluster
from kublint.model.types import Sourced
from kublint.source import Span, whole_file_span

_VERSION = re.compile(r"^v?(\d{1,9})\.(\d{1,9})(?:\.(\d{1,9}))?")  # bounded: int() of any match


class Version(NamedTuple):
    major: int
    minor: int
    patch: int = 0

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @property
    def minor_key(self) -> tuple[int, int]:
        return (self.major, self.minor)


def parse_version(text: object) -> Version | None:
    if not isinstance(text, str | int | float) or isinstance(text, bool):
        return None
    m = _VERSION.match(str(text).strip())
    if not m:
        return None
    return Version(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))


def _kubernetes_settings(cluster: Cluster) -> Iterator[Sourced[Version]]:
    seen: set[tuple[str, int, int]] = set()

    def one(value: object, span: Span) -> Sourced[Version] | None:
        v = parse_version(value)
        where = (span.path, span.start.line, span.start.col)
        if v is None or where in seen:
            return None
        seen.add(where)
        return Sourced(v, span)

    for d in cluster.cluster_configs():
        if (got := one(d.get("kubernetesVersion"), d.loc("kubernetesVersion"))) is not None:
            yield got
    for text in cluster.kubernetes_versions:
        if (got := one(text.value, text.span)) is not None:
            yield got
    for f in cluster.files:
        for d in f.documents:
            if d.kind != "Inventory" or d.get("cluster", "kubernetesVersion") is None:
                continue
            if (got := one(d.get("cluster", "kubernetesVersion"), d.loc("cluster", "kubernetesVersion"))):
                yield got


def kubernetes_settings(cluster: Cluster) -> list[Sourced[Version]]:
    """Every place that sets the Kubernetes version to deploy, in order of authority: each
    ClusterConfiguration's kubernetesVersion, then the installers' (kubespray's kube_version, talconfig's
    kubernetesVersion, ...), then each inventory's ``cluster.kubernetesVersion``. A place named twice (an
    installer reading a ClusterConfiguration) is listed once."""
    return list(_kubernetes_settings(cluster))


def kubernetes_target(cluster: Cluster) -> Sourced[Version] | None:
    """The version kubeadm will deploy: the ClusterConfiguration's kubernetesVersion, else an installer's
    (kubespray's kube_version, talconfig's kubernetesVersion), else the inventory's."""
    return next(_kubernetes_settings(cluster), None)


# The etcd minor kubeadm deploys for a Kubernetes minor (cmd/kubeadm/app/constants SupportedEtcdVersion).
KUBEADM_ETCD = {(1, 29): (3, 5), (1, 30): (3, 5), (1, 31): (3, 5), (1, 32): (3, 5), (1, 33): (3, 5),
                (1, 34): (3, 6), (1, 35): (3, 6), (1, 36): (3, 6)}


def etcd_target(cluster: Cluster, override: str | None = None) -> Sourced[Version] | None:
    """The etcd version the members run: an option, an image tag, the inventory, or kubeadm's pairing."""
    if override:
        v = parse_version(override)
        if v is not None:
            return Sourced(v, cluster.etcd_member_list or _anywhere(cluster))
    for pod in cluster.static_pods:
        if pod.component == "etcd" and pod.image and ":" in pod.image:
            v = parse_version(pod.image.rsplit(":", 1)[1])
            if v is not None:
                return Sourced(v, pod.document.loc("spec", "containers", pod.container, "image"))
    for d in cluster.cluster_configs():
        v = parse_version(d.get("etcd", "local", "imageTag"))
        if v is not None:
            return Sourced(v, d.loc("etcd", "local", "imageTag"))
    for f in cluster.files:
        for d in f.documents:
            if d.kind != "Inventory" or not isinstance(d.get("nodes"), list):
                continue
            for i, _ in enumerate(d.get("nodes")):
                v = parse_version(d.get("nodes", i, "versions", "etcd"))
                if v is not None:
                    return Sourced(v, d.loc("nodes", i, "versions", "etcd"))
    k8s = kubernetes_target(cluster)
    if k8s is not None:
        pair = KUBEADM_ETCD.get(k8s.value.minor_key)
        if pair is None and k8s.value.minor_key > max(KUBEADM_ETCD):
            pair = KUBEADM_ETCD[max(KUBEADM_ETCD)]
        if pair is not None:
            return Sourced(Version(*pair), k8s.span)
    return None


def _anywhere(cluster: Cluster) -> Span:
    for f in cluster.files:
        return f.source.start_span()
    return whole_file_span(cluster.root)
