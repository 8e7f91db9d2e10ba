"""IV303: see rules/IV303.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.components import kubelet_configs, kubelet_flags
from kublint.model.inventory import native_nodes
from kublint.rules.api import rule
from kublint.source import Span

KUBEADM_DEFAULT = "systemd"  # kubeadm sets the kubelet's cgroupDriver to systemd since 1.22


def kubelet_cgroup_driver(cluster: Cluster) -> tuple[str, Span | None] | None:
    """The kubelet's cgroup driver and where it is set; kubeadm's default when kubeadm sets up the kubelet."""
    for flag in kubelet_flags(cluster):
        if flag.name == "cgroup-driver" and flag.value.strip():
            return flag.value.strip(), flag.span
    for doc in kubelet_configs(cluster):
        value = doc.get("cgroupDriver")
        if isinstance(value, str) and value.strip():
            return value.strip(), doc.loc("cgroupDriver")
    if cluster.kubeadm_docs:
        return KUBEADM_DEFAULT, None
    return None


@rule("IV303")
def cgroup_driver_mismatch(cluster: Cluster) -> Iterator[Problem]:
    kubelet = kubelet_cgroup_driver(cluster)
    if kubelet is None:
        return
    driver, where = kubelet
    related = (Related(where, "the kubelet's cgroupDriver"),) if where else ()
    shown = f"the kubelet's {driver}" if where else f"the kubelet's {driver} (kubeadm's default)"
    for node in native_nodes(cluster.files):
        runtime = node.get("containerRuntime", "cgroupDriver")
        if not isinstance(runtime, str) or not runtime.strip() or runtime.strip() == driver:
            continue
        name = node.get("containerRuntime", "name")
        rt = name if isinstance(name, str) and name else "the container runtime"
        yield Problem(
            f"node {node.name}: {rt} uses the {runtime} cgroup driver but {shown}: with two drivers the node "
            "has two views of its resources and becomes unstable under pressure; use systemd for both (the "
            f"runtime's SystemdCgroup setting and the kubelet's cgroupDriver)",
            node.loc("containerRuntime", "cgroupDriver"), related,
            anchor=f"node:{node.name}/containerRuntime/cgroupDriver",
        )
