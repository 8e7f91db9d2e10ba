"""The input vocabulary of the rule cards' ``inputs:``: what a rule needs before it can say anything.

A card names the inputs its rule reads (``inputs: [etcd, zones]``); the engine checks them and never runs a
rule whose inputs are missing. Such a rule is *skipped*, not passed: ``--explain-skips`` lists it with the
input's ``missing`` text. This is the only gate: a rule module does not repeat it.

Each input is a check on the cluster model, run for every cluster (in the card's order; the first one that
fails is the reason given). An input may also name the file ``kinds`` it can only come from: when a run read
no file of any of them, the rules that need the input are not even imported (``no <kind> input``), so start-up
pays only for rules that can fire. A per-file rule (``on="file"``) is gated by the kinds alone.

A new input is one entry here; ``schemas/rule-card.schema.json`` lists the same names (a test keeps the two
equal), so a card naming an unknown input fails validation.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import NamedTuple

from kublint.model.cluster import Cluster
from kublint.model.files import Kind
from kublint.parsers.yaml import YamlDocument

Check = Callable[[Cluster], bool]


class Input(NamedTuple):
    check: Check  # is the input present in this cluster?
    missing: str  # why the rule was skipped, when it is not (--explain-skips)
    kinds: tuple[str, ...] = ()  # file kinds it can only come from (kublint.model.files.Kind values)


def _native(cluster: Cluster) -> list[YamlDocument]:
    from kublint.model.inventory import native_documents

    return native_documents(cluster.files)


def _node_versions(cluster: Cluster) -> bool:
    from kublint.model.inventory import native_nodes

    return any(isinstance(n.get("versions"), dict) for n in native_nodes(cluster.files))


def _node_field(cluster: Cluster, *path: str) -> bool:
    from kublint.model.inventory import native_nodes

    return any(n.get(*path) is not None for n in native_nodes(cluster.files))


def _k8s_version(cluster: Cluster) -> bool:
    from kublint.model.versions import kubernetes_target

    return kubernetes_target(cluster) is not None


def _etcd_version(cluster: Cluster) -> bool:
    from kublint.model.versions import etcd_target

    return etcd_target(cluster) is not None


def _has_kind(kind: Kind) -> Check:
    return lambda c: any(f.kind is kind for f in c.files)


INPUTS: dict[str, Input] = {
    # --- kubeadm, the control-plane components and the inventory ---
    "kubeadm": Input(lambda c: bool(c.kubeadm_docs), "no kubeadm configuration in the cluster"),
    "cluster-config": Input(
        lambda c: bool(c.cluster_configs()) or any(d.kind == "InitConfiguration" for d in c.kubeadm_docs),
        "no ClusterConfiguration or InitConfiguration",
    ),
    "inventory": Input(lambda c: c.inventory_span is not None, "no inventory"),
    "native-inventory": Input(
        _has_kind(Kind.INVENTORY), "no kublint inventory (apiVersion: kublint.dev/v1alpha1, kind: Inventory)"
    ),
    "etcd": Input(
        lambda c: c.etcd_stacked or c.etcd_count > 0,
        "no etcd known (no kubeadm control plane, etcd config or inventory etcd role)",
    ),
    "control-plane": Input(lambda c: c.control_plane_count > 0, "no control-plane node known"),
    "latency": Input(lambda c: bool(c.latency), "no measured round-trip times (inventory latency:)"),
    "hardware": Input(lambda c: any(n.hardware for n in c.nodes), "no node hardware in the inventory"),
    "load-balancer": Input(lambda c: bool(c.lb_dns or c.lb_vip), "no load-balancer address known"),
    "control-plane-components": Input(
        lambda c: any(d.kind in ("ClusterConfiguration", "InitConfiguration") for d in c.kubeadm_docs)
        or any(p.component != "etcd" for p in c.static_pods)
        or bool(c.components)
        or any(d.kind == "KubeSchedulerConfiguration" for f in c.files for d in f.documents),
        "no control-plane component configuration (kubeadm ClusterConfiguration or InitConfiguration, a "
        "kube-apiserver, kube-controller-manager or kube-scheduler static Pod, or an installer's component "
        "settings)",
    ),
    "upgrade-config": Input(
        lambda c: any(d.kind == "UpgradeConfiguration" for d in c.kubeadm_docs)
        or bool(c.upgrade_renewal_off),
        "no kubeadm UpgradeConfiguration and no installer setting for certificate renewal on upgrade",
    ),
    "join-config": Input(
        lambda c: any(d.kind == "JoinConfiguration" for d in c.kubeadm_docs), "no kubeadm JoinConfiguration"
    ),
    "kubelet-config": Input(
        lambda c: any(f.component == "kubelet" for f in c.flags)
        or any(d.kind == "KubeletConfiguration" for f in c.files for d in f.documents),
        "no KubeletConfiguration and no kubeletExtraArgs",
    ),
    "kube-proxy-config": Input(
        lambda c: any(d.kind == "KubeProxyConfiguration" for f in c.files for d in f.documents),
        "no KubeProxyConfiguration",
    ),
    "environment": Input(
        lambda c: c.environment is not None, "no environment declared (inventory cluster.environment)"
    ),
    "zones": Input(lambda c: any(n.zone for n in c.nodes), "no node zones in the inventory"),
    # --- etcd ---
    "etcd-settings": Input(
        lambda c: bool(c.etcd_configs),
        "no etcd settings (etcd config file, etcd env file, etcd static Pod or kubeadm etcd.local)",
    ),
    "etcd-config-file": Input(
        lambda c: any(cfg.origin == "etcd config file" for cfg in c.etcd_configs),
        "no etcd config file (the YAML given to etcd --config-file)",
    ),
    # --- operations, certificates, versions and architecture (OPxxx, CLxxx, IV1xx-IV3xx) ---
    "certificates": Input(
        lambda c: bool(c.certificates),
        "no readable certificate under the root (PEM files or kubeconfig client certificates; reading them "
        "needs the certs extra, cryptography)",
    ),
    "kubeadm-or-certificates": Input(
        lambda c: bool(c.kubeadm_docs) or bool(c.certificates) or bool(c.cert_sans),
        "no kubeadm configuration, no installer's certificate names and no readable certificate",
    ),
    "backups": Input(lambda c: bool(c.backups), "no etcd backup schedule found"),
    "backup-declaration": Input(
        lambda c: any(isinstance(d.get("backups", "etcd"), dict) for d in _native(c)),
        "no backups.etcd in the inventory",
    ),
    "node-versions": Input(_node_versions, "no node versions in the inventory (nodes[].versions)"),
    "kubernetes-version": Input(_k8s_version, "no Kubernetes version known (kubernetesVersion)"),
    "etcd-version": Input(
        _etcd_version, "no etcd version known (image, imageTag, inventory, kubeadm's pairing)"
    ),
    "api-latency": Input(
        lambda c: any(isinstance(d.get("measurements", "apiserverP99Ms"), dict) for d in _native(c)),
        "no measured API latencies (inventory measurements.apiserverP99Ms)",
    ),
    "node-swap": Input(lambda c: _node_field(c, "hardware", "swap"), "no node swap setting in the inventory"),
    "runtime-cgroup-driver": Input(
        lambda c: _node_field(c, "containerRuntime", "cgroupDriver"),
        "no container runtime cgroup driver in the inventory (nodes[].containerRuntime.cgroupDriver)",
    ),
    # --- HAProxy in front of the API servers (HPxxx, CL105) ---
    "haproxy": Input(_has_kind(Kind.HAPROXY), "no HAProxy configuration", kinds=("haproxy",)),
    "haproxy-api": Input(
        lambda c: bool(c.api_proxies),
        "no HAProxy API frontend or backend (a frontend on the controlPlaneEndpoint port, or a backend whose "
        "servers are control-plane nodes or on the API server port)",
        kinds=("haproxy",),
    ),
    "inventory-control-plane": Input(
        lambda c: any(n.in_inventory for n in c.control_plane),
        "no control-plane node listed in an inventory (the full control-plane set is unknown)",
    ),
    "endpoint": Input(lambda c: bool(c.endpoints), "no controlPlaneEndpoint (kubeadm's or an installer's)"),
    # --- installers' own rules (KSxxx, TLxxx) ---
    "kubespray": Input(
        lambda c: any(i.installer == "kubespray" for i in c.installers),
        "no kubespray inventory (an Ansible inventory with kubespray's groups, such as kube_control_plane)",
        kinds=("ansible-inventory",),
    ),
    "talos": Input(
        lambda c: any(i.installer == "talos" for i in c.installers),
        "no Talos configuration (talhelper's talconfig.yaml or a Talos machine config)",
        kinds=("talos",),
    ),
    # --- keepalived (KPxxx), KA106 ---
    "keepalived": Input(_has_kind(Kind.KEEPALIVED), "no keepalived configuration", kinds=("keepalived",)),
    "keepalived-vrrp": Input(lambda c: bool(c.vrrps), "no keepalived vrrp_instance", kinds=("keepalived",)),
    "control-plane-endpoint": Input(
        lambda c: bool(c.endpoints), "no controlPlaneEndpoint in a ClusterConfiguration"
    ),
    "lb-address": Input(
        lambda c: bool(c.vips) or c.lb_vip is not None or c.lb_dns is not None,
        "no load-balancer address known (keepalived VIP or inventory loadBalancer)",
    ),
    "api-port-source": Input(
        lambda c: _has_kind(Kind.HAPROXY)(c) or any(e.port is not None for e in c.endpoints),
        "no port clients use for the API (HAProxy frontend or controlPlaneEndpoint port)",
    ),
}


def unread(inputs: Iterable[str], kinds: Collection[str]) -> str | None:
    """Why a rule cannot fire anywhere in a run that read files of ``kinds`` only; None when it may."""
    for name in inputs:
        need = INPUTS[name].kinds
        if need and not any(k in kinds for k in need):
            return f"no {' or '.join(need)} input"
    return None


def unmet(cluster: Cluster, inputs: Iterable[str]) -> str | None:
    """The first of ``inputs`` this cluster lacks, as --explain-skips words it; None when all are met."""
    for name in inputs:
        check, why, _ = INPUTS[name]
        if not check(cluster):
            return why
    return None
