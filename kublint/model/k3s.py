"""What k3s and RKE2 will deploy, from their config files (``/etc/rancher/k3s/config.yaml``,
``/etc/rancher/rke2/config.yaml``, their ``config.yaml.d/*.yaml`` drop-ins, or one file a node as homelab
repositories keep them): the nodes and their roles, the address nodes register through, the names on the
API server certificate, the component args and the scheduled etcd snapshots.

A node's files are merged as k3s's ``pkg/configfilearg/parser.go`` does: the main file first, then the
drop-ins of ``<file>.d/`` in file-name order (``.yaml``/``.yml`` only, no sub-directories); a later file's key
replaces the earlier value, unless the key ends in ``+``, which appends to it (``kublint.model.k3s_config``,
which also recognises the files). Keys are the long flag names.

Roles. A file is a server's when it holds a server-only key (``cluster-init``, ``tls-san``, ``etcd-*``, the
control-plane ``*-arg`` lists, ``datastore-endpoint``, ``disable``, ``write-kubeconfig-mode`` ...); without
one, its file or node name decides (``agent``/``worker`` against ``server``/``master``/``control``), and then
``server:`` makes it an agent (a node that joins with no server setting at all), else it is a lone server.
A server is a control plane (unless ``disable-apiserver: true``, RKE2's etcd-only node) and runs an etcd
member unless ``datastore-endpoint`` is set or ``disable-etcd: true``; a k3s server runs etcd only with
``cluster-init`` or ``server:`` (without either it keeps its data in SQLite), an RKE2 server always does.

k3s or RKE2. One cluster runs one of them: RKE2 when a file's path names ``rke2``, a file sets a key only
RKE2 has (``cni``, ``profile``, ``audit-policy-file``, the ``*-image`` keys ...) or a ``server:`` URL uses
RKE2's supervisor port 9345; else k3s.

Defaults modelled (docs.k3s.io/cli/server, k3s ``pkg/cli/server/server.go``): the API on 6443 (k3s's
``https-listen-port``); RKE2 registers nodes on 9345 and serves the API on 6443 of the same host; the
certificate carries 127.0.0.1, ::1, localhost, the node's name and addresses, the first address of
``service-cidr`` (10.43.0.0/16) and the kubernetes service names, never the ``server:`` host; etcd snapshots
every ``etcd-snapshot-schedule-cron`` ("0 */12 * * *"), 5 kept, unless ``etcd-disable-snapshots``. Values
holding ``${VAR}``, Jinja or another placeholder are unknown: the fact is left out, never guessed.

All k3s and RKE2 files under one cluster root are one cluster (a ``.kublint.yaml`` in each cluster's
directory makes separate roots).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import NamedTuple

import kublint.net as net
from kublint.model.endpoints import kubernetes_service_names
from kublint.model.facts import NodeFact
from kublint.model.files import ParsedFile
from kublint.model.inventory import InventoryFacts
from kublint.model.k3s_config import (
    K3S,
    RKE2,
    RKE2_KEYS,
    SERVER_KEYS,
    Unit,
    flag,
    items,
    known,
    names,
    text,
    units,
)
from kublint.model.types import (
    CONTROL_PLANE,
    ETCD,
    WORKER,
    Backup,
    CertSANs,
    Endpoint,
    Flag,
    InstallerComponent,
    InstallerFacts,
    Setting,
    Sourced,
)

ADDER = {K3S: "k3s", RKE2: "RKE2"}
API_PORT = 6443
RKE2_SUPERVISOR_PORT = 9345
DEFAULT_SNAPSHOT_CRON = "0 */12 * * *"
DEFAULT_SNAPSHOT_RETENTION = 5
DEFAULT_SERVICE_CIDR = "10.43.0.0/16"
DEFAULT_DNS_DOMAIN = "cluster.local"

ARGS = {  # the list of name=value items and the component it goes to
    "kube-apiserver-arg": "kube-apiserver",
    "kube-controller-manager-arg": "kube-controller-manager",
    "kube-scheduler-arg": "kube-scheduler",
    "etcd-arg": "etcd",
    "kubelet-arg": "kubelet",
    "kube-proxy-arg": "kube-proxy",
}
CONTROL_PLANE_ARGS = ("kube-apiserver-arg", "kube-controller-manager-arg", "kube-scheduler-arg")
SETTINGS = ("cluster-init", "disable-etcd", "disable-apiserver", "etcd-disable-snapshots",
            "etcd-snapshot-retention", "etcd-snapshot-dir", "etcd-s3", "etcd-s3-bucket", "profile", "cni")
_GENERIC_DIRS = frozenset({"k3s", "rke2", "rancher", "etc", "config.yaml.d", "config.yml.d", "."})
_AGENT_WORDS = ("agent", "worker")
_SERVER_WORDS = ("server", "master", "control")


# --- one node -----------------------------------------------------------------------------------------------


class Node(NamedTuple):
    unit: Unit
    name: str
    addresses: tuple[Sourced[str], ...]
    server: bool
    control_plane: bool
    etcd: bool
    join: Sourced[str] | None  # the server: URL it registers through


def _derived_name(path: str) -> str:
    p = PurePosixPath(path)
    stem = p.name
    for suffix in (".yaml", ".yml"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    if stem.lower() != "config":
        return stem
    for d in reversed(p.parent.parts):
        if d.lower() not in _GENERIC_DIRS and d != "/":
            return d
    return stem


def _is_server(unit: Unit, name: str) -> bool:
    if unit.server is not None:
        return unit.server
    if set(unit.values) & SERVER_KEYS:
        return True
    hint = f"{PurePosixPath(unit.path).name} {name}".lower()
    if any(w in hint for w in _AGENT_WORDS):
        return False
    if any(w in hint for w in _SERVER_WORDS):
        return True
    return unit.get("server") is None


def _node(unit: Unit, installer: str, taken: set[str]) -> Node:
    written = text(unit.get("node-name"))
    base = written or _derived_name(unit.path)
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    addrs: list[Sourced[str]] = []
    for key in ("node-ip", "advertise-address", "node-external-ip"):
        for a in names(unit.get(key)):
            if not any(net.same_host(a.value, b.value) for b in addrs):
                addrs.append(a)
    server = _is_server(unit, base)
    cp = server and flag(unit.get("disable-apiserver")) is not True
    joins = text(unit.get("server"))
    external = unit.get("datastore-endpoint") is not None
    embedded = installer == RKE2 or flag(unit.get("cluster-init")) is True or unit.get("server") is not None
    etcd = server and embedded and not external and flag(unit.get("disable-etcd")) is not True
    sv = unit.get("server")
    join = Sourced(joins, sv.items[0]) if joins is not None and sv is not None else None
    return Node(unit, name, tuple(addrs), server, cp, etcd, join)


def installer_of(us: Iterable[Unit]) -> str:
    for u in us:
        parts = [p.lower() for p in PurePosixPath(u.path).parts]
        if any(RKE2 in p for p in parts) or set(u.values) & RKE2_KEYS:
            return RKE2
        url = text(u.get("server"))
        hp = net.url_host_port(url) if url else None
        if hp is not None and hp.port == RKE2_SUPERVISOR_PORT:
            return RKE2
    return K3S


# --- the cluster's facts ------------------------------------------------------------------------------------


def _host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _api_port(node: Node, installer: str) -> int:
    if installer == RKE2:
        return API_PORT
    p = text(node.unit.get("https-listen-port"))
    return int(p) if p is not None and p.isdigit() and 0 < int(p) < 65536 else API_PORT


def _endpoints(nodes: Sequence[Node], installer: str) -> list[Endpoint]:
    """The address clients and joining nodes use: each ``server:`` URL (RKE2's supervisor port 9345 stands
    for the API on 6443 of the same host), else the only server's own address."""
    adder = ADDER[installer]
    by_target: dict[tuple[str, int], list[Node]] = {}
    for n in nodes:
        if n.join is None:
            continue
        hp = net.url_host_port(n.join.value)
        if hp is None:
            continue
        port = API_PORT if installer == RKE2 else (hp.port or 443)
        by_target.setdefault((net.normalise_host(hp.host), port), []).append(n)
    out = []
    for (_, port), joiners in by_target.items():
        first = joiners[0]
        assert first.join is not None
        hp = net.url_host_port(first.join.value)
        assert hp is not None
        who = ", ".join(f"{'server' if j.server else 'agent'} {j.name}" for j in joiners)
        if installer == RKE2:  # the URL names the supervisor; the API is on 6443 of the same host
            raw = Sourced(f"https://{_host_port(hp.host, port)}", first.join.span)
            origin = f"RKE2: {who} register through server: {first.join.value}, the API of the same host"
            setting = f"the host of the joining nodes' server URL (on port {RKE2_SUPERVISOR_PORT})"
        else:
            raw = first.join
            origin = f"k3s: {who} register through it (server:)"
            setting = "the joining nodes' server URL"
        out.append(Endpoint(raw, hp.host, port, f"{installer}/{first.unit.path}/server", setting, origin))
    if out or not nodes:
        return out
    servers = [n for n in nodes if n.control_plane]
    if len(servers) != 1:
        return out
    only = servers[0]
    where = only.addresses[0] if only.addresses else Sourced(only.name, only.unit.start)
    port = _api_port(only, installer)
    return [Endpoint(Sourced(_host_port(where.value, port), where.span), where.value, port,
                     f"{installer}/{only.unit.path}/server", "the joining nodes' server URL",
                     f"{adder}: no node sets server:, so clients use the only server {only.name}'s own "
                     "address")]


