"""Ansible inventories (INI or YAML) as kublint reads them: groups, host ranges, variables from the inventory
and from group_vars/ and host_vars/, and the node facts they give."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import kublint.net as net
from kublint.model import kubespray
from kublint.model.facts import NodeFact
from kublint.model.files import ParsedFile
from kublint.model.inventory import ADDRESS_VARS, InventoryFacts, role_groups
from kublint.model.types import CONTROL_PLANE, ETCD, InstallerFacts, Sourced
from kublint.parsers.ini import IniInventory
from kublint.parsers.yaml import YamlDocument
from kublint.placeholders import has_jinja_opener
from kublint.source import Span
from kublint.text import is_digits

# --- Ansible inventories ------------------------------------------------------------------------------------
#
# Variables come from the inventory itself ([group:vars], a YAML group's vars:, a host line's key=value) and
# from group_vars/<group>[.yml|/*.yml] and host_vars/<host>[.yml|/*.yml] beside it. Precedence, lowest first,
# as Ansible's: inventory group vars (all, then deeper groups) < group_vars/all < group_vars/<group> (by
# depth) < inventory host vars < host_vars/<host>.

K3S_CLUSTER_GROUP = "k3s_cluster"  # kublint.model.k3s_ansible.CLUSTER_GROUP, without importing it
ZONE_LABELS = ("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone")
_LEVEL_INV_GROUP, _LEVEL_FILE_ALL, _LEVEL_FILE_GROUP, _LEVEL_INV_HOST, _LEVEL_FILE_HOST = range(5)


_GROUP_KEYS = frozenset({"hosts", "children", "vars"})


def is_ansible_yaml(data: dict[object, object]) -> bool:
    """An Ansible YAML inventory: ``all:`` with hosts or children, or (``all`` left implicit, as
    k3s-ansible's sample writes it) top-level groups that are nothing but ``hosts``, ``children`` and
    ``vars``, one of them with hosts or children."""
    top = data.get("all")
    if isinstance(top, dict) and ("children" in top or "hosts" in top):
        return True
    if not data or "apiVersion" in data or "kind" in data:
        return False
    found = False
    for v in data.values():
        if v is None:
            continue
        if not isinstance(v, dict) or not v or not set(v) <= _GROUP_KEYS:
            return False
        found = found or "hosts" in v or "children" in v
    return found


class Var(NamedTuple):
    value: Any
    span: Span
    rank: tuple[int, int, int]  # (level, group depth, order of appearance)
    doc: YamlDocument | None = None  # for the spans of nested values
    path: tuple[str | int, ...] = ()

    def loc(self, *sub: str | int) -> Span:
        if self.doc is None:
            return self.span
        return self.doc.loc(*self.path, *sub)

    def key_loc(self) -> Span:
        """The variable's name (its value's span in an INI inventory, where name and value share a line)."""
        if self.doc is None or not self.path:
            return self.span
        return self.doc.loc(*self.path, key=True)


class Host:
    __slots__ = ("groups", "listed", "name", "span", "vars")

    def __init__(self, name: str, span: Span) -> None:
        self.name = name
        self.span = span
        self.groups: set[str] = set()
        self.listed: dict[str, Span] = {}  # group -> where the host is listed in it
        self.vars: dict[str, Var] = {}

    def join(self, group: str, span: Span) -> None:
        self.groups.add(group)
        self.listed.setdefault(group, span)

    def set(self, name: str, var: Var) -> None:
        old = self.vars.get(name)
        if old is None or var.rank >= old.rank:
            self.vars[name] = var


class Ansible:
    """What an Ansible inventory says, whatever its syntax."""

    __slots__ = ("children", "group_spans", "group_vars", "hosts", "order")

    hosts: dict[str, Host]
    children: dict[str, set[str]]
    group_vars: dict[str, list[tuple[str, Var]]]  # group -> (name, value) as the inventory file sets them
    group_spans: dict[str, Span]
    order: int

    def __init__(
        self,
        hosts: dict[str, Host],
        children: dict[str, set[str]],
        group_vars: dict[str, list[tuple[str, Var]]],
        group_spans: dict[str, Span],
        order: int = 0,
    ) -> None:
        self.hosts = hosts
        self.children = children
        self.group_vars = group_vars
        self.group_spans = group_spans
        self.order = order

    def next(self) -> int:
        self.order += 1
        return self.order


_RANGE = re.compile(r"\[([0-9]{1,6}|[a-zA-Z]):([0-9]{1,6}|[a-zA-Z])(?::([0-9]{1,6}))?\]")
MAX_EXPANDED = 10_000


def expand_hosts(pattern: str) -> list[str]:
    """Ansible host ranges: ``www[01:50].example.com`` (leading zeros kept), ``db-[a:f]``, ``n[1:9:2]``."""
    m = _RANGE.search(pattern)
    if m is None:
        return [pattern]
    start, end, stride = m.group(1), m.group(2), int(m.group(3) or 1)
    if is_digits(start) != is_digits(end) or stride < 1:
        return [pattern]
    if is_digits(start):
        width = len(start) if start.startswith("0") and len(start) > 1 else 0
        items = [str(i).zfill(width) for i in range(int(start), int(end) + 1, stride)]
    else:
        items = [chr(c) for c in range(ord(start), ord(end) + 1, stride)]
    out: list[str] = []
    for item in items[:MAX_EXPANDED]:
        out.extend(expand_hosts(pattern[: m.start()] + item + pattern[m.end():]))
        if len(out) >= MAX_EXPANDED:
            break
    return out[:MAX_EXPANDED] or [pattern]


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _depths(groups: Iterable[str], children: Mapping[str, set[str]]) -> dict[str, int]:
    """A group's depth below ``all`` (Ansible's order for group variables): the longest chain of parents."""
    parents: dict[str, set[str]] = {}
    for parent, kids in children.items():
        for k in kids:
            parents.setdefault(k, set()).add(parent)
    memo: dict[str, int] = {"all": 0}

    def depth(g: str, seen: frozenset[str]) -> int:
        if g in memo:
            return memo[g]
        ps = [p for p in parents.get(g, ()) if p not in seen]
        d = 1 + max((depth(p, seen | {g}) for p in ps), default=0)
        memo[g] = d
        return d

    for g in groups:
        depth(g, frozenset())
    return memo


def _members(group: str, inv: Ansible) -> set[str]:
    if group == "all":
        return set(inv.hosts)
    out: set[str] = set()
    seen: set[str] = set()
    stack = [group]
    while stack:
        g = stack.pop()
        if g in seen:
            continue
        seen.add(g)
        out |= {h for h, host in inv.hosts.items() if g in host.groups}
        stack.extend(inv.children.get(g, ()))
    return out


def _vars_file_target(f: ParsedFile) -> tuple[str, str] | None:
    """``("group_vars" | "host_vars", name)`` of a file in Ansible's variable directories."""
    parts = f.source.abspath.parts
    for marker in ("group_vars", "host_vars"):
        if marker in parts:
            rest = parts[parts.index(marker) + 1:]
            if not rest:
                return None
            name = rest[0]
            if len(rest) == 1:
                for suffix in (".yml", ".yaml", ".json"):
                    if name.endswith(suffix):
                        name = name[: -len(suffix)]
                        break
            return marker, name
    return None


