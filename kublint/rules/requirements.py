"""What a rule needs from the inputs; a rule whose needs are not met is skipped (see --explain-skips)."""

from __future__ import annotations

from collections.abc import Callable

from kublint.model.cluster import Cluster
from kublint.model.files import Kind
from kublint.parsers.yaml import YamlDocument

Check = Callable[[Cluster], bool]

REQUIREMENTS: dict[str, tuple[Check, str]] = {
    "kubeadm": (lambda c: bool(c.kubeadm_docs), "no kubeadm configuration in the cluster"),
    "cluster-config": (
        lambda c: bool(c.cluster_configs()) or any(d.kind == "InitConfiguration" for d in c.kubeadm_docs),
        "no ClusterConfiguration or InitConfiguration",
    ),
    "inventory": (lambda c: c.inventory_span is not None, "no inventory"),
    "native-inventory": (
        lambda c: any(f.kind is Kind.INVENTORY for f in c.files),
        "no kublint inventory (apiVersion: kublint.dev/v1alpha1, kind: Inventory)",
    ),
    "etcd": (
        lambda c: c.etcd_stacked or c.etcd_count > 0,
        "no etcd known (no kubeadm control plane, etcd config or inventory etcd role)",
    ),
    "control-plane": (lambda c: c.control_plane_count > 0, "no control-plane node known"),
    "latency": (lambda c: bool(c.latency), "no measured round-trip times (inventory latency:)"),
    "hardware": (lambda c: any(n.hardware for n in c.nodes), "no node hardware in the inventory"),
    "load-balancer": (lambda c: bool(c.lb_dns or c.lb_vip), "no load-balancer address known"),
    "control-plane-components": (
        lambda c: any(d.kind in ("ClusterConfiguration", "InitConfiguration") for d in c.kubeadm_docs)
        or any(p.component != "etcd" for p in c.static_pods)
        or any(d.kind == "KubeSchedulerConfiguration" for f in c.files for d in f.documents),
        "no control-plane component configuration (kubeadm ClusterConfiguration or InitConfiguration, or a "
        "kube-apiserver, kube-controller-manager or kube-scheduler static Pod)",
    ),
    "join-config": (
        lambda c: any(d.kind == "JoinConfiguration" for d in c.kubeadm_docs),
        "no kubeadm JoinConfiguration",
    ),
    "kubelet-config": (
        lambda c: any(f.component == "kubelet" for f in c.flags)
        or any(d.kind == "KubeletConfiguration" for f in c.files for d in f.documents),
        "no KubeletConfiguration and no kubeletExtraArgs",
    ),
    "kube-proxy-config": (
        lambda c: any(d.kind == "KubeProxyConfiguration" for f in c.files for d in f.documents),
        "no KubeProxyConfiguration",
    ),
    "environment": (
        lambda c: c.environment is not None,
        "no environment declared (inventory cluster.environment)",
    ),
    "zones": (lambda c: any(n.zone for n in c.nodes), "no node zones in the inventory"),
    "etcd-settings": (
        lambda c: bool(c.etcd_configs),
        "no etcd settings (etcd config file, etcd env file, etcd static Pod or kubeadm etcd.local)",
    ),
    "etcd-config-file": (
        lambda c: any(cfg.origin == "etcd config file" for cfg in c.etcd_configs),
        "no etcd config file (the YAML given to etcd --config-file)",
    ),
}


def unmet(cluster: Cluster, needs: tuple[str, ...]) -> str | None:
    for need in needs:
        check, why = REQUIREMENTS[need]
        if not check(cluster):
            return why
    return None


# --- operations, certificates, versions and architecture (OPxxx, CLxxx, IV1xx-IV3xx) ---


def _native(cluster: Cluster) -> list[YamlDocument]:
    from kublint.model.inventory import native_documents

    return native_documents(cluster.files)


def _node_versions(cluster: Cluster) -> bool:
    from kublint.model.inventory import native_nodes

    return any(isinstance(n.get("versions"), dict) for n in native_nodes(cluster.files))


