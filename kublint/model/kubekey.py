"""What KubeKey will deploy, from its cluster definition: v3's ``kubekey.kubesphere.io/v1alpha2`` ``Cluster``
(``kk create cluster -f``). Modelled from KubeKey's own defaults (``cmd/kk/apis/kubekey/v1alpha2/default.go``,
``cluster_types.go``, ``etcd_types.go``) and its pipelines:

* nodes are ``spec.hosts``; their roles come from ``spec.roleGroups`` (``etcd``, ``master`` and
  ``control-plane``, ``worker``), where ``node[2:10]`` stands for node2 ... node10;
* the endpoint: ``controlPlaneEndpoint.address`` when set (kube-vip's VIP), else the domain
  (``lb.kubesphere.local``) with the internal haproxy on every node or with ``externalDNS``, else the
  first master's ``internalAddress`` (KubeKey warns about that in an HA cluster and goes on);
* the API certificate: ``apiserverCertExtraSans`` plus what KubeKey adds (the domain, the address, every
  host's names and addresses, the kubernetes service names);
* etcd: ``type`` kubekey (the default) runs etcd on the ``etcd`` group and installs a ``backup-etcd.timer``
  every ``backupPeriod`` minutes (1440 by default); ``kubeadm`` stacks it on the masters; ``external`` uses
  ``etcd.external.endpoints``; neither takes a backup;
* the component flags of ``apiserverArgs``, ``controllerManagerArgs``, ``schedulerArgs`` (``name=value``),
  ``kubernetes.version`` and ``autoRenewCerts``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kublint.model.endpoints import DEFAULT_API_PORT, kubernetes_service_names
from kublint.model.facts import NodeFact
from kublint.model.inventory import InventoryFacts
from kublint.model.types import (
    CONTROL_PLANE,
    ETCD,
    WORKER,
    Backup,
    CertSANs,
    Endpoint,
    EtcdTiming,
    Flag,
    InstallerComponent,
    InstallerFacts,
    Sourced,
)
from kublint.model.values import as_int
from kublint.parsers.yaml import YamlDocument
from kublint.placeholders import has_jinja_opener
from kublint.source import Span

KUBEKEY = "kubekey"
API_GROUP = "kubekey.kubesphere.io/"
DEFAULT_DOMAIN = "lb.kubesphere.local"
DEFAULT_DNS_DOMAIN = "cluster.local"
DEFAULT_SERVICE_CIDR = "10.233.0.0/18"
DEFAULT_BACKUP_PERIOD = 1440  # minutes
ROLE_GROUPS = {"etcd": ETCD, "master": CONTROL_PLANE, "control-plane": CONTROL_PLANE, "worker": WORKER}
ARGS = {
    "apiserverArgs": "kube-apiserver",
    "controllerManagerArgs": "kube-controller-manager",
    "schedulerArgs": "kube-scheduler",
}
_RANGE = re.compile(r"\[(\d{1,6}):(\d{1,6})\]")
MAX_EXPANDED = 10_000


def is_cluster(doc: YamlDocument) -> bool:
    return (doc.api_version.startswith(API_GROUP) and doc.kind == "Cluster"
            and isinstance(doc.get("spec"), dict))


def expand(entry: str) -> list[str]:
    """KubeKey's host ranges: ``node[2:10]`` is node2 ... node10 (no zero padding)."""
    m = _RANGE.search(entry)
    if m is None:
        return [entry]
    start, end = int(m.group(1)), int(m.group(2))
    head, tail = entry[: m.start()], entry[m.end():]
    return [f"{head}{i}{tail}" for i in range(start, min(end, start + MAX_EXPANDED - 1) + 1)]


def _text(doc: YamlDocument, *path: str | int) -> str | None:
    """A plain scalar; None when missing, empty or templated (unknown)."""
    v = doc.get(*path)
    if isinstance(v, bool) or not isinstance(v, str | int | float):
        return None
    text = str(v).strip()
    return text if text and not has_jinja_opener(text) and "${" not in text else None


def _true(doc: YamlDocument, *path: str) -> bool:
    v = doc.get(*path)
    return v is True or (isinstance(v, str) and v.strip().lower() == "true")