def _apply_vars(inv: Ansible, vars_files: list[ParsedFile] | None) -> None:
    depths = _depths({*inv.children, *inv.group_vars, *(g for h in inv.hosts.values() for g in h.groups)},
                     inv.children)
    # the inventory file's group variables
    for group, entries in inv.group_vars.items():
        members = _members(group, inv)
        for name, var in entries:
            ranked = Var(var.value, var.span, (_LEVEL_INV_GROUP, depths.get(group, 1), var.rank[2]), var.doc,
                          var.path)
            for h in members:
                inv.hosts[h].set(name, ranked)
    # group_vars/ and host_vars/ files
    for f in sorted(vars_files or [], key=lambda f: f.path):
        target = _vars_file_target(f)
        if target is None:
            continue
        marker, name = target
        if marker == "host_vars":
            members = {name} if name in inv.hosts else set()
            level, depth = _LEVEL_FILE_HOST, 0
        elif name == "all":
            members, level, depth = set(inv.hosts), _LEVEL_FILE_ALL, 0
        else:
            members, level, depth = _members(name, inv), _LEVEL_FILE_GROUP, depths.get(name, 1)
        if not members:
            continue
        for doc in f.documents:
            if not isinstance(doc.data, dict):
                continue
            for key in doc.data:
                if not isinstance(key, str):
                    continue
                var = Var(doc.data[key], doc.loc(key), (level, depth, inv.next()), doc, (key,))
                for h in members:
                    inv.hosts[h].set(key, var)


def _zone(host: Host) -> Sourced[str] | None:
    labels = host.vars.get("node_labels")
    if labels is None:
        return None
    value = labels.value
    if isinstance(value, str) and value.strip().startswith("{"):
        import json

        try:
            value = json.loads(value)
        except ValueError:
            return None
        for label in ZONE_LABELS:
            z = value.get(label) if isinstance(value, dict) else None
            if _plain(z) and str(z).strip():
                return Sourced(str(z).strip(), labels.span)
        return None
    if isinstance(value, dict):
        for label in ZONE_LABELS:
            z = value.get(label)
            if _plain(z) and str(z).strip() and not has_jinja_opener(str(z)):
                return Sourced(str(z).strip(), labels.loc(label))
    return None