def _cert_sans(n: Node, installer: str) -> CertSANs:
    """The server's ``tls-san`` and what k3s adds itself (``pkg/cli/server/server.go``,
    ``genServerCerts``)."""
    u = n.unit
    domain = text(u.get("cluster-domain")) or DEFAULT_DNS_DOMAIN
    cidr = text(u.get("service-cidr")) or DEFAULT_SERVICE_CIDR
    implicit = [*kubernetes_service_names(domain, cidr), "127.0.0.1", "::1", "localhost", n.name,
                *(a.value for a in n.addresses)]
    sans = u.get("tls-san")
    entries = tuple(names(sans))
    return CertSANs(entries, sans.key if sans is not None else None, tuple(implicit), u.start,
                    f"{installer}/{u.path}/tls-san", "tls-san", ADDER[installer], node_names=True)


def _flags(n: Node) -> list[Flag]:
    """The ``*-arg`` lists: ``name=value`` items (a leading ``--`` dropped, a bare name is ``true``, as k3s's
    ``GetArgs`` reads them), in order, so a later item wins."""
    out = []
    for key, component in ARGS.items():
        if not n.server and key not in ("kubelet-arg", "kube-proxy-arg"):
            continue  # an agent ignores server flags
        for item in items(n.unit.get(key)):
            name, sep, value = item.value.removeprefix("--").partition("=")
            name = name.rstrip("+-").strip()
            if name:
                out.append(Flag(component, name, value if sep else "true", item.span, key))
    return out