class _Host:
    __slots__ = ("addresses", "index", "internal", "name")

    def __init__(self, name: str, index: int, addresses: list[Sourced[str]], internal: Sourced[str] | None):
        self.name = name
        self.index = index
        self.addresses = addresses
        self.internal = internal


def _hosts(doc: YamlDocument) -> dict[str, _Host]:
    out: dict[str, _Host] = {}
    raw = doc.get("spec", "hosts")
    for i, entry in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(entry, dict):
            continue
        name = _text(doc, "spec", "hosts", i, "name")
        if name is None or name in out:
            continue
        addresses: list[Sourced[str]] = []
        internal: Sourced[str] | None = None
        for key in ("internalAddress", "address"):
            text = _text(doc, "spec", "hosts", i, key)
            for part in (text or "").split(","):  # "ipv4,ipv6"
                if part.strip():
                    s = Sourced(part.strip(), doc.loc("spec", "hosts", i, key))
                    addresses.append(s)
                    if key == "internalAddress" and internal is None:
                        internal = s
        if internal is None and addresses:  # an empty internalAddress takes address (default.go)
            internal = addresses[-1]
        out[name] = _Host(name, i, addresses, internal)
    return out


def _groups(doc: YamlDocument, hosts: dict[str, _Host]) -> dict[str, list[tuple[str, Span]]]:
    """Each role group's hosts in order, with where each is listed; ``control-plane`` joins ``master``."""
    out: dict[str, list[tuple[str, Span]]] = {}
    raw = doc.get("spec", "roleGroups")
    if not isinstance(raw, dict):
        return out
    for group in ("etcd", "master", "control-plane", "worker"):
        entries = raw.get(group)
        target = "master" if group == "control-plane" else group
        for j, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, str | int) or isinstance(entry, bool):
                continue
            for name in expand(str(entry).strip()):
                if name in hosts and all(name != n for n, _ in out.get(target, [])):
                    out.setdefault(target, []).append((name, doc.loc("spec", "roleGroups", group, j)))
    return out


def _endpoint(doc: YamlDocument, hosts: dict[str, _Host], masters: list[tuple[str, Span]]) -> Endpoint | None:
    base = ("spec", "controlPlaneEndpoint")
    port = as_int(doc.get(*base, "port")) if doc.has(*base, "port") else DEFAULT_API_PORT
    if port is None:
        return None
    lb = _text(doc, *base, "internalLoadbalancer")
    address = _text(doc, *base, "address")
    domain = _text(doc, *base, "domain") or DEFAULT_DOMAIN
    owner = f"{KUBEKEY}/{doc.anchor}"
    if doc.has(*base, "address") and address is None and doc.get(*base, "address") not in (None, ""):
        return None  # templated: unknown
    if address and address != "127.0.0.1":
        how = "kube-vip's VIP" if lb == "kube-vip" else "controlPlaneEndpoint.address"
        return Endpoint(Sourced(f"{address}:{port}", doc.loc(*base, "address")), address, port, owner,
                        "controlPlaneEndpoint.address", f"KubeKey points {domain} at {how}")
    where = doc.loc(*base, key=True) if doc.has(*base) else doc.loc("spec", key=True)
    if lb == "haproxy" or _true(doc, *base, "externalDNS"):
        how = "the haproxy KubeKey runs on every node" if lb == "haproxy" else "external DNS"
        return Endpoint(Sourced(f"{domain}:{port}", where), domain, port, owner, "controlPlaneEndpoint",
                        f"{domain} through {how}")
    if not masters:
        return None
    first = hosts[masters[0][0]]
    if first.internal is None:
        return None
    host = first.internal.value
    return Endpoint(Sourced(f"{host}:{port}", where), host, port, owner,
                    "controlPlaneEndpoint.address (or internalLoadbalancer: haproxy)",
                    f"KubeKey points {domain} at the first master {first.name}'s internalAddress because "
                    "controlPlaneEndpoint has no address, no internal load balancer and no external DNS")