def _addresses(host: Host) -> list[Sourced[str]]:
    out: list[Sourced[str]] = []
    for name in ADDRESS_VARS:
        var = host.vars.get(name)
        if var is None or not _plain(var.value):
            continue
        text = str(var.value).strip()
        if text and not has_jinja_opener(text):
            out.append(Sourced(text, var.span))
    if not out and net.ip(host.name) is not None:  # with no address set, Ansible connects to the name
        out.append(Sourced(host.name, host.span))
    return out


def _roles_from_groups(inv: Ansible, group_names: dict[str, set[str]]) -> dict[str, set[str]]:
    roles: dict[str, set[str]] = {h: set() for h in inv.hosts}
    for role, names in group_names.items():
        for g in names:
            if g == "all":
                continue
            for h in _members(g, inv):
                roles[h].add(role)
    return roles


def _kubespray_groups(inv: Ansible) -> None:
    """The groups kubespray's playbooks add before any role runs (``playbooks/boilerplate.yml``): the legacy
    names' hosts join the new groups, and ``k8s_cluster`` is every control-plane, worker and calico_rr host.
    Their group_vars apply to those hosts."""
    for host in inv.hosts.values():
        for g in list(host.groups):
            for legacy in (g, *(p for p in _ancestors(g, inv))):
                new = kubespray.LEGACY_GROUPS.get(legacy)
                if new is not None and new not in host.groups:
                    host.groups.add(new)
    for host in inv.hosts.values():
        if host.groups & set(kubespray.CLUSTER_GROUPS) or any(
            p in kubespray.CLUSTER_GROUPS for g in host.groups for p in _ancestors(g, inv)
        ):
            host.groups.add("k8s_cluster")


def _ancestors(group: str, inv: Ansible) -> set[str]:
    out: set[str] = set()
    stack = [group]
    while stack:
        g = stack.pop()
        for parent, kids in inv.children.items():
            if g in kids and parent not in out:
                out.add(parent)
                stack.append(parent)
    return out


def _facts(inv: Ansible, span: Span, extra_groups: Mapping[str, list[str]] | None,
           vars_files: list[ParsedFile] | None) -> InventoryFacts:
    is_kubespray = bool(kubespray.GROUPS & {*inv.group_spans, *inv.children})
    if is_kubespray:
        _kubespray_groups(inv)
    _apply_vars(inv, vars_files)
    groups = role_groups(extra_groups)
    roles = _roles_from_groups(inv, groups)
    member_list = None
    for g in (*sorted(groups[ETCD]), *sorted(groups[CONTROL_PLANE])):
        if g in inv.group_spans:
            member_list = inv.group_spans[g]
            break
    installer, dns, vip = None, None, None
    if is_kubespray:
        installer, dns, vip = _kubespray(inv, span, roles, groups[CONTROL_PLANE])
    elif inv.children.get(K3S_CLUSTER_GROUP):  # k3s-ansible's layout
        k3s = _k3s_ansible(inv)
        if k3s is not None:
            by_name = {n.name.value: n for n in k3s.nodes if n.name is not None}
            for name in roles:
                if name in by_name:
                    roles[name] = set(by_name[name].roles)
            member_list = k3s.member_list or member_list
            installer = k3s.installer
            nodes = [
                NodeFact(Sourced(h.name, h.span), _addresses(h), roles[h.name], h.span,
                         by_name[h.name].label if h.name in by_name else "inventory host", zone=_zone(h),
                         from_inventory=True)
                for h in inv.hosts.values()
            ]
            return InventoryFacts(nodes=nodes, span=span, member_list=member_list, installer=installer,
                                  backups_span=k3s.backups_span)
    nodes = [
        NodeFact(Sourced(h.name, h.span), _addresses(h), roles[h.name], h.span, "inventory host",
                 zone=_zone(h), from_inventory=True)
        for h in inv.hosts.values()
    ]
    return InventoryFacts(nodes=nodes, span=span, member_list=member_list, lb_dns=dns, lb_vip=vip,
                          installer=installer)


def _k3s_ansible(inv: Ansible) -> InventoryFacts | None:
    """A k3s-ansible inventory: each group's hosts in the order they are listed in it."""
    from kublint.model import k3s_ansible

    order = {name: i for i, name in enumerate(inv.hosts)}
    members: dict[str, list[str]] = {}
    for g in {*inv.group_spans, *inv.children}:
        names = _members(g, inv)
        hosts = [inv.hosts[n] for n in names if n in inv.hosts]
        hosts.sort(key=lambda h: (h.listed[g].start.line, h.listed[g].start.col, order[h.name])
                   if g in h.listed else (1 << 30, 0, order[h.name]))
        members[g] = [h.name for h in hosts]
    return k3s_ansible.extract(inv.hosts, members)