def _components(n: Node, flags: Sequence[Flag], installer: str) -> list[InstallerComponent]:
    out = []
    for key in CONTROL_PLANE_ARGS:
        component = ARGS[key]
        v = n.unit.get(key)
        section = v.key if v is not None else n.unit.start
        out.append(InstallerComponent(
            component, installer, tuple(f for f in flags if f.component == component), section,
            f"{key} in {n.name}'s config", section.path, f"{installer}/{n.unit.path}/{component}",
        ))
    return out


def _backup(n: Node, installer: str) -> Backup | None:
    """The etcd snapshots a server with embedded etcd takes by default."""
    u = n.unit
    adder = ADDER[installer]
    disable = u.get("etcd-disable-snapshots")
    off = flag(disable)
    if off is True:
        return None
    if disable is not None and off is None:  # unknown: neither a schedule nor its absence is assumed
        return Backup(installer, None, disable.items[0],
                      f"{adder} etcd snapshots on {n.name} (etcd-disable-snapshots unknown)")
    cron = u.get("etcd-snapshot-schedule-cron")
    if cron is not None:
        spec = text(cron)
        schedule = Sourced(spec, cron.items[0]) if spec is not None else None
        where = cron.items[0]
    else:
        spec, where = DEFAULT_SNAPSHOT_CRON, u.start
        schedule = Sourced(spec, where)
    retention = text(u.get("etcd-snapshot-retention")) or str(DEFAULT_SNAPSHOT_RETENTION)
    s3 = flag(u.get("etcd-s3")) is True
    place = "on the node and in S3" if s3 else "on the node only, no etcd-s3"
    which = "etcd-snapshot-schedule-cron" if cron is not None else f"the default schedule, {spec}"
    return Backup(installer, schedule, where,
                  f"{adder} etcd snapshots on {n.name}: {which}; {retention} kept {place}")