def _cert_sans(doc: YamlDocument, hosts: dict[str, _Host], endpoint: Endpoint | None) -> CertSANs:
    k8s = ("spec", "kubernetes")
    dns_domain = _text(doc, *k8s, "dnsDomain") or DEFAULT_DNS_DOMAIN
    services = _text(doc, "spec", "network", "kubeServiceCIDR") or DEFAULT_SERVICE_CIDR
    implicit = [*kubernetes_service_names(dns_domain, services), "localhost", "127.0.0.1"]
    implicit.append(_text(doc, "spec", "controlPlaneEndpoint", "domain") or DEFAULT_DOMAIN)
    if endpoint is not None and endpoint.host:
        implicit.append(endpoint.host)
    for h in hosts.values():
        implicit += [h.name, f"{h.name}.{dns_domain}", *(a.value for a in h.addresses)]
    raw = doc.get(*k8s, "apiserverCertExtraSans")
    entries = tuple(
        Sourced(str(s).strip(), doc.loc(*k8s, "apiserverCertExtraSans", i))
        for i, s in enumerate(raw if isinstance(raw, list) else [])
        if isinstance(s, str | int | float) and not isinstance(s, bool) and str(s).strip()
    )
    listed = doc.has(*k8s, "apiserverCertExtraSans")
    key = doc.loc(*k8s, "apiserverCertExtraSans", key=True) if listed else None
    where = doc.loc(*k8s, key=True) if doc.has(*k8s) else doc.loc("spec", key=True)
    return CertSANs(entries, key, tuple(implicit), where, f"{KUBEKEY}/{doc.anchor}",
                    "spec.kubernetes.apiserverCertExtraSans", "KubeKey", node_names=False)


def _flags(doc: YamlDocument) -> Iterator[Flag]:
    for key, component in ARGS.items():
        raw = doc.get("spec", "kubernetes", key)
        for i, item in enumerate(raw if isinstance(raw, list) else []):
            if not isinstance(item, str) or "=" not in item:
                continue
            name, _, value = item.partition("=")
            name = name.strip().lstrip("-")
            if name and not has_jinja_opener(value):
                yield Flag(component, name, value.strip(), doc.loc("spec", "kubernetes", key, i), key)


def _components(doc: YamlDocument, flags: list[Flag]) -> tuple[InstallerComponent, ...]:
    out = []
    for key, component in ARGS.items():
        path = ("spec", "kubernetes", key)
        section = doc.loc(*path, key=True) if doc.has(*path) else (
            doc.loc("spec", "kubernetes", key=True) if doc.has("spec", "kubernetes") else doc.kind_span())
        out.append(InstallerComponent(component, KUBEKEY, tuple(f for f in flags if f.component == component),
                                      section, f"KubeKey's spec.kubernetes.{key}", doc.source.path,
                                      f"{KUBEKEY}/{doc.anchor}/{component}"))
    return tuple(out)


def on_calendar(minutes: int) -> str:
    """KubeKey's ``BackupTimeOnCalendar``: the OnCalendar= spec of its backup-etcd.timer."""
    if minutes <= 0:
        return "*-*-* *:00/30:00"
    if minutes < 60:
        return f"*-*-* *:00/{minutes}:00"
    if minutes < 1440:
        return f"*-*-* 00/{minutes // 60}:{minutes % 60:02d}:00"
    return "*-*-* 00:00:00"


def _etcd_type(doc: YamlDocument) -> str:
    return (_text(doc, "spec", "etcd", "type") or KUBEKEY).lower()


def _backup(doc: YamlDocument) -> Backup | None:
    """KubeKey installs backup-etcd.timer only for its own etcd (type kubekey)."""
    if _etcd_type(doc) != KUBEKEY:
        return None
    path = ("spec", "etcd", "backupPeriod")
    if doc.has(*path):
        minutes = as_int(doc.get(*path))
        if minutes is None:
            return None
        where = doc.loc(*path)
    else:
        minutes = DEFAULT_BACKUP_PERIOD
        where = doc.loc("spec", "etcd", key=True) if doc.has("spec", "etcd") else doc.kind_span()
    return Backup("kubekey", Sourced(f"OnCalendar={on_calendar(minutes)}", where), where,
                  f"KubeKey backup-etcd.timer (backupPeriod {minutes} min)")


