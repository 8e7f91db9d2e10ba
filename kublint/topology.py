"""The cluster as kublint understands it: load balancers and VIP, control plane, etcd, workers, zones, etcd's
fault tolerance, and the architecture the decision matrix (RULES.md family CL) recommends next to what the
cluster has.

Every fact comes from the cluster model and carries its source as ``path:line``. :func:`to_json` gives the
stable shape of ``kublint topology --format json`` (``schemaVersion`` 1, documented in docs/topology.md and
``schemas/topology.schema.json``); fields are only ever added to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any, NamedTuple

from kublint.model.cluster import Cluster
from kublint.model.sizing import EXTERNAL, MATRIX, STACKED, UNKNOWN
from kublint.model.types import LB, WORKER, Node
from kublint.model.versions import kubernetes_target
from kublint.source import Span

SCHEMA_VERSION = 1
NO_ZONE = None


def source(span: Span | None) -> str | None:
    return f"{span.path}:{span.line}" if span is not None else None


class Fact(NamedTuple):
    value: Any
    source: str | None


class Machine(NamedTuple):
    name: str
    addresses: tuple[str, ...]
    zone: str | None
    roles: tuple[str, ...]
    source: str | None


class EtcdMemberView(NamedTuple):
    name: str
    host: str | None
    node: str | None
    zone: str | None
    source: str | None


class ZoneLoss(NamedTuple):
    zone: str | None
    members: int
    survives: bool


class EtcdView(NamedTuple):
    topology: str  # stacked | external | unknown
    members: tuple[EtcdMemberView, ...]
    size: int
    quorum: int
    tolerates_failures: int
    zone_losses: tuple[ZoneLoss, ...]  # one per known zone: does etcd keep quorum without it?
    unzoned_members: int
    source: str | None


class WorkersView(NamedTuple):
    total: int  # "count" would shadow tuple.count
    by_zone: dict[str, int]
    unzoned: int
    source: str | None


class Architecture(NamedTuple):
    label: str  # single | ha-stacked | ha-external | beyond-limits
    control_plane_nodes: int
    etcd: str
    load_balancer: bool
    summary: str


class Recommendation(NamedTuple):
    current: Architecture
    recommended: Architecture
    control_plane_range: tuple[int, int | None]  # what the matrix accepts: (min, max or None)
    reasons: tuple[str, ...]
    differences: tuple[str, ...]  # what to change, each naming the rule that reports it
    compared: bool = True  # False when no control-plane node is known

    @property
    def matches(self) -> bool | None:
        return not self.differences if self.compared else None


class ZoneView(NamedTuple):
    zone: str | None
    load_balancers: tuple[str, ...]
    control_plane: tuple[str, ...]
    etcd: tuple[str, ...]
    workers: int


class InstallerView(NamedTuple):
    """An installer dialect the cluster is defined in, with what kublint modelled of it."""

    name: str  # kubespray | talos
    facts: tuple[tuple[str, Fact], ...]  # (what, fact): its own settings, how it derives the endpoint


class Topology(NamedTuple):
    root: str
    name: Fact | None
    environment: Fact | None
    kubernetes_version: Fact | None
    node_count: int
    endpoints: tuple[Fact, ...]
    lb_dns: Fact | None
    lb_vip: Fact | None
    load_balancers: tuple[Machine, ...]
    control_plane: tuple[Machine, ...]
    control_plane_count: int
    anonymous_control_plane_joins: tuple[str | None, ...]
    etcd: EtcdView
    workers: WorkersView
    zones: tuple[ZoneView, ...]
    architecture: Recommendation
    notes: tuple[str, ...] = ()
    installers: tuple[InstallerView, ...] = ()


# --- building -----------------------------------------------------------------------------------------------


def _machine(n: Node) -> Machine:
    return Machine(n.name, tuple(a.value for a in n.addresses), n.zone.value if n.zone else None,
                   tuple(sorted(n.roles)), source(n.span))


def quorum(n: int) -> int:
    return n // 2 + 1 if n > 0 else 0


def tolerated(n: int) -> int:
    return (n - 1) // 2 if n > 0 else 0


def _etcd(cluster: Cluster) -> EtcdView:
    topo = cluster.sizing.etcd_topology
    members: list[EtcdMemberView] = []
    if cluster.etcd_stacked:
        for n in cluster.control_plane:
            members.append(EtcdMemberView(n.name, n.addresses[0].value if n.addresses else None, n.name,
                                          n.zone.value if n.zone else None, source(n.span)))
        for span in cluster.anonymous_cp_joins[: max(0, cluster.etcd_count - len(members))]:
            members.append(EtcdMemberView("(unnamed control-plane join)", None, None, None, source(span)))
    else:
        for m in cluster.etcd_members:
            node = cluster.node(m.node) if m.node else None
            zone = node.zone.value if node and node.zone else None
            members.append(EtcdMemberView(m.name, m.host, m.node, zone, source(m.span)))
    size = len(members)
    q = quorum(size)
    per_zone = Counter(m.zone for m in members if m.zone is not None)
    losses = tuple(ZoneLoss(zone, count, size - count >= q) for zone, count in sorted(per_zone.items()))
    unzoned = sum(1 for m in members if m.zone is None)
    return EtcdView(topo, tuple(members), size, q, tolerated(size), losses, unzoned,
                    source(cluster.etcd_member_list))


def _workers(cluster: Cluster) -> WorkersView:
    listed = [n for n in cluster.nodes if n.has(WORKER)]
    by_zone = Counter(n.zone.value for n in listed if n.zone is not None)
    unzoned = cluster.worker_count - sum(by_zone.values())
    stated = cluster.sizing.size_span
    where = stated if cluster.worker_count > len(listed) else (listed[0].span if listed else None)
    return WorkersView(cluster.worker_count, dict(sorted(by_zone.items())), max(0, unzoned), source(where))


def _zones(lbs: list[Machine], cps: list[Machine], etcd: EtcdView, cluster: Cluster) -> tuple[ZoneView, ...]:
    names: set[str | None] = {m.zone for m in (*lbs, *cps)} | {m.zone for m in etcd.members}
    workers = Counter(n.zone.value if n.zone else None for n in cluster.nodes if n.has(WORKER))
    names |= set(workers)
    out = []
    for z in sorted(names, key=lambda z: (z is None, z or "")):
        out.append(ZoneView(
            z, tuple(m.name for m in lbs if m.zone == z), tuple(m.name for m in cps if m.zone == z),
            tuple(m.name for m in etcd.members if m.zone == z), workers.get(z, 0),
        ))
    return tuple(out)


def _cluster_name(cluster: Cluster) -> Fact | None:
    from kublint.model.inventory import native_documents

    for doc in native_documents(cluster.files):
        v = doc.get("cluster", "name")
        if isinstance(v, str) and v.strip():
            return Fact(v.strip(), source(doc.loc("cluster", "name")))
    for doc in cluster.cluster_configs():
        v = doc.get("clusterName")
        if isinstance(v, str) and v.strip():
            return Fact(v.strip(), source(doc.loc("clusterName")))
    return None


def _installers(cluster: Cluster) -> tuple[InstallerView, ...]:
    out = []
    for i in cluster.installers:
        facts: list[tuple[str, Fact]] = []
        for e in i.endpoints:
            facts.append(("endpoint", Fact(f"{e.raw.value} ({e.origin})" if e.origin else e.raw.value,
                                           source(e.raw.span))))
        for s in i.cert_sans:
            listed = ", ".join(x.value for x in s.entries) or "none"
            facts.append(("certificate names", Fact(f"{listed} listed in {s.setting}, {len(s.implicit)} "
                                                    f"added by {s.adder}", source(s.span or s.where))))
        for c in i.components:
            if c.flags:
                flags = ", ".join(f"{f.name}={f.value}" for f in c.flags)
                facts.append((c.component, Fact(flags, source(c.flags[0].span))))
        for t in i.etcd_timings:
            hb = t.heartbeat_ms.value if t.heartbeat_ms else "?"
            el = t.election_ms.value if t.election_ms else "?"
            facts.append(("etcd timing", Fact(f"heartbeat {hb} ms, election {el} ms", source(t.span))))
        for b in i.backups:
            facts.append(("etcd backup", Fact(b.description, source(b.span))))
        for setting in i.settings:
            v = setting.value
            shown: object = v if isinstance(v, str | int | float) else "set"
            if isinstance(v, bool):
                shown = str(v).lower()
            facts.append((setting.name, Fact(shown, source(setting.span))))
        out.append(InstallerView(i.installer, tuple(facts)))
    return tuple(out)


def describe(cluster: Cluster, options: Mapping[str, Any] | None = None) -> Topology:
    """The topology of one cluster. ``options`` maps CL rule ids to their option objects (thresholds of the
    decision matrix); the rules' defaults apply otherwise."""
    lbs = [_machine(n) for n in cluster.nodes if n.has(LB)]
    cps = [_machine(n) for n in cluster.control_plane]
    etcd = _etcd(cluster)
    k8s = kubernetes_target(cluster)
    env = cluster.environment
    endpoints = tuple(Fact(e.raw.value, source(e.raw.span)) for e in cluster.endpoints)
    notes = []
    if not cluster.control_plane and cluster.anonymous_cp_joins:
        notes.append("control-plane JoinConfigurations name no node: they are counted but not shown by name")
    if cluster.control_plane_count == 0:
        notes.append("no control-plane node known: the architecture is not compared with the recommendation")
    if etcd.topology == UNKNOWN:
        notes.append("no etcd facts: no kubeadm control plane, etcd config or inventory etcd role")
    return Topology(
        root=cluster.root,
        name=_cluster_name(cluster),
        environment=Fact(env.value, source(env.span)) if env else None,
        kubernetes_version=Fact(str(k8s.value), source(k8s.span)) if k8s else None,
        node_count=cluster.sizing.node_count,
        endpoints=endpoints,
        lb_dns=Fact(cluster.lb_dns.value, source(cluster.lb_dns.span)) if cluster.lb_dns else None,
        lb_vip=Fact(cluster.lb_vip.value, source(cluster.lb_vip.span)) if cluster.lb_vip else None,
        load_balancers=tuple(lbs),
        control_plane=tuple(cps),
        control_plane_count=cluster.control_plane_count,
        anonymous_control_plane_joins=tuple(source(s) for s in cluster.anonymous_cp_joins),
        etcd=etcd,
        workers=_workers(cluster),
        zones=_zones(lbs, cps, etcd, cluster),
        architecture=recommend(cluster, etcd, options),
        notes=tuple(notes),
        installers=_installers(cluster),
    )