def _k8s_version(cluster: Cluster) -> bool:
    from kublint.model.versions import kubernetes_target

    return kubernetes_target(cluster) is not None


def _etcd_version(cluster: Cluster) -> bool:
    from kublint.model.versions import etcd_target

    return etcd_target(cluster) is not None


REQUIREMENTS.update({
    "certificates": (
        lambda c: bool(c.certificates),
        "no readable certificate under the root (PEM files or kubeconfig client certificates; reading them "
        "needs the certs extra, cryptography)",
    ),
    "kubeadm-or-certificates": (
        lambda c: bool(c.kubeadm_docs) or bool(c.certificates),
        "no kubeadm configuration and no readable certificate",
    ),
    "backups": (lambda c: bool(c.backups), "no etcd backup schedule found"),
    "backup-declaration": (
        lambda c: any(isinstance(d.get("backups", "etcd"), dict) for d in _native(c)),
        "no backups.etcd in the inventory",
    ),
    "node-versions": (_node_versions, "no node versions in the inventory (nodes[].versions)"),
    "kubernetes-version": (_k8s_version, "no Kubernetes version known (kubernetesVersion)"),
    "etcd-version": (_etcd_version, "no etcd version known (image, imageTag, inventory, kubeadm's pairing)"),
    "api-latency": (
        lambda c: any(isinstance(d.get("measurements", "apiserverP99Ms"), dict) for d in _native(c)),
        "no measured API latencies (inventory measurements.apiserverP99Ms)",
    ),
    "node-swap": (lambda c: _node_field(c, "hardware", "swap"), "no node swap setting in the inventory"),
    "runtime-cgroup-driver": (
        lambda c: _node_field(c, "containerRuntime", "cgroupDriver"),
        "no container runtime cgroup driver in the inventory (nodes[].containerRuntime.cgroupDriver)",
    ),
})


def _node_field(cluster: Cluster, *path: str) -> bool:
    from kublint.model.inventory import native_nodes

    return any(n.get(*path) is not None for n in native_nodes(cluster.files))


# --- HAProxy in front of the API servers (HPxxx, CL105) ---


def _haproxy_api(cluster: Cluster) -> bool:
    from kublint.rules.haproxy._common import api_proxies

    return bool(api_proxies(cluster))


REQUIREMENTS.update({
    "haproxy-api": (
        _haproxy_api,
        "no HAProxy API frontend or backend (a frontend on the controlPlaneEndpoint port, or a backend whose "
        "servers are control-plane nodes or on the API server port)",
    ),
    "inventory-control-plane": (
        lambda c: any(n.in_inventory for n in c.control_plane),
        "no control-plane node listed in an inventory (the full control-plane set is unknown)",
    ),
    "endpoint": (lambda c: bool(c.endpoints), "no controlPlaneEndpoint"),
})


# --- keepalived (KPxxx), KA106 ---


def _has_haproxy(cluster: Cluster) -> bool:
    return any(f.kind is Kind.HAPROXY for f in cluster.files)


REQUIREMENTS.update({
    "keepalived": (lambda c: any(f.kind is Kind.KEEPALIVED for f in c.files), "no keepalived configuration"),
    "keepalived-vrrp": (lambda c: bool(c.vrrps), "no keepalived vrrp_instance"),
    "control-plane-endpoint": (
        lambda c: bool(c.endpoints), "no controlPlaneEndpoint in a ClusterConfiguration",
    ),
    "lb-address": (
        lambda c: bool(c.vips) or c.lb_vip is not None or c.lb_dns is not None,
        "no load-balancer address known (keepalived VIP or inventory loadBalancer)",
    ),
    "api-port-source": (
        lambda c: _has_haproxy(c) or any(e.port is not None for e in c.endpoints),
        "no port clients use for the API (HAProxy frontend or controlPlaneEndpoint port)",
    ),
})