def _timing(doc: YamlDocument) -> EtcdTiming | None:
    base = ("spec", "etcd")
    hb, el = doc.get(*base, "heartbeatInterval"), doc.get(*base, "electionTimeout")
    if hb is None and el is None:
        return None
    hb_ms, el_ms = as_int(hb), as_int(el)
    where = doc.loc(*base, key=True)
    return EtcdTiming(
        Sourced(hb_ms, doc.loc(*base, "heartbeatInterval")) if hb_ms is not None else None,
        Sourced(el_ms, doc.loc(*base, "electionTimeout")) if el_ms is not None else None,
        "KubeKey spec.etcd", where,
    )


def cluster_facts(doc: YamlDocument) -> InventoryFacts:
    """The nodes and what KubeKey will deploy, from one ``Cluster`` document."""
    hosts = _hosts(doc)
    groups = _groups(doc, hosts)
    masters = groups.get("master", [])
    etcd_type = _etcd_type(doc)
    roles: dict[str, set[str]] = {name: set() for name in hosts}
    for group, members in groups.items():
        role = ROLE_GROUPS[group]
        if role == ETCD and etcd_type != KUBEKEY:
            continue  # kubeadm: stacked on the masters; external: elsewhere
        for name, _ in members:
            roles[name].add(role)
    if etcd_type == "kubeadm":
        for name, _ in masters:
            roles[name].add(ETCD)
    rg = ("spec", "roleGroups")
    list_key = "etcd" if etcd_type == KUBEKEY else "master"
    member_list = doc.loc(*rg, list_key, key=True) if doc.has(*rg, list_key) else (
        doc.loc(*rg, "control-plane", key=True) if doc.has(*rg, "control-plane") else None)
    nodes = [
        NodeFact(Sourced(h.name, doc.loc("spec", "hosts", h.index, "name")), h.addresses, roles[h.name],
                 doc.loc("spec", "hosts", h.index), "KubeKey host", from_inventory=True)
        for h in hosts.values()
    ]
    endpoint = _endpoint(doc, hosts, masters)
    flags = list(_flags(doc))
    version = _text(doc, "spec", "kubernetes", "version")
    backup = _backup(doc)
    timing = _timing(doc)
    vip = None
    kube_vip = _text(doc, "spec", "controlPlaneEndpoint", "internalLoadbalancer") == "kube-vip"
    if kube_vip and endpoint is not None and endpoint.host:
        vip = Sourced(endpoint.host, endpoint.raw.span)
    installer = InstallerFacts(
        KUBEKEY,
        endpoints=(endpoint,) if endpoint is not None else (),
        cert_sans=(_cert_sans(doc, hosts, endpoint),),
        components=_components(doc, flags),
        flags=tuple(flags),
        etcd_timings=(timing,) if timing is not None else (),
        kubernetes_version=Sourced(version, doc.loc("spec", "kubernetes", "version")) if version else None,
        renewal_jobs=(Sourced("KubeKey autoRenewCerts (k8s-certs-renew.timer)",
                              doc.loc("spec", "kubernetes", "autoRenewCerts")),)
        if _true(doc, "spec", "kubernetes", "autoRenewCerts") else (),
        backups=(backup,) if backup is not None else (),
        renders_kubeadm=True,
    )
    return InventoryFacts(nodes=nodes, span=doc.kind_span(), member_list=member_list, lb_vip=vip,
                          installer=installer)


# --- KubeKey v4: kubekey.kubesphere.io/v1 Inventory + Config ------------------------------------------------
#
# The Inventory lists hosts (``spec.hosts``: name -> variables, ``connector.host``, ``internal_ipv4``) and
# groups (``spec.groups``: name -> ``hosts`` and child ``groups``); the Config's ``spec`` holds the settings
# over KubeKey's defaults (builtin/core/roles/defaults/defaults/main/03-kubernetes.yaml, 04-etcd.yaml).

V4 = "kubekey.kubesphere.io/v1"
V4_BACKUP_CALENDAR = "*-*-* *:00/30:00"  # etcd.backup.on_calendar


def is_v4(doc: YamlDocument, kind: str) -> bool:
    return doc.api_version == V4 and doc.kind == kind and isinstance(doc.get("spec"), dict)