def _settings(nodes: Sequence[Node], installer: str) -> list[Setting]:
    out = []
    for n in nodes:
        for key in SETTINGS:
            v = n.unit.get(key)
            if v is not None:
                out.append(Setting(installer, key, v.value if known(v) else None, v.items[0]))
    return out


def extract(files: Sequence[ParsedFile]) -> InventoryFacts | None:
    """The cluster that one root's k3s and RKE2 files describe."""
    us = units(files)
    if not us:
        return None
    return extract_units(us, installer_of(us))


def extract_units(us: Sequence[Unit], installer: str, label: str | None = None) -> InventoryFacts:
    """The cluster of these nodes' merged values (from config files, or from an inventory's variables)."""
    taken: set[str] = set()
    nodes = [_node(u, installer, taken) for u in us]
    facts: list[NodeFact] = []
    flags: list[Flag] = []
    components: list[InstallerComponent] = []
    backups: list[Backup] = []
    sans: list[CertSANs] = []
    for n in nodes:
        roles = {r for r, on in ((CONTROL_PLANE, n.control_plane), (ETCD, n.etcd)) if on} if n.server else {
            WORKER}
        what = f"{ADDER[installer]} {'server' if n.server else 'agent'} {label or 'config'}"
        name_v = n.unit.get("node-name")
        span = name_v.items[0] if name_v is not None and text(name_v) else n.unit.start
        facts.append(NodeFact(Sourced(n.name, span), list(n.addresses), roles, span, what,
                              from_inventory=True))
        node_flags = _flags(n)
        flags += node_flags
        if n.control_plane:
            components += _components(n, node_flags, installer)
            sans.append(_cert_sans(n, installer))
        if n.etcd and (b := _backup(n, installer)) is not None:
            backups.append(b)
    etcd_servers = [n for n in nodes if n.etcd]
    first = etcd_servers[0] if etcd_servers else next((n for n in nodes if n.server), nodes[0])
    init = first.unit.get("cluster-init") or first.unit.get("server")
    member_list = init.key if init is not None else first.unit.start
    disabled = next((v for n in etcd_servers if flag(v := n.unit.get("etcd-disable-snapshots")) is True),
                    None)
    installer_facts = InstallerFacts(
        installer,
        endpoints=tuple(_endpoints(nodes, installer)),
        cert_sans=tuple(sans),
        components=tuple(components),
        flags=tuple(flags),
        backups=tuple(backups),
        settings=tuple(_settings(nodes, installer)),
    )
    return InventoryFacts(
        nodes=facts, span=first.unit.start, member_list=member_list if etcd_servers else None,
        backups_span=disabled.key if disabled is not None else None, installer=installer_facts,
    )
