"""Build the cluster model from parsed files: a pure function that extracts and joins facts, never judges
them.

A node or etcd member named by several inputs (the inventory's ``cp1`` at 10.0.0.11 and an InitConfiguration
advertising 10.0.0.11) becomes one, matched by name or address.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import kublint.net as net
from kublint.findings import Related
from kublint.model import backups as backup_facts
from kublint.model import etcd as etcd_view
from kublint.model import inventory as inv
from kublint.model.cluster import (
    CONTROL_PLANE,
    ETCD,
    WORKER,
    Backup,
    CertSANs,
    Cluster,
    Endpoint,
    EtcdMember,
    EtcdTiming,
    Flag,
    Hardware,
    Latency,
    Node,
    Sourced,
)
from kublint.model.facts import NodeFact
from kublint.model.files import Kind, ParsedFile
from kublint.model.kubeadm import component_flags, node_fact
from kublint.model.staticpod import StaticPod, static_pods
from kublint.model.values import as_int
from kublint.parsers.certs import Certificate
from kublint.parsers.ini import IniInventory
from kublint.parsers.yaml import YamlDocument
from kublint.placeholders import has_placeholder
from kublint.source import Span

if TYPE_CHECKING:
    from kublint.model.loadbalancer import ApiLb, Vrrp

DEFAULT_API_PORT = 6443


class _NodeAcc:
    __slots__ = (
        "addresses", "evidence", "hardware", "in_inventory", "keys", "names", "roles", "span", "zone"
    )

    names: list[Sourced[str]]
    addresses: list[Sourced[str]]
    keys: set[str]  # normalised addresses
    roles: set[str]
    span: Span | None
    evidence: list[Related]
    zone: Sourced[str] | None
    hardware: Hardware | None
    in_inventory: bool

    def __init__(
        self,
        names: list[Sourced[str]] | None = None,
        addresses: list[Sourced[str]] | None = None,
        keys: set[str] | None = None,
        roles: set[str] | None = None,
        span: Span | None = None,
        evidence: list[Related] | None = None,
        zone: Sourced[str] | None = None,
        hardware: Hardware | None = None,
        in_inventory: bool = False,
    ) -> None:
        self.names = [] if names is None else names
        self.addresses = [] if addresses is None else addresses
        self.keys = set() if keys is None else keys
        self.roles = set() if roles is None else roles
        self.span = span
        self.evidence = [] if evidence is None else evidence
        self.zone = zone
        self.hardware = hardware
        self.in_inventory = in_inventory

    def add(self, fact: NodeFact) -> None:
        if fact.name and all(n.value != fact.name.value for n in self.names):
            self.names.append(fact.name)
        for a in fact.addresses:
            key = net.normalise_host(a.value)
            if key not in self.keys:
                self.addresses.append(a)
                self.keys.add(key)
        self.roles |= fact.roles
        if self.span is None or (fact.from_inventory and not self.in_inventory):
            self.span = fact.span
        self.evidence.append(Related(fact.span, fact.label))
        self.zone = self.zone or fact.zone
        self.hardware = self.hardware or fact.hardware
        self.in_inventory = self.in_inventory or fact.from_inventory

    def absorb(self, other: _NodeAcc) -> None:
        for n in other.names:
            if all(n.value != m.value for m in self.names):
                self.names.append(n)
        for a in other.addresses:
            key = net.normalise_host(a.value)
            if key not in self.keys:
                self.addresses.append(a)
                self.keys.add(key)
        self.roles |= other.roles
        self.evidence.extend(other.evidence)
        self.zone = self.zone or other.zone
        self.hardware = self.hardware or other.hardware
        if other.in_inventory and not self.in_inventory:
            self.span, self.in_inventory = other.span, True

    def freeze(self) -> Node:
        name = self.names[0].value if self.names else (self.addresses[0].value if self.addresses else "?")
        assert self.span is not None
        return Node(
            name,
            tuple(self.addresses),
            frozenset(self.roles),
            self.span,
            tuple(self.evidence),
            self.zone,
            self.hardware,
            self.in_inventory,
        )


def _join_nodes(facts: list[NodeFact]) -> list[_NodeAcc]:
    """Union the facts by name or address, with indexes so that 50,000 nodes stay linear."""
    accs: list[_NodeAcc] = []
    by_name: dict[str, _NodeAcc] = {}
    by_addr: dict[str, _NodeAcc] = {}
    for fact in facts:
        if fact.name is None and not fact.addresses:
            continue
        keys = [net.normalise_host(a.value) for a in fact.addresses]
        hits: list[_NodeAcc] = []
        for cand in ([by_name.get(fact.name.value)] if fact.name else []) + [by_addr.get(k) for k in keys]:
            if cand is not None and all(cand is not h for h in hits):
                hits.append(cand)
        if hits:
            target = hits[0]
            for other in hits[1:]:  # the fact links two nodes known so far: they are one
                target.absorb(other)
                accs.remove(other)
        else:
            target = _NodeAcc()
            accs.append(target)
        target.add(fact)
        for n in target.names:
            by_name[n.value] = target
        for k in target.keys:
            by_addr[k] = target
    return accs


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


def model_failure(exc: BaseException) -> str:
    """What to say when ``build`` raised: check reports it as SY900, topology as an internal error."""
    return f"building the cluster model failed: {type(exc).__name__}: {exc} (a kublint bug; please report it)"


def build(
    root: str,
    files: list[ParsedFile],
    extra_groups: Mapping[str, list[str]] | None = None,
    environment: str | None = None,
) -> Cluster:
    facts: list[NodeFact] = []
    inventories: list[inv.InventoryFacts] = []
    kubeadm_docs: list[YamlDocument] = []
    component_docs: list[YamlDocument] = []
    etcd_docs: list[YamlDocument] = []
    backups: list[Backup] = []
    pods: list[StaticPod] = []
    etcd_cfgs: list[etcd_view.EtcdConfig] = []
    certificates: list[Certificate] = []
    certs_readable = True
    for f in files:
        if f.kind is Kind.INVENTORY:
            for d in f.documents:
                if d.kind == "Inventory":
                    inventories.append(inv.native(d))
        elif f.kind is Kind.ANSIBLE_INVENTORY:
            vars_files = ansible_vars_files(files, f)
            if isinstance(f.content, IniInventory):
                inventories.append(
                    inv.ansible_ini(f.content, f.source.start_span(), extra_groups, vars_files)
                )
            else:
                for d in f.documents:
                    if isinstance(d.data, dict) and "all" in d.data:
                        inventories.append(inv.ansible_yaml(d, extra_groups, vars_files))
        elif f.kind is Kind.KUBEADM:
            for d in f.documents:
                if d.api_version.startswith("kubeadm.k8s.io/"):
                    kubeadm_docs.append(d)
                elif d.kind == "KubeSchedulerConfiguration":
                    component_docs.append(d)
        elif f.kind is Kind.COMPONENT_CONFIG:
            component_docs.extend(f.documents)
        elif f.kind is Kind.ETCD_CONFIG:
            etcd_docs.extend(d for d in f.documents if isinstance(d.data, dict))
        elif f.kind is Kind.CRONJOB:
            for d in f.documents:
                backups.extend(backup_facts.cronjob_backups(d))
        elif f.kind is Kind.CRONTAB and isinstance(f.content, list):
            backups.extend(backup_facts.crontab_backups(f.content))
        elif f.kind is Kind.STATIC_POD:
            for d in f.documents:
                pods.extend(static_pods(d))
        elif f.kind is Kind.CERTIFICATE:
            if isinstance(f.content, list):
                certificates.extend(f.content)
            else:
                certs_readable = False
        elif f.kind is Kind.KUBECONFIG:
            certificates.extend(_kubeconfig_certs(f))
        elif f.kind is Kind.ETCD_ENV and isinstance(f.content, list):
            etcd_cfgs.append(etcd_view.from_env(f.source.start_span(), f.content))
    backups.extend(backup_facts.systemd_backups(files))

    for i in inventories:
        facts.extend(i.nodes)
    anonymous: list[Span] = []
    for d in kubeadm_docs:
        nf = node_fact(d)
        if nf is None:
            continue
        if nf.name is None and not nf.addresses:
            if CONTROL_PLANE in nf.roles and d.kind == "JoinConfiguration":
                anonymous.append(nf.span)
            continue
        facts.append(nf)
    accs = _join_nodes(facts)
    nodes = [a.freeze() for a in accs]

    flags: list[Flag] = []
    for d in (*kubeadm_docs, *component_docs):
        flags.extend(component_flags(d))
    for pod in pods:
        flags.extend(pod.flags)
    etcd_cfgs[:0] = [etcd_view.from_config_file(d) for d in etcd_docs]
    etcd_cfgs.extend(
        etcd_view.from_flags(
            "etcd static Pod",
            pod.document.span,
            [f for f in pod.flags if f.component == "etcd"],
            pod.document,
        )
        for pod in pods
        if pod.component == "etcd"
    )

    cluster_configs = [d for d in kubeadm_docs if d.kind == "ClusterConfiguration"]
    external = [d for d in cluster_configs if d.get("etcd", "external") is not None]
    etcd_only_nodes = [n for n in nodes if n.has(ETCD) and not n.has(CONTROL_PLANE)]
    has_kubeadm_cp = any(d.kind in ("ClusterConfiguration", "InitConfiguration") for d in kubeadm_docs)
    standalone = [c for c in etcd_cfgs if c.origin in ("etcd config file", "etcd env file")]
    stacked = has_kubeadm_cp and not external and not standalone and not etcd_only_nodes
    for d in cluster_configs:
        if d.get("etcd", "external") is None:
            where = d.loc("etcd", "local", key=True) if d.has("etcd", "local") else d.kind_span()
            etcd_cfgs.append(
                etcd_view.from_flags(
                    "kubeadm etcd.local",
                    where,
                    [
                        f
                        for f in flags
                        if f.component == "etcd"
                        and f.span.path == d.source.path
                        and f.origin.startswith("etcd.local")
                    ],
                    d,
                    etcd_view.KUBEADM_DEFAULTS,
                    where,
                )
            )

    member_accs: list[_MemberAcc] = []
    member_list: Span | None = None
    if not stacked:
        for cfg in etcd_cfgs:
            if cfg.origin == "kubeadm etcd.local":
                continue
            ic = cfg.get("initial-cluster")
            entries = _initial_cluster(str(ic.value)) if ic else []
            if entries and member_list is None:
                member_list = ic.span if ic else None
            for name, host in entries:
                assert ic is not None
                _add_member(member_accs, name, host, ic.span, "etcd initial-cluster entry")
            own = cfg.get("name")
            peer = cfg.get("initial-advertise-peer-urls")
            own_host = None
            urls = net.split_urls(str(peer.value)) if peer else []
            if urls:
                hp = net.url_host_port(urls[0])
                own_host = hp.host if hp else None
            if own is not None or own_host:
                _add_member(
                    member_accs,
                    str(own.value) if own else None,
                    own_host,
                    own.span if own else cfg.span,
                    f"etcd member ({cfg.origin})",
                )
        for d in external:
            eps = d.get("etcd", "external", "endpoints")
            if isinstance(eps, list):
                if member_list is None:
                    member_list = d.loc("etcd", "external", "endpoints")
                for k, ep in enumerate(eps):
                    hp = net.url_host_port(str(ep)) if isinstance(ep, str) else None
                    _add_member(
                        member_accs,
                        None,
                        hp.host if hp else str(ep),
                        d.loc("etcd", "external", "endpoints", k),
                        "kubeadm external etcd endpoint",
                    )
        for n in nodes:
            if n.has(ETCD):
                span = next((e.span for e in n.evidence if e.message.startswith("inventory")), n.span)
                names = [n.name]
                _add_member(
                    member_accs,
                    names[0],
                    n.addresses[0].value if n.addresses else None,
                    span,
                    "inventory etcd node",
                )
                for a in n.addresses[1:]:
                    _add_member(member_accs, n.name, a.value, span, "inventory etcd node")
        if member_list is None:
            member_list = next((i.member_list for i in inventories if i.member_list), None)
    else:
        member_list = next((i.member_list for i in inventories if i.member_list), None)
        if member_list is None:
            cp_joins = [d for d in kubeadm_docs if d.kind == "JoinConfiguration" and d.has("controlPlane")]
            anchors = cluster_configs or [d for d in kubeadm_docs if d.kind == "InitConfiguration"]
            member_list = cp_joins[-1].loc("controlPlane", key=True) if cp_joins else anchors[0].kind_span()

    members = []
    for m in member_accs:
        node = _node_for(nodes, m.names, m.hosts)
        name = sorted(m.names)[0] if m.names else sorted(m.hosts)[0] if m.hosts else "?"
        assert m.span is not None
        members.append(
            EtcdMember(
                name,
                sorted(m.hosts)[0] if m.hosts else None,
                m.span,
                tuple(m.evidence),
                node.name if node else None,
            )
        )

    endpoints = []
    sans = []
    for d in cluster_configs:
        raw = d.get("controlPlaneEndpoint")
        if isinstance(raw, str) and raw.strip():
            hp = net.parse_host_port(raw)
            endpoints.append(
                Endpoint(
                    Sourced(raw.strip(), d.loc("controlPlaneEndpoint")),
                    hp.host if hp else None,
                    hp.port if hp else None,
                    d,
                )
            )
        raw_sans = d.get("apiServer", "certSANs")
        san_entries = tuple(
            Sourced(str(s), d.loc("apiServer", "certSANs", k))
            for k, s in enumerate(raw_sans if isinstance(raw_sans, list) else [])
            if isinstance(s, str | int | float)
        )
        sans.append(
            CertSANs(
                san_entries,
                d.loc("apiServer", "certSANs", key=True) if d.has("apiServer", "certSANs") else None,
                d,
            )
        )

    timings = _etcd_timings(etcd_cfgs)
    data_dirs = [
        Sourced(str(s.value), s.span) for c in etcd_cfgs if (s := c.get("data-dir")) and not s.implicit
    ]
    for d in cluster_configs:
        if isinstance(d.get("etcd", "local", "dataDir"), str):
            data_dirs.append(Sourced(d.get("etcd", "local", "dataDir"), d.loc("etcd", "local", "dataDir")))

    latency: list[Latency] = [lat for i in inventories for lat in i.latency]
    for i in inventories:
        b = i.backups
        if b is not None and isinstance(b.value, dict) and b.value.get("schedule"):
            backups.append(
                Backup(
                    "inventory", Sourced(str(b.value["schedule"]), b.span), b.span, "inventory backups.etcd"
                )
            )
    api_port = _api_port(endpoints, kubeadm_docs)
    globs = _node_globs(files)
    api_lbs: tuple[ApiLb, ...] = ()
    vrrps: tuple[Vrrp, ...] = ()
    if any(f.kind in (Kind.HAPROXY, Kind.KEEPALIVED) for f in files):
        from kublint.model import loadbalancer as lb_view  # the HAProxy and Keepalived views cost start-up

        api_lbs = tuple(lb_view.api_lbs(files, tuple(nodes), api_port, globs))
        vrrps = tuple(lb_view.vrrps(files, tuple(nodes), globs))
    workers = sum(1 for n in nodes if n.has(WORKER))
    declared = next((i.worker_count for i in inventories if i.worker_count), None)
    env = next((i.environment for i in inventories if i.environment), None)
    if environment:
        env = Sourced(
            environment, env.span if env else (inventories[0].span if inventories else _nowhere(root))
        )
    return Cluster(
        root=root,
        files=tuple(files),
        nodes=tuple(nodes),
        anonymous_cp_joins=tuple(anonymous),
        etcd_stacked=stacked,
        etcd_members=tuple(members),
        etcd_member_list=member_list,
        endpoints=tuple(endpoints),
        kubeadm_docs=tuple(kubeadm_docs),
        cert_sans=tuple(sans),
        lb_dns=next((i.lb_dns for i in inventories if i.lb_dns), None),
        lb_vip=next((i.lb_vip for i in inventories if i.lb_vip), None),
        environment=env,
        worker_count=max(workers, declared.value if declared else 0),
        latency=tuple(latency),
        backups=tuple(backups),
        flags=tuple(flags),
        etcd_timings=tuple(timings),
        etcd_data_dirs=tuple(data_dirs),
        inventory_span=inventories[0].span if inventories else None,
        backups_span=next((i.backups_span for i in inventories if i.backups_span), None),
        etcd_configs=tuple(etcd_cfgs),
        static_pods=tuple(pods),
        certificates=tuple(certificates),
        certificates_readable=certs_readable,
        api_lbs=api_lbs,
        vrrps=vrrps,
        api_port=api_port,
    )


def _kubeconfig_certs(f: ParsedFile) -> list[Certificate]:
    from kublint.parsers.certs import available, parse_embedded

    if not available():
        return []
    out: list[Certificate] = []
    for d in f.documents:
        users = d.get("users")
        for i, u in enumerate(users if isinstance(users, list) else []):
            data = (
                u.get("user", {}).get("client-certificate-data")
                if isinstance(u, dict) and isinstance(u.get("user"), dict)
                else None
            )
            if isinstance(data, str):
                certs, _ = parse_embedded(
                    data,
                    d.loc("users", i, "user", "client-certificate-data"),
                    f"{f.path} user {u.get('name', i)}",
                )
                out.extend(certs)
    return out


def _api_port(endpoints: list[Endpoint], docs: list[YamlDocument]) -> int:
    for e in endpoints:
        if e.port:
            return e.port
    for d in docs:
        for path in (("localAPIEndpoint", "bindPort"), ("controlPlane", "localAPIEndpoint", "bindPort")):
            v = d.get(*path)
            if isinstance(v, int) and not isinstance(v, bool):
                return v
    return DEFAULT_API_PORT


def _node_globs(files: list[ParsedFile]) -> dict[str, list[str]]:
    """The native inventory's per-node ``files:`` globs, which tie load-balancer files to hosts."""
    out: dict[str, list[str]] = {}
    for f in files:
        if f.kind is not Kind.INVENTORY:
            continue
        for d in f.documents:
            raw = d.get("nodes")
            for n in raw if isinstance(raw, list) else []:
                if (
                    isinstance(n, dict)
                    and isinstance(n.get("name"), str)
                    and isinstance(n.get("files"), list)
                ):
                    out[n["name"]] = [str(g) for g in n["files"]]
    return out


def ansible_vars_files(files: list[ParsedFile], inventory: ParsedFile) -> list[ParsedFile]:
    """``group_vars/`` and ``host_vars/`` YAML beside the inventory file or one directory up "
        "(Ansible's layout)."""
    here = inventory.source.abspath.parent
    out = []
    for f in files:
        p = f.source.abspath
        parts = p.parts
        for marker in ("group_vars", "host_vars"):
            if marker in parts:
                base = Path(*parts[: parts.index(marker)])
                if base in (here, here.parent) and f.documents:
                    out.append(f)
                break
    return out


def _nowhere(root: str) -> Span:
    from kublint.source import whole_file_span

    return whole_file_span(root)


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