# --- the decision matrix ------------------------------------------------------------------------------------


def _opt(options: Mapping[str, Any] | None, rule_id: str, name: str, default: Any) -> Any:
    o = (options or {}).get(rule_id)
    return getattr(o, name, default) if o is not None else default


def recommend(cluster: Cluster, etcd: EtcdView, options: Mapping[str, Any] | None = None) -> Recommendation:
    """What the decision matrix of RULES.md family CL says for this cluster's size and environment."""
    ha_min = _opt(options, "CL101", "ha_min_nodes", MATRIX.ha_min_nodes)
    small = _opt(options, "CL102", "small_cluster_nodes", MATRIX.small_cluster_nodes)
    max_cp_small = _opt(options, "CL102", "max_control_plane", MATRIX.max_control_plane)
    max_stacked = _opt(options, "CL103", "max_stacked_nodes", MATRIX.max_stacked_nodes)
    max_nodes = _opt(options, "CL104", "max_nodes", MATRIX.max_nodes)

    nodes = cluster.sizing.node_count
    env = cluster.environment.value if cluster.environment else None
    production = env == "production"
    cp_count = cluster.control_plane_count
    has_lb = bool(cluster.lb_vip or cluster.lb_dns or any(n.has(LB) for n in cluster.nodes))
    current = Architecture(
        _label(cp_count, etcd.topology), cp_count, etcd.topology, has_lb,
        f"{cp_count} control-plane node{'' if cp_count == 1 else 's'}, "
        f"{etcd.topology} etcd ({etcd.size} member{'' if etcd.size == 1 else 's'})"
        f"{', behind a load balancer' if has_lb else ''}",
    )
    reasons: list[str] = [f"{nodes} node{'' if nodes == 1 else 's'}"
                          + (f", environment {env}" if env else ", environment not declared")]
    if nodes > max_nodes:
        rec = Architecture("beyond-limits", 3, EXTERNAL, True,
                           f"more than {max_nodes} nodes is beyond what Kubernetes is tested for: split the "
                           "workload across clusters; each one HA with dedicated etcd")
        cp_range: tuple[int, int | None] = (3, None)
        reasons.append(f"more than {max_nodes} nodes (CL104)")
    elif nodes > max_stacked:
        rec = Architecture("ha-external", 3, EXTERNAL, True,
                           "HA: three control-plane nodes behind a load balancer (VIP or managed), etcd on "
                           "three or five dedicated machines")
        cp_range = (3, None)
        reasons.append(f"more than {max_stacked} nodes: dedicated etcd (CL103, policy)")
    elif production or nodes >= ha_min:
        rec = Architecture("ha-stacked", 3, STACKED, True,
                           "HA: three control-plane nodes with stacked etcd behind a load balancer (VIP or "
                           "managed)")
        cp_range = (3, None if nodes >= small else max_cp_small)
        reasons.append("production: HA (CL101)" if production
                       else f"{ha_min} nodes or more: HA (CL101, policy)")
    else:
        rec = Architecture("single", 1, STACKED, False,
                           "a single control-plane node with stacked etcd is enough; three stacked nodes "
                           "behind a load balancer if the API must survive a node failure")
        cp_range = (1, max_cp_small)
        reasons.append(f"fewer than {ha_min} nodes and not production: HA optional (CL101, CL102, policy)")

    diffs: list[str] = []
    lo, hi = cp_range
    if cp_count == 0:
        return Recommendation(current, rec, cp_range, tuple(reasons), (), compared=False)
    if cp_count < lo:
        diffs.append(f"run {lo} control-plane nodes, not {cp_count}" + (" (CL101)" if cp_count <= 1 else ""))
    elif hi is not None and cp_count > hi:
        diffs.append(f"{cp_count} control-plane nodes where {hi} do for {nodes} nodes (CL102)")
    if cp_count > 1 and cp_count % 2 == 0 and etcd.topology == STACKED:
        diffs.append(f"an even number of stacked etcd members ({cp_count}) adds no fault tolerance "
                     "(ET101, ET102)")
    if rec.etcd == EXTERNAL and etcd.topology == STACKED:
        diffs.append(f"move etcd to dedicated machines above {max_stacked} nodes (CL103)")
    if rec.etcd == STACKED and etcd.topology == EXTERNAL and nodes < small:
        diffs.append(f"stacked etcd is simpler below {small} nodes (CL102)")
    if cp_count > 1 and not has_lb:
        diffs.append("an HA control plane needs a load balancer: a VIP or a managed LB (KA101, CL105)")
    return Recommendation(current, rec, cp_range, tuple(reasons), tuple(diffs))