def _kubespray(
    inv: Ansible, span: Span, roles: dict[str, set[str]], cp_groups: set[str]
) -> tuple[InstallerFacts, Sourced[str] | None, Sourced[str] | None]:
    """A kubespray inventory: etcd runs on the ``etcd`` group, or on the control plane when there is none;
    the first control-plane host (by where it is listed) is where kubeadm init runs."""
    if not any(ETCD in r for r in roles.values()):
        for r in roles.values():
            if CONTROL_PLANE in r:
                r.add(ETCD)
    order = {name: i for i, name in enumerate(inv.hosts)}

    def listed(h: Host) -> tuple[int, int, int]:
        spans = [s for g, s in h.listed.items() if g in cp_groups]
        first = min(spans, key=lambda s: (s.start.line, s.start.col), default=None)
        return (0, first.start.line, first.start.col) if first else (1, order[h.name], 0)

    cp = sorted((h for h in inv.hosts.values() if CONTROL_PLANE in roles[h.name]), key=listed)
    cp_list = next((inv.group_spans[g] for g in sorted(cp_groups) if g in inv.group_spans), None)
    etcd_list = inv.group_spans.get("etcd")
    ks = kubespray.Kubespray(inv.hosts, tuple(cp), span, cp_list, etcd_list)
    return (kubespray.facts(ks), *kubespray.load_balancer(ks))


def ansible_ini(inv: IniInventory, span: Span, extra_groups: Mapping[str, list[str]] | None,
                vars_files: list[ParsedFile] | None = None) -> InventoryFacts:
    a = Ansible({}, {}, {}, {})
    for group in inv.groups.values():
        a.children[group.name] = {c for c, _ in group.children}
        a.group_spans[group.name] = group.span
        for h in group.hosts:
            for name in expand_hosts(h.name):
                host = a.hosts.get(name)
                if host is None:
                    host = a.hosts[name] = Host(name, h.span)
                host.join(group.name, h.span)
                for var, (value, vspan) in h.vars.items():
                    host.set(var, Var(value, vspan, (_LEVEL_INV_HOST, 0, a.next())))
        for var, (value, vspan) in group.vars.items():
            a.group_vars.setdefault(group.name, []).append((var, Var(value, vspan, (0, 0, a.next()))))
    return _facts(a, span, extra_groups, vars_files)


def ansible_yaml(doc: YamlDocument, extra_groups: Mapping[str, list[str]] | None,
                 vars_files: list[ParsedFile] | None = None) -> InventoryFacts:
    a = Ansible({}, {}, {}, {})

    def walk(group: str, path: tuple[str | int, ...], depth: int) -> None:
        if depth > 50:
            return
        body = doc.get(*path)
        if not isinstance(body, dict):
            return
        a.group_spans.setdefault(group, doc.loc(*path, key=True))
        raw_hosts = body.get("hosts")
        if isinstance(raw_hosts, dict):
            for key, hvars in raw_hosts.items():
                for hname in expand_hosts(str(key)):
                    host = a.hosts.get(hname)
                    if host is None:
                        host = a.hosts[hname] = Host(hname, doc.loc(*path, "hosts", key, key=True))
                    host.join(group, doc.loc(*path, "hosts", key, key=True))
                    if isinstance(hvars, dict):
                        for var, value in hvars.items():
                            if isinstance(var, str):
                                vpath = (*path, "hosts", key, var)
                                rank = (_LEVEL_INV_HOST, 0, a.next())
                                host.set(var, Var(value, doc.loc(*vpath), rank, doc, vpath))
        raw_vars = body.get("vars")
        if isinstance(raw_vars, dict):
            for var, value in raw_vars.items():
                if isinstance(var, str):
                    vpath = (*path, "vars", var)
                    a.group_vars.setdefault(group, []).append(
                        (var, Var(value, doc.loc(*vpath), (0, 0, a.next()), doc, vpath)))
        raw_children = body.get("children")
        if isinstance(raw_children, dict):
            for child in raw_children:
                a.children.setdefault(group, set()).add(str(child))
                walk(str(child), (*path, "children", child), depth + 1)

    if "all" in doc.data:
        walk("all", ("all",), 0)
        return _facts(a, doc.loc("all", key=True), extra_groups, vars_files)
    for group in doc.data:  # ``all`` left implicit: every top-level group is a child of it
        if isinstance(group, str):
            a.children.setdefault("all", set()).add(group)
            walk(group, (group,), 1)
    first = next(iter(doc.data))
    return _facts(a, doc.loc(first, key=True), extra_groups, vars_files)
