"""Cluster definitions of tools kublint does not read, recognised so that a run over them is never silently
empty (SY008). Each entry says how the tool's own file is told apart: its ``apiVersion`` group and ``kind``,
or, for formats without them, a set of keys no other input has together."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple


class Dialect(NamedTuple):
    tool: str  # the tool, as the message names it
    what: str  # how the file was recognised, for the message
    matches: Callable[[str, str, Any], bool]  # (apiVersion, kind, data)


def _api(group: str, *kinds: str) -> Callable[[str, str, Any], bool]:
    def match(api_version: str, kind: str, data: Any) -> bool:
        return api_version.split("/", 1)[0] == group and (not kinds or kind in kinds)

    return match


def _rke1(api_version: str, kind: str, data: Any) -> bool:
    """RKE1's ``cluster.yml``: a ``nodes`` list whose entries have an ``address`` and a ``role`` list
    (controlplane, etcd, worker), usually beside ``services:``."""
    if api_version or kind or not isinstance(data, dict):
        return False
    nodes = data.get("nodes")
    if not isinstance(nodes, list) or not nodes:
        return False
    roles = {"controlplane", "etcd", "worker"}
    return all(
        isinstance(n, dict) and "address" in n and isinstance(n.get("role"), list)
        and bool(set(map(str, n["role"])) & roles)
        for n in nodes
    )


def _openshift(api_version: str, kind: str, data: Any) -> bool:
    """OpenShift's ``install-config.yaml``: ``apiVersion: v1`` with baseDomain, platform and controlPlane or
    compute."""
    return (api_version == "v1" and not kind and isinstance(data, dict)
            and {"baseDomain", "platform"} <= set(data) and bool({"controlPlane", "compute"} & set(data)))


UNSUPPORTED: tuple[Dialect, ...] = (
    Dialect("kops", "apiVersion kops.k8s.io", _api("kops.k8s.io")),
    Dialect("eksctl", "apiVersion eksctl.io, kind ClusterConfig", _api("eksctl.io", "ClusterConfig")),
    Dialect("kind", "apiVersion kind.x-k8s.io, kind Cluster", _api("kind.x-k8s.io", "Cluster")),
    Dialect("k0s", "apiVersion k0s.k0sproject.io", _api("k0s.k0sproject.io")),
    Dialect("k0sctl", "apiVersion k0sctl.k0sproject.io", _api("k0sctl.k0sproject.io")),
    Dialect("KubeOne", "apiVersion kubeone.k8c.io, kind KubeOneCluster",
            _api("kubeone.k8c.io", "KubeOneCluster")),
    Dialect("Rancher (cluster provisioning)", "apiVersion provisioning.cattle.io, kind Cluster",
            _api("provisioning.cattle.io", "Cluster")),
    Dialect("Gardener", "apiVersion core.gardener.cloud, kind Shoot", _api("core.gardener.cloud", "Shoot")),
    Dialect("RKE1", "a nodes list with address and role (controlplane, etcd, worker)", _rke1),
    Dialect("the OpenShift installer", "install-config: baseDomain, platform, controlPlane or compute",
            _openshift),
)


def unsupported(documents: Iterable[tuple[str, str, Any]]) -> Dialect | None:
    """The tool whose cluster definition one of the documents (apiVersion, kind, data) is, if any."""
    for api_version, kind, data in documents:
        for d in UNSUPPORTED:
            if d.matches(api_version, kind, data):
                return d
    return None