def _label(cp_count: int, etcd: str) -> str:
    if cp_count <= 1:
        return "single"
    return "ha-external" if etcd == EXTERNAL else "ha-stacked"


# --- JSON ---------------------------------------------------------------------------------------------------


def _fact(f: Fact | None) -> dict[str, Any] | None:
    return None if f is None else {"value": f.value, "source": f.source}


def _machine_json(m: Machine) -> dict[str, Any]:
    return {"name": m.name, "addresses": list(m.addresses), "zone": m.zone, "roles": list(m.roles),
            "source": m.source}


def _arch(a: Architecture) -> dict[str, Any]:
    return {"label": a.label, "controlPlaneNodes": a.control_plane_nodes, "etcd": a.etcd,
            "loadBalancer": a.load_balancer, "summary": a.summary}


def to_json(t: Topology) -> dict[str, Any]:
    """The stable JSON shape of one cluster (see docs/topology.md)."""
    e = t.etcd
    r = t.architecture
    return {
        "root": t.root,
        "name": _fact(t.name),
        "environment": _fact(t.environment),
        "kubernetesVersion": _fact(t.kubernetes_version),
        "nodeCount": t.node_count,
        "installers": [
            {"name": i.name, "facts": [{"what": what, **(_fact(f) or {})} for what, f in i.facts]}
            for i in t.installers
        ],
        "api": {
            "endpoints": [_fact(f) for f in t.endpoints],
            "dns": _fact(t.lb_dns),
            "vip": _fact(t.lb_vip),
        },
        "loadBalancers": [_machine_json(m) for m in t.load_balancers],
        "controlPlane": {
            "count": t.control_plane_count,
            "nodes": [_machine_json(m) for m in t.control_plane],
            "unnamedJoins": list(t.anonymous_control_plane_joins),
        },
        "etcd": {
            "topology": e.topology,
            "size": e.size,
            "quorum": e.quorum,
            "toleratesFailures": e.tolerates_failures,
            "members": [{"name": m.name, "host": m.host, "node": m.node, "zone": m.zone, "source": m.source}
                        for m in e.members],
            "zoneLosses": [{"zone": z.zone, "members": z.members, "survives": z.survives}
                           for z in e.zone_losses],
            "unzonedMembers": e.unzoned_members,
            "source": e.source,
        },
        "workers": {"count": t.workers.total, "byZone": t.workers.by_zone, "unzoned": t.workers.unzoned,
                    "source": t.workers.source},
        "zones": [{"zone": z.zone, "loadBalancers": list(z.load_balancers),
                   "controlPlane": list(z.control_plane), "etcd": list(z.etcd), "workers": z.workers}
                  for z in t.zones],
        "architecture": {
            "current": _arch(r.current),
            "recommended": _arch(r.recommended),
            "controlPlaneRange": {"min": r.control_plane_range[0], "max": r.control_plane_range[1]},
            "reasons": list(r.reasons),
            "differences": list(r.differences),
            "matches": r.matches,
        },
        "notes": list(t.notes),
    }


