"""Joining etcd facts: each member's settings (config files, env files, static Pods, kubeadm's etcd.local
with the defaults kubeadm adds), whether etcd is stacked on the control plane, the members and where their
list is written, the timing settings and the data directories."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import kublint.net as net
from kublint.findings import Related
from kublint.model import etcd as etcd_view
from kublint.model.inventory import InventoryFacts
from kublint.model.staticpod import StaticPod
from kublint.model.types import CONTROL_PLANE, ETCD, EtcdMember, EtcdTiming, Flag, Node, Sourced
from kublint.model.values import as_int
from kublint.parsers.yaml import YamlDocument
from kublint.placeholders import has_placeholder
from kublint.source import Span


class _MemberAcc:
    __slots__ = ("evidence", "hosts", "names", "span")

    names: set[str]
    hosts: set[str]
    span: Span | None
    evidence: list[Related]

    def __init__(
        self,
        names: set[str] | None = None,
        hosts: set[str] | None = None,
        span: Span | None = None,
        evidence: list[Related] | None = None,
    ) -> None:
        self.names = set() if names is None else names
        self.hosts = set() if hosts is None else hosts
        self.span = span
        self.evidence = [] if evidence is None else evidence


def _add_member(
    members: list[_MemberAcc], name: str | None, host: str | None, span: Span, label: str
) -> None:
    if (name is not None and has_placeholder(name)) or (host is not None and has_placeholder(host)):
        return  # an unrendered template names no member (SY007 reports it)
    h = net.normalise_host(host) if host else None
    for m in members:
        if (name and name in m.names) or (h and h in m.hosts):
            break
    else:
        m = _MemberAcc()
        members.append(m)
    if name:
        m.names.add(name)
    if h:
        m.hosts.add(h)
    m.span = m.span or span
    m.evidence.append(Related(span, label))


def _initial_cluster(raw: str) -> list[tuple[str, str | None]]:
    out = []
    for entry in raw.split(","):
        name, sep, url = entry.strip().partition("=")
        if sep and name.strip():
            hp = net.url_host_port(url.strip())
            out.append((name.strip(), hp.host if hp else None))
    return out


def _node_for(nodes: list[Node], names: set[str], hosts: set[str]) -> Node | None:
    for n in nodes:
        if n.name in names or any(net.normalise_host(a.value) in hosts for a in n.addresses):
            return n
    return None


def _etcd_timings(configs: list[etcd_view.EtcdConfig]) -> list[EtcdTiming]:
    out = []
    for c in configs:
        hb, el = c.get("heartbeat-interval"), c.get("election-timeout")
        hbv = as_int(hb.value) if hb else None
        elv = as_int(el.value) if el else None
        if hbv is None and elv is None and c.origin == "kubeadm etcd.local":
            continue
        out.append(
            EtcdTiming(
                Sourced(hbv, hb.span) if hb and hbv is not None else None,
                Sourced(elv, el.span) if el and elv is not None else None,
                c.origin,
                c.span,
            )
        )
    return out


class EtcdFacts(NamedTuple):
    configs: tuple[etcd_view.EtcdConfig, ...]
    stacked: bool
    members: tuple[EtcdMember, ...]
    member_list: Span | None
    timings: tuple[EtcdTiming, ...]
    data_dirs: tuple[Sourced[str], ...]


def _local_config(d: YamlDocument, flags: Sequence[Flag]) -> etcd_view.EtcdConfig:
    where = d.loc("etcd", "local", key=True) if d.has("etcd", "local") else d.kind_span()
    own = [
        f
        for f in flags
        if f.component == "etcd" and f.span.path == d.source.path and f.origin.startswith("etcd.local")
    ]
    return etcd_view.from_flags("kubeadm etcd.local", where, own, d, etcd_view.KUBEADM_DEFAULTS, where)


def _configs(
    etcd_docs: Sequence[YamlDocument],
    env: Sequence[etcd_view.EtcdConfig],
    pods: Sequence[StaticPod],
    cluster_configs: Sequence[YamlDocument],
    flags: Sequence[Flag],
) -> list[etcd_view.EtcdConfig]:
    """Config files, env files, etcd static Pods, then kubeadm's etcd.local of each ClusterConfiguration that
    does not use an external etcd."""
    out = [etcd_view.from_config_file(d) for d in etcd_docs] + list(env)
    out += [
        etcd_view.from_flags(
            "etcd static Pod", p.document.span, [f for f in p.flags if f.component == "etcd"], p.document
        )
        for p in pods
        if p.component == "etcd"
    ]
    out += [_local_config(d, flags) for d in cluster_configs if d.get("etcd", "external") is None]
    return out


def _is_stacked(
    kubeadm_docs: Sequence[YamlDocument], nodes: Sequence[Node], configs: Sequence[etcd_view.EtcdConfig]
) -> bool:
    external = any(
        d.kind == "ClusterConfiguration" and d.get("etcd", "external") is not None for d in kubeadm_docs
    )
    etcd_only = any(n.has(ETCD) and not n.has(CONTROL_PLANE) for n in nodes)
    has_kubeadm_cp = any(d.kind in ("ClusterConfiguration", "InitConfiguration") for d in kubeadm_docs)
    standalone = any(c.origin in ("etcd config file", "etcd env file") for c in configs)
    return has_kubeadm_cp and not external and not standalone and not etcd_only


def _from_settings(accs: list[_MemberAcc], configs: Sequence[etcd_view.EtcdConfig]) -> Span | None:
    """Members named by etcd's own settings: initial-cluster entries and each member's name and peer URL."""
    member_list: Span | None = None
    for cfg in configs:
        if cfg.origin == "kubeadm etcd.local":
            continue
        ic = cfg.get("initial-cluster")
        for name, host in _initial_cluster(str(ic.value)) if ic else []:
            assert ic is not None
            member_list = member_list or ic.span
            _add_member(accs, name, host, ic.span, "etcd initial-cluster entry")
        own, peer = cfg.get("name"), cfg.get("initial-advertise-peer-urls")
        urls = net.split_urls(str(peer.value)) if peer else []
        hp = net.url_host_port(urls[0]) if urls else None
        own_host = hp.host if hp else None
        if own is not None or own_host:
            where = own.span if own else cfg.span
            _add_member(accs, str(own.value) if own else None, own_host, where, f"etcd member ({cfg.origin})")
    return member_list


def _from_external(accs: list[_MemberAcc], cluster_configs: Sequence[YamlDocument]) -> Span | None:
    member_list: Span | None = None
    for d in cluster_configs:
        eps = d.get("etcd", "external", "endpoints")
        if not isinstance(eps, list):
            continue
        member_list = member_list or d.loc("etcd", "external", "endpoints")
        for k, ep in enumerate(eps):
            hp = net.url_host_port(str(ep)) if isinstance(ep, str) else None
            where = d.loc("etcd", "external", "endpoints", k)
            _add_member(accs, None, hp.host if hp else str(ep), where, "kubeadm external etcd endpoint")
    return member_list


def _from_inventory(accs: list[_MemberAcc], nodes: Sequence[Node]) -> None:
    for n in nodes:
        if not n.has(ETCD):
            continue
        span = next((e.span for e in n.evidence if e.message.startswith("inventory")), n.span)
        _add_member(accs, n.name, n.addresses[0].value if n.addresses else None, span, "inventory etcd node")
        for a in n.addresses[1:]:
            _add_member(accs, n.name, a.value, span, "inventory etcd node")


def _stacked_member_list(kubeadm_docs: Sequence[YamlDocument]) -> Span:
    cp_joins = [d for d in kubeadm_docs if d.kind == "JoinConfiguration" and d.has("controlPlane")]
    if cp_joins:
        return cp_joins[-1].loc("controlPlane", key=True)
    anchors = [d for d in kubeadm_docs if d.kind == "ClusterConfiguration"] or [
        d for d in kubeadm_docs if d.kind == "InitConfiguration"
    ]
    return anchors[0].kind_span()


def _members(accs: Sequence[_MemberAcc], nodes: list[Node]) -> tuple[EtcdMember, ...]:
    out = []
    for m in accs:
        node = _node_for(nodes, m.names, m.hosts)
        name = sorted(m.names)[0] if m.names else sorted(m.hosts)[0] if m.hosts else "?"
        assert m.span is not None
        host = sorted(m.hosts)[0] if m.hosts else None
        out.append(EtcdMember(name, host, m.span, tuple(m.evidence), node.name if node else None))
    return tuple(out)


def _data_dirs(
    configs: Sequence[etcd_view.EtcdConfig], cluster_configs: Sequence[YamlDocument]
) -> list[Sourced[str]]:
    out = [Sourced(str(s.value), s.span) for c in configs if (s := c.get("data-dir")) and not s.implicit]
    for d in cluster_configs:
        if isinstance(d.get("etcd", "local", "dataDir"), str):
            out.append(Sourced(d.get("etcd", "local", "dataDir"), d.loc("etcd", "local", "dataDir")))
    return out


def join_etcd(
    etcd_docs: Sequence[YamlDocument],
    env: Sequence[etcd_view.EtcdConfig],
    pods: Sequence[StaticPod],
    kubeadm_docs: Sequence[YamlDocument],
    flags: Sequence[Flag],
    nodes: Sequence[Node],
    inventories: Sequence[InventoryFacts],
    backend_list: Span | None = None,
) -> EtcdFacts:
    """``backend_list``: the HAProxy API backend whose servers are the control-plane nodes when no inventory
    lists them (model/loadbalancer.py); stacked etcd's members are then listed there."""
    cluster_configs = [d for d in kubeadm_docs if d.kind == "ClusterConfiguration"]
    configs = _configs(etcd_docs, env, pods, cluster_configs, flags)
    stacked = _is_stacked(kubeadm_docs, nodes, configs)
    inventory_list = next((i.member_list for i in inventories if i.member_list), None)
    accs: list[_MemberAcc] = []
    member_list: Span | None
    if stacked:
        member_list = inventory_list or backend_list or _stacked_member_list(kubeadm_docs)
    else:
        from_settings = _from_settings(accs, configs)
        from_external = _from_external(
            accs, [d for d in cluster_configs if d.get("etcd", "external") is not None]
        )
        _from_inventory(accs, nodes)
        member_list = from_settings or from_external or inventory_list
    return EtcdFacts(
        tuple(configs),
        stacked,
        _members(accs, list(nodes)),
        member_list,
        tuple(_etcd_timings(configs)),
        tuple(_data_dirs(configs, cluster_configs)),
    )
