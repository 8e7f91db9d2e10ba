"""What Cluster API's kubeadm control plane will deploy, from the manifests users keep (``clusterctl generate
cluster`` output, or their own templates): a ``KubeadmControlPlane`` and the ``Cluster`` that refers to it.

* ``spec.replicas`` control-plane machines (1 by default), each running a stacked etcd member unless the
  kubeadm configuration names ``etcd.external``; they are nodes of the model, found at the ``replicas`` line;
* ``spec.kubeadmConfigSpec.clusterConfiguration`` is what the machines give ``kubeadm init``: it becomes a
  ClusterConfiguration of the model (an :class:`EmbeddedDocument` whose every value keeps its own span), with
  ``kubernetesVersion`` from ``spec.version`` and ``controlPlaneEndpoint`` from the Cluster's
  ``spec.controlPlaneEndpoint`` (``host:port``), so the kubeadm rules read it as written. A v1beta1 control
  plane's extraArgs are maps, like kubeadm's v1beta3; v1beta2's are ``{name, value}`` lists, like v1beta4;
* ``MachineDeployment`` replicas are the workers;
* clusterctl's variables: ``${VAR:=default}``, ``${VAR:-default}`` and ``${VAR=default}`` take the default
  (``clusterctl generate`` does, when the variable is not set); any other ``${VAR}`` is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from kublint.model.embedded import EmbeddedDocument
from kublint.model.facts import NodeFact
from kublint.model.files import ParsedFile
from kublint.model.inventory import InventoryFacts
from kublint.model.types import CONTROL_PLANE, ETCD, Hardware, InstallerFacts, Sourced
from kublint.model.values import as_int
from kublint.parsers.yaml import NodeLoc, PathKey, RawLoc, YamlDocument
from kublint.source import Span

CAPI = "cluster-api"
CONTROL_PLANE_GROUP = "controlplane.cluster.x-k8s.io/"
CLUSTER_GROUP = "cluster.x-k8s.io/"
CONFIG = ("spec", "kubeadmConfigSpec", "clusterConfiguration")
MAX_REPLICAS = 10_000
_DEFAULTED = re.compile(r"^\$\{\s*[A-Za-z_][A-Za-z0-9_]*\s*:?[=-]([^}]*)\}$")


def is_control_plane(doc: YamlDocument) -> bool:
    return doc.api_version.startswith(CONTROL_PLANE_GROUP) and doc.kind == "KubeadmControlPlane"


def is_capi(doc: YamlDocument) -> bool:
    return is_control_plane(doc) or (
        doc.api_version.startswith(CLUSTER_GROUP) and doc.kind in ("Cluster", "MachineDeployment")
    )


def substitute(value: object) -> object:
    """clusterctl's defaulted variables take their default; other values stay as written."""
    if isinstance(value, str):
        m = _DEFAULTED.match(value.strip())
        return m.group(1) if m else value
    if isinstance(value, dict):
        return {k: substitute(v) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v) for v in value]
    return value


def _count(doc: YamlDocument, *path: str) -> int | None:
    raw = substitute(doc.get(*path))
    n = as_int(raw)
    return n if n is not None and 0 <= n <= MAX_REPLICAS else None


def _at(doc: YamlDocument, *path: str | int) -> NodeLoc:
    return NodeLoc(doc.loc(*path, key=True), doc.loc(*path))


def _name(doc: YamlDocument) -> str:
    name = doc.get("metadata", "name")
    return str(name) if isinstance(name, str | int) and str(name).strip() else f"{doc.kind}#{doc.index}"


def _cluster_for(kcp: YamlDocument, clusters: list[YamlDocument]) -> YamlDocument | None:
    """The Cluster whose ``controlPlaneRef`` names this control plane, else the only Cluster."""
    name = _name(kcp)
    for c in clusters:
        if c.get("spec", "controlPlaneRef", "name") == name:
            return c
    return clusters[0] if len(clusters) == 1 else None


def _endpoint(cluster: YamlDocument | None) -> tuple[str, NodeLoc] | None:
    if cluster is None:
        return None
    host = substitute(cluster.get("spec", "controlPlaneEndpoint", "host"))
    if not isinstance(host, str) or not host.strip():
        return None
    port = as_int(substitute(cluster.get("spec", "controlPlaneEndpoint", "port")))
    text = f"[{host}]" if ":" in host and not host.startswith("[") else host.strip()
    return (f"{text}:{port}" if port else text), _at(cluster, "spec", "controlPlaneEndpoint", "host")