def document(topologies: list[Topology]) -> dict[str, Any]:
    return {"schemaVersion": SCHEMA_VERSION, "clusters": [to_json(t) for t in topologies]}


# --- from paths ---------------------------------------------------------------------------------------------


def load(paths: list[str], config: Any = None) -> list[Topology]:
    """Discover, parse and model the clusters under ``paths`` (raises PathNotFoundError) and describe each."""
    from pathlib import Path

    from kublint.catalogue import catalogue
    from kublint.config import Config, build_options
    from kublint.discovery import discover
    from kublint.engine import load_files
    from kublint.model.build import build, model_failure
    from kublint.rules.api import load as load_rule

    cfg = config if config is not None else Config()
    options: dict[str, Any] = {}
    cards = catalogue()
    for rule_id in ("CL101", "CL102", "CL103", "CL104"):
        if rule_id in cards:
            spec = load_rule(rule_id, cards[rule_id].name)
            options[rule_id] = build_options(rule_id, spec.options, cfg.options.get(rule_id))
    out = []
    for root in discover(paths or ["."], Path.cwd(), cfg.exclude):
        files = load_files(root, cfg.max_file_bytes, cfg.jobs, cfg.kinds)
        if not files:
            continue
        try:
            cluster = build(root.display, files, cfg.inventory_groups, cfg.environment)
            out.append(describe(cluster, options))
        except Exception as exc:  # a kublint bug: say where, without a traceback (check reports it as SY900)
            raise ModelError(f"{root.display}: {model_failure(exc)}") from exc
    return out


class ModelError(Exception):
    """The cluster model could not be built for a root (a kublint bug, reported without a traceback)."""
