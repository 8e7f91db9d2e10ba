"""What a rule needs from the inputs; a rule whose needs are not met is skipped (see --explain-skips)."""

from __future__ import annotations

from collections.abc import Callable

from kublint.model.cluster import Cluster

Check = Callable[[Cluster], bool]

REQUIREMENTS: dict[str, tuple[Check, str]] = {
    "kubeadm": (lambda c: bool(c.kubeadm_docs), "no kubeadm configuration in the cluster"),
    "cluster-config": (
        lambda c: bool(c.cluster_configs()) or any(d.kind == "InitConfiguration" for d in c.kubeadm_docs),
        "no ClusterConfiguration or InitConfiguration",
    ),
    "inventory": (lambda c: c.inventory_span is not None, "no inventory"),
    "etcd": (
        lambda c: c.etcd_stacked or c.etcd_count > 0,
        "no etcd known (no kubeadm control plane, etcd config or inventory etcd role)",
    ),
    "control-plane": (lambda c: c.control_plane_count > 0, "no control-plane node known"),
    "latency": (lambda c: bool(c.latency), "no measured round-trip times (inventory latency:)"),
    "hardware": (lambda c: any(n.hardware for n in c.nodes), "no node hardware in the inventory"),
    "load-balancer": (lambda c: bool(c.lb_dns or c.lb_vip), "no load-balancer address known"),
}


def unmet(cluster: Cluster, needs: tuple[str, ...]) -> str | None:
    for need in needs:
        check, why = REQUIREMENTS[need]
        if not check(cluster):
            return why
    return None