def cluster_configuration(kcp: YamlDocument, cluster: YamlDocument | None) -> EmbeddedDocument:
    """The ClusterConfiguration a KubeadmControlPlane gives ``kubeadm init``, at the spans it is written."""
    body = substitute(kcp.get(*CONFIG))
    data: dict[str, Any] = dict(body) if isinstance(body, dict) else {}
    v1beta1 = kcp.api_version.endswith("/v1beta1")
    data["apiVersion"] = "kubeadm.k8s.io/v1beta3" if v1beta1 else "kubeadm.k8s.io/v1beta4"
    data["kind"] = "ClusterConfiguration"
    n = len(CONFIG)
    raw: dict[PathKey, RawLoc] = {p[n:]: loc for p, loc in kcp.locs.items() if p[:n] == CONFIG}
    raw[()] = _at(kcp, *CONFIG) if kcp.has(*CONFIG) else NodeLoc(None, kcp.kind_span())
    raw[("apiVersion",)] = raw[("kind",)] = _at(kcp, "kind")
    version = substitute(kcp.get("spec", "version"))
    if isinstance(version, str) and version.strip():
        data["kubernetesVersion"] = version.strip()
        raw[("kubernetesVersion",)] = _at(kcp, "spec", "version")
    endpoint = _endpoint(cluster)
    if endpoint is not None and "controlPlaneEndpoint" not in data:
        data["controlPlaneEndpoint"], raw[("controlPlaneEndpoint",)] = endpoint
    return EmbeddedDocument(kcp.source, kcp.index, data, raw, "Cluster API KubeadmControlPlane")


def _number(doc: YamlDocument, *path: str) -> Sourced[float] | None:
    n = as_int(substitute(doc.get(*path)))
    return Sourced(float(n), doc.loc(*path)) if n is not None and n > 0 else None


def hardware(kcp: YamlDocument, every: Iterable[YamlDocument]) -> Hardware | None:
    """The size of the control-plane machines, from the machine template the control plane refers to:
    vSphere's ``numCPUs``/``memoryMiB``, Proxmox's ``numSockets`` x ``numCores``/``memoryMiB``."""
    ref = kcp.get("spec", "machineTemplate", "infrastructureRef")  # v1beta1
    if not isinstance(ref, dict):
        ref = kcp.get("spec", "machineTemplate", "spec", "infrastructureRef")  # v1beta2
    if not isinstance(ref, dict):
        return None
    spec = ("spec", "template", "spec")
    for d in every:
        if d.kind != ref.get("kind") or d.get("metadata", "name") != ref.get("name"):
            continue
        if d.kind == "VSphereMachineTemplate":
            cpus = _number(d, *spec, "numCPUs")
        elif d.kind == "ProxmoxMachineTemplate":
            cores = _number(d, *spec, "numCores")
            sockets = _number(d, *spec, "numSockets")
            cpus = Sourced(cores.value * (sockets.value if sockets else 1), cores.span) if cores else None
        else:
            return None
        memory = _number(d, *spec, "memoryMiB")
        if cpus is None and memory is None:
            return None
        return Hardware(cpus, memory, (), d.loc(*spec) if d.has(*spec) else d.kind_span())
    return None


def _machines(
    kcp: YamlDocument, config: EmbeddedDocument, size: Hardware | None
) -> tuple[list[NodeFact], Span]:
    """One node per replica, at the ``replicas`` line (the machines have no names before they exist)."""
    where = kcp.loc("spec", "replicas") if kcp.has("spec", "replicas") else kcp.kind_span()
    count = _count(kcp, "spec", "replicas") if kcp.has("spec", "replicas") else 1
    if count is None:
        return [], where
    roles = {CONTROL_PLANE} if config.has("etcd", "external") else {CONTROL_PLANE, ETCD}
    name = _name(kcp)
    nodes = [
        NodeFact(Sourced(f"{name}-{i + 1}", where), [], set(roles), where, "KubeadmControlPlane machine",
                 hardware=size, from_inventory=True)
        for i in range(count)
    ]
    return nodes, where


def _workers(docs: Iterable[YamlDocument]) -> Sourced[int] | None:
    total, where = 0, None
    for d in docs:
        if d.api_version.startswith(CLUSTER_GROUP) and d.kind == "MachineDeployment":
            n = _count(d, "spec", "replicas") if d.has("spec", "replicas") else 1
            if n is not None:
                total += n
                where = where or (d.loc("spec", "replicas") if d.has("spec", "replicas") else d.kind_span())
    return Sourced(total, where) if where is not None else None


def extract(f: ParsedFile, files: Iterable[ParsedFile]) -> tuple[list[YamlDocument], list[InventoryFacts]]:
    """The embedded ClusterConfigurations and the control-plane machines of one file's control planes."""
    every = [d for g in files for d in g.documents if isinstance(d.data, dict)]
    clusters = [d for d in every if d.api_version.startswith(CLUSTER_GROUP) and d.kind == "Cluster"]
    configs: list[YamlDocument] = []
    inventories: list[InventoryFacts] = []
    workers = _workers(f.documents)
    for kcp in (d for d in f.documents if is_control_plane(d) and isinstance(d.get("spec"), dict)):
        config = cluster_configuration(kcp, _cluster_for(kcp, clusters))
        configs.append(config)
        nodes, where = _machines(kcp, config, hardware(kcp, every))
        inventories.append(InventoryFacts(
            nodes=nodes, span=kcp.kind_span(), member_list=where, worker_count=workers,
            installer=InstallerFacts(CAPI),
        ))
        workers = None  # counted once per file
    return configs, inventories