def _members_of(doc: YamlDocument, group: str, seen: frozenset[str] = frozenset()) -> list[tuple[str, Span]]:
    """A group's hosts, its child groups' too, in order, with where each is listed."""
    if group in seen or len(seen) > 32:
        return []
    base = ("spec", "groups", group)
    out: list[tuple[str, Span]] = []
    hosts = doc.get(*base, "hosts")
    for i, h in enumerate(hosts if isinstance(hosts, list) else []):
        if isinstance(h, str) and h.strip():
            out.append((h.strip(), doc.loc(*base, "hosts", i)))
    children = doc.get(*base, "groups")
    for child in children if isinstance(children, list) else []:
        if isinstance(child, str):
            out.extend(_members_of(doc, child, seen | {group}))
    return out


class _Config:
    """The settings of the v4 Configs beside an Inventory: the first one that writes a path wins."""

    __slots__ = ("docs",)

    def __init__(self, docs: list[YamlDocument]) -> None:
        self.docs = docs

    def find(self, *path: str) -> tuple[YamlDocument, tuple[str, ...]] | None:
        for d in self.docs:
            if d.has("spec", *path):
                return d, ("spec", *path)
        return None

    def text(self, *path: str) -> Sourced[str] | None:
        found = self.find(*path)
        if found is None:
            return None
        d, p = found
        value = _text(d, *p)
        return Sourced(value, d.loc(*p)) if value is not None else None

    def where(self, *path: str) -> Span | None:
        found = self.find(*path)
        return found[0].loc(*found[1]) if found is not None else None


def inventory_facts(doc: YamlDocument, configs: list[YamlDocument]) -> InventoryFacts:
    """The nodes of a v4 Inventory and what KubeKey will deploy on them with the Configs' settings."""
    cfg = _Config(configs)
    raw = doc.get("spec", "hosts")
    hosts: dict[str, list[Sourced[str]]] = {}
    for name in (raw if isinstance(raw, dict) else {}):
        if not isinstance(name, str):
            continue
        addresses = []
        for path in (("internal_ipv4",), ("connector", "host")):
            text = _text(doc, "spec", "hosts", name, *path)
            if text:
                addresses.append(Sourced(text, doc.loc("spec", "hosts", name, *path)))
        hosts[name] = addresses
    cps = [(h, s) for h, s in _members_of(doc, "kube_control_plane") if h in hosts]
    workers = [h for h, _ in _members_of(doc, "kube_worker") if h in hosts]
    written = cfg.text("etcd", "deployment_type")
    etcd_type = written.value if written is not None else "external"
    etcd = [h for h, _ in _members_of(doc, "etcd") if h in hosts] if etcd_type == "external" else \
        [h for h, _ in cps]
    roles: dict[str, set[str]] = {h: set() for h in hosts}
    for h, _ in cps:
        roles[h].add(CONTROL_PLANE)
    for h in workers:
        roles[h].add(WORKER)
    for h in etcd:
        roles[h].add(ETCD)
    nodes = [NodeFact(Sourced(h, doc.loc("spec", "hosts", h, key=True)), addrs, roles[h],
                      doc.loc("spec", "hosts", h, key=True), "KubeKey host", from_inventory=True)
             for h, addrs in hosts.items()]
    group = "etcd" if etcd_type == "external" else "kube_control_plane"
    member_list = doc.loc("spec", "groups", group, key=True) if doc.has("spec", "groups", group) else None
    return InventoryFacts(nodes=nodes, span=doc.kind_span(), member_list=member_list,
                          installer=_v4_installer(doc, cfg, hosts, cps, etcd_type))


def _v4_endpoint(doc: YamlDocument, cfg: _Config, hosts: dict[str, list[Sourced[str]]],
                 cps: list[tuple[str, Span]]) -> Endpoint | None:
    base = ("kubernetes", "control_plane_endpoint")
    kind = cfg.text(*base, "type")
    kind_value = kind.value if kind else "local"
    port_text = cfg.text(*base, "port") or cfg.text("kubernetes", "apiserver", "port")
    port = as_int(port_text.value) if port_text else DEFAULT_API_PORT
    host = cfg.text(*base, "host")
    domain = host.value if host else DEFAULT_DOMAIN
    if port is None:
        return None
    owner = f"{KUBEKEY}/{doc.anchor}"
    if kind_value == "kube_vip":
        vip = cfg.text(*base, "kube_vip", "address")
        if vip is None:
            return None
        return Endpoint(Sourced(f"{vip.value}:{port}", vip.span), vip.value, port, owner,
                        "kubernetes.control_plane_endpoint.kube_vip.address", f"kube-vip's VIP for {domain}")
    if kind_value != "local" or len(cps) < 2 or not hosts.get(cps[0][0]):
        where = kind.span if kind else (host.span if host else doc.kind_span())
        return Endpoint(Sourced(f"{domain}:{port}", where), domain, port, owner,
                        "kubernetes.control_plane_endpoint", f"{domain} through {kind_value}")
    first, listed = cps[0]
    address = hosts[first][0].value
    where = kind.span if kind else listed
    return Endpoint(Sourced(f"{address}:{port}", where), address, port, owner,
                    "kubernetes.control_plane_endpoint (type kube_vip or haproxy)",
                    f"with type local KubeKey points the workers' {domain} at the first control plane "
                    f"{first}")


