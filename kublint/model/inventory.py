"""Node facts from inventories: kublint's own, and Ansible's in YAML or INI (Kubespray group names as roles)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kublint.model.cluster import CONTROL_PLANE, ETCD, LB, WORKER, Disk, Hardware, Latency, Sourced
from kublint.model.facts import NodeFact
from kublint.model.files import ParsedFile
from kublint.parsers.ini import IniInventory
from kublint.parsers.yaml import YamlDocument
from kublint.source import Span

DEFAULT_GROUPS: dict[str, tuple[str, ...]] = {
    CONTROL_PLANE: ("kube_control_plane", "kube-master", "kube_master", "masters", "control_plane", "control-plane"),
    ETCD: ("etcd",),
    WORKER: ("kube_node", "kube-node", "workers"),
    LB: ("lb", "loadbalancer", "loadbalancers"),
}
ADDRESS_VARS = ("ip", "access_ip", "ansible_host")
ROLES = (CONTROL_PLANE, ETCD, WORKER, LB)


@dataclass(frozen=True, slots=True)
class InventoryFacts:
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


def _num(doc: YamlDocument, *path: str | int) -> Sourced[float] | None:
    v = doc.get(*path)
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return Sourced(float(v), doc.loc(*path))


def _s(doc: YamlDocument, *path: str | int) -> Sourced[str] | None:
    v = doc.get(*path)
    if isinstance(v, str | int | float) and not isinstance(v, bool) and str(v).strip():
        return Sourced(str(v).strip(), doc.loc(*path))
    return None


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


class _Host:
    __slots__ = ("addresses", "groups", "name", "span")

    def __init__(self, name: str, span: Span) -> None:
        self.name = name
        self.span = span
        self.addresses: list[Sourced[str]] = []
        self.groups: set[str] = set()


def _roles_from_groups(
    hosts: dict[str, _Host], children: dict[str, set[str]], group_names: dict[str, set[str]]
) -> dict[str, set[str]]:
    def members_of(group: str, seen: set[str]) -> set[str]:
        if group in seen:
            return set()
        seen.add(group)
        out = {h for h, host in hosts.items() if group in host.groups}
        for child in children.get(group, ()):
            out |= members_of(child, seen)
        return out

    roles: dict[str, set[str]] = {h: set() for h in hosts}
    for role, names in group_names.items():
        for g in names:
            for h in members_of(g, set()):
                roles[h].add(role)
    return roles


def ansible_ini(inv: IniInventory, span: Span, extra_groups: Mapping[str, list[str]] | None,
                vars_files: list[ParsedFile] | None = None) -> InventoryFacts:
    hosts: dict[str, _Host] = {}
    children: dict[str, set[str]] = {}
    for group in inv.groups.values():
        children[group.name] = {c for c, _ in group.children}
        for h in group.hosts:
            host = hosts.get(h.name)
            if host is None:
                host = hosts[h.name] = _Host(h.name, h.span)
            host.groups.add(group.name)
            for var in ADDRESS_VARS:
                if var in h.vars:
                    value, vspan = h.vars[var]
                    host.addresses.append(Sourced(value, vspan))
    groups = role_groups(extra_groups)
    roles = _roles_from_groups(hosts, children, groups)
    member_list = None
    for g in (*sorted(groups[ETCD]), *sorted(groups[CONTROL_PLANE])):
        if g in inv.groups:
            member_list = inv.groups[g].span
            break
    nodes = [
        NodeFact(Sourced(h.name, h.span), h.addresses, roles[h.name], h.span, "inventory host", from_inventory=True)
        for h in hosts.values()
    ]
    return InventoryFacts(nodes=nodes, span=span, member_list=member_list)


def ansible_yaml(doc: YamlDocument, extra_groups: Mapping[str, list[str]] | None,
                 vars_files: list[ParsedFile] | None = None) -> InventoryFacts:
    hosts: dict[str, _Host] = {}
    children: dict[str, set[str]] = {}
    group_spans: dict[str, Span] = {}

    def walk(group: str, path: tuple[str | int, ...], depth: int) -> None:
        if depth > 50:
            return
        body = doc.get(*path)
        if not isinstance(body, dict):
            return
        group_spans.setdefault(group, doc.loc(*path, key=True))
        raw_hosts = body.get("hosts")
        if isinstance(raw_hosts, dict):
            for hname, hvars in raw_hosts.items():
                hname = str(hname)
                host = hosts.get(hname)
                if host is None:
                    host = hosts[hname] = _Host(hname, doc.loc(*path, "hosts", hname, key=True))
                host.groups.add(group)
                if isinstance(hvars, dict):
                    for var in ADDRESS_VARS:
                        v = hvars.get(var)
                        if isinstance(v, str) and v.strip():
                            host.addresses.append(Sourced(v.strip(), doc.loc(*path, "hosts", hname, var)))
        raw_children = body.get("children")
        if isinstance(raw_children, dict):
            for child in raw_children:
                children.setdefault(group, set()).add(str(child))
                walk(str(child), (*path, "children", child), depth + 1)

    walk("all", ("all",), 0)
    groups = role_groups(extra_groups)
    roles = _roles_from_groups(hosts, children, groups)
    member_list = None
    for g in (*sorted(groups[ETCD]), *sorted(groups[CONTROL_PLANE])):
        if g in group_spans:
            member_list = group_spans[g]
            break
    nodes = [
        NodeFact(Sourced(h.name, h.span), h.addresses, roles[h.name], h.span, "inventory host", from_inventory=True)
        for h in hosts.values()
    ]
    return InventoryFacts(nodes=nodes, span=doc.loc("all", key=True), member_list=member_list)
