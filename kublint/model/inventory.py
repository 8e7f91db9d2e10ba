"""Node facts from inventories: kublint's own, and Ansible's in YAML or INI (Kubespray groups as roles)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from kublint.model.facts import NodeFact
from kublint.model.files import Kind, ParsedFile
from kublint.model.types import (
    CONTROL_PLANE,
    ETCD,
    LB,
    WORKER,
    Disk,
    Hardware,
    InstallerFacts,
    Latency,
    Sourced,
)
from kublint.parsers.yaml import YamlDocument
from kublint.source import Span

DEFAULT_GROUPS: dict[str, tuple[str, ...]] = {
    CONTROL_PLANE: ("kube_control_plane", "kube-master", "kube_master", "masters", "control_plane",
                    "control-plane"),
    ETCD: ("etcd",),
    WORKER: ("kube_node", "kube-node", "workers"),
    LB: ("lb", "loadbalancer", "loadbalancers"),
}
ADDRESS_VARS = ("ip", "access_ip", "ansible_host", "ansible_ssh_host")  # the last: Ansible < 2.0
ROLES = (CONTROL_PLANE, ETCD, WORKER, LB)


class InventoryFacts(NamedTuple):
    nodes: list[NodeFact]
    span: Span  # the inventory as a whole (its first line of content)
    member_list: Span | None  # where the etcd (or control-plane) hosts are listed
    lb_dns: Sourced[str] | None = None
    lb_vip: Sourced[str] | None = None
    environment: Sourced[str] | None = None
    worker_count: Sourced[int] | None = None
    latency: tuple[Latency, ...] = ()
    backups: Sourced[object] | None = None  # backups.etcd
    backups_span: Span | None = None
    installer: InstallerFacts | None = None  # what kubespray will deploy, for its inventories


def _num(doc: YamlDocument, *path: str | int) -> Sourced[float] | None:
    """A finite number (YAML int or float); .inf, .nan and integers beyond a float are not numbers here."""
    v = doc.get(*path)
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    try:
        f = float(v)
    except OverflowError:
        return None
    return Sourced(f, doc.loc(*path)) if math.isfinite(f) else None


def _s(doc: YamlDocument, *path: str | int) -> Sourced[str] | None:
    v = doc.get(*path)
    if isinstance(v, str | int | float) and not isinstance(v, bool) and str(v).strip():
        return Sourced(str(v).strip(), doc.loc(*path))
    return None


@lru_cache(maxsize=16)  # the builder and several rules read the same document; once is enough
def native(doc: YamlDocument) -> InventoryFacts:
    nodes: list[NodeFact] = []
    raw_nodes = doc.get("nodes")
    for i, raw in enumerate(raw_nodes if isinstance(raw_nodes, list) else []):
        if not isinstance(raw, dict):
            continue
        name = _s(doc, "nodes", i, "name")
        addrs = [a for a in (_s(doc, "nodes", i, "address"),) if a]
        roles_raw = raw.get("roles")
        roles = {r for r in roles_raw if isinstance(r, str)} if isinstance(roles_raw, list) else set()
        nodes.append(
            NodeFact(
                name, addrs, roles & set(ROLES), doc.loc("nodes", i), "inventory node",
                zone=_s(doc, "nodes", i, "zone"), hardware=_hardware(doc, i), from_inventory=True,
                network=_s(doc, "nodes", i, "network"),
            )
        )
    latency: list[Latency] = []
    raw_lat = doc.get("latency")
    for i, entry in enumerate(raw_lat if isinstance(raw_lat, list) else []):
        if not isinstance(entry, dict):
            continue
        a, b, rtt = _s(doc, "latency", i, "a"), _s(doc, "latency", i, "b"), _num(doc, "latency", i, "rttMs")
        if a and b and rtt:
            latency.append(Latency(a, b, rtt, doc.loc("latency", i)))
    wc = _num(doc, "cluster", "workerCount")
    etcd_backup = doc.get("backups", "etcd")
    return InventoryFacts(
        nodes=nodes,
        span=doc.kind_span(),
        member_list=doc.loc("nodes", key=True) if doc.has("nodes") else None,
        lb_dns=_s(doc, "cluster", "loadBalancer", "dns"),
        lb_vip=_s(doc, "cluster", "loadBalancer", "vip"),
        environment=_s(doc, "cluster", "environment"),
        worker_count=Sourced(int(wc.value), wc.span) if wc else None,
        latency=tuple(latency),
        backups=Sourced(etcd_backup, doc.loc("backups", "etcd")) if etcd_backup is not None else None,
        backups_span=doc.loc("backups", key=True) if doc.has("backups") else (
            doc.loc("cluster", key=True) if doc.has("cluster") else None
        ),
    )


def _hardware(doc: YamlDocument, i: int) -> Hardware | None:
    base = ("nodes", i, "hardware")
    if not isinstance(doc.get(*base), dict):
        return None
    mem = _num(doc, *base, "memoryMiB")
    gib = _num(doc, *base, "memoryGiB")
    if gib is not None:
        mem = Sourced(gib.value * 1024, gib.span)
    disks: list[Disk] = []
    raw_disks = doc.get(*base, "disks")
    for j, d in enumerate(raw_disks if isinstance(raw_disks, list) else []):
        if isinstance(d, dict):
            disks.append(Disk(_s(doc, *base, "disks", j, "mount"), _s(doc, *base, "disks", j, "type"),
                              doc.loc(*base, "disks", j)))
    return Hardware(_num(doc, *base, "cpus"), mem, tuple(disks), doc.loc(*base))


def role_groups(extra: Mapping[str, list[str]] | None) -> dict[str, set[str]]:
    groups = {role: set(names) for role, names in DEFAULT_GROUPS.items()}
    for role, names in (extra or {}).items():
        groups.setdefault(role, set()).update(names)
    return groups


# --- native inventory documents, for rules that read fields the joined model does not carry -----------------


class NativeNode(NamedTuple):
    """One entry of a native inventory's ``nodes`` list."""

    doc: YamlDocument
    position: int  # in the document's nodes list
    name: str

    def get(self, *path: str | int) -> Any:
        return self.doc.get("nodes", self.position, *path)

    def has(self, *path: str | int) -> bool:
        return self.doc.has("nodes", self.position, *path)

    def loc(self, *path: str | int, key: bool = False) -> Span:
        return self.doc.loc("nodes", self.position, *path, key=key)

    @property
    def span(self) -> Span:
        return self.doc.loc("nodes", self.position)


def native_documents(files: Iterable[ParsedFile]) -> list[YamlDocument]:
    """Every ``kind: Inventory`` document of kublint's own inventories."""
    return [d for f in files if f.kind is Kind.INVENTORY for d in f.documents if d.kind == "Inventory"]


def native_nodes(files: Iterable[ParsedFile]) -> list[NativeNode]:
    return list(_native_nodes(tuple(files)))


@lru_cache(maxsize=16)  # many rules ask for the same cluster's nodes
def _native_nodes(files: tuple[ParsedFile, ...]) -> tuple[NativeNode, ...]:
    out: list[NativeNode] = []
    for doc in native_documents(files):
        raw = doc.get("nodes")
        for i, entry in enumerate(raw if isinstance(raw, list) else []):
            name = entry.get("name") if isinstance(entry, dict) else None
            if isinstance(name, str | int) and str(name).strip():
                out.append(NativeNode(doc, i, str(name).strip()))
    return tuple(out)