def _v4_installer(doc: YamlDocument, cfg: _Config, hosts: dict[str, list[Sourced[str]]],
                  cps: list[tuple[str, Span]], etcd_type: str) -> InstallerFacts:
    endpoint = _v4_endpoint(doc, cfg, hosts, cps)
    flags: list[Flag] = []
    for key, component in (("apiserver", "kube-apiserver"), ("controller_manager", "kube-controller-manager"),
                           ("scheduler", "kube-scheduler")):
        found = cfg.find("kubernetes", key, "extra_args")
        if found is None:
            continue
        d, p = found
        args = d.get(*p)
        for name, value in (args.items() if isinstance(args, dict) else []):
            if isinstance(name, str) and isinstance(value, str | int | float | bool) and \
                    not has_jinja_opener(str(value)):
                text = str(value).lower() if isinstance(value, bool) else str(value)
                flags.append(Flag(component, name, text, d.loc(*p, name), f"kubernetes.{key}.extra_args"))
    sans_found = cfg.find("kubernetes", "apiserver", "certSANs")
    entries: tuple[Sourced[str], ...] = ()
    key_span = None
    if sans_found is not None:
        d, p = sans_found
        raw = d.get(*p)
        items = raw if isinstance(raw, list) else []
        entries = tuple(Sourced(str(s), d.loc(*p, i)) for i, s in enumerate(items)
                        if isinstance(s, str | int | float) and not isinstance(s, bool))
        key_span = d.loc(*p, key=True)
    implicit = [*kubernetes_service_names(DEFAULT_DNS_DOMAIN, DEFAULT_SERVICE_CIDR), "localhost", "127.0.0.1"]
    host = cfg.text("kubernetes", "control_plane_endpoint", "host")
    implicit.append(host.value if host else DEFAULT_DOMAIN)
    if endpoint is not None and endpoint.host:
        implicit.append(endpoint.host)
    where = endpoint.raw.span if endpoint is not None else doc.kind_span()
    sans = CertSANs(entries, key_span, tuple(implicit), where, f"{KUBEKEY}/{doc.anchor}",
                    "kubernetes.apiserver.certSANs", "KubeKey")
    backups: tuple[Backup, ...] = ()
    if etcd_type == "external":
        cal = cfg.text("etcd", "backup", "on_calendar")
        where_b = cal.span if cal else (cfg.where("etcd") or doc.kind_span())
        spec = cal.value if cal else V4_BACKUP_CALENDAR
        backups = (Backup(KUBEKEY, Sourced(f"OnCalendar={spec}", where_b), where_b,
                          f"KubeKey etcd backup timer ({spec})"),)
    version = cfg.text("kubernetes", "kube_version")
    renew = cfg.text("kubernetes", "certs", "renew")
    return InstallerFacts(
        KUBEKEY,
        endpoints=(endpoint,) if endpoint is not None else (),
        cert_sans=(sans,),
        components=tuple(
            InstallerComponent(c, KUBEKEY, tuple(f for f in flags if f.component == c), doc.kind_span(),
                               "KubeKey's kubernetes.*.extra_args", doc.source.path, f"{KUBEKEY}/{c}")
            for c in ARGS.values()
        ),
        flags=tuple(flags),
        kubernetes_version=version,
        renewal_jobs=(Sourced("KubeKey kubernetes.certs.renew", renew.span),)
        if renew is not None and renew.value.lower() == "true" else (),
        backups=backups,
        renders_kubeadm=True,
    )
