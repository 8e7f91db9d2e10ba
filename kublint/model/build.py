"""Build the cluster model from parsed files: a pure function that extracts and joins facts, never judges
them. ``model/extract.py`` reads each file by its kind; this module joins the extracted facts (nodes, etcd,
endpoints, the load balancer) and derives what the rules ask of the cluster as a whole, once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kublint.model import endpoints as ep
from kublint.model import loadbalancer as lb
from kublint.model import sizing, vrrp
from kublint.model.cluster import Cluster
from kublint.model.etcd_join import join_etcd
from kublint.model.etcd_members import active_configs, voting_members
from kublint.model.extract import Extracted, extract
from kublint.model.files import Kind, ParsedFile
from kublint.model.join import join_nodes
from kublint.model.kubeadm import component_flags
from kublint.model.nodes import index_nodes
from kublint.model.types import CONTROL_PLANE, WORKER, Backup, Endpoint, Flag, Node, Sourced
from kublint.parsers.yaml import YamlDocument
from kublint.source import whole_file_span


def model_failure(exc: BaseException) -> str:
    """What to say when ``build`` raised: check reports it as SY900, topology as an internal error."""
    return f"building the cluster model failed: {type(exc).__name__}: {exc} (a kublint bug; please report it)"


def _flags(ex: Extracted) -> list[Flag]:
    out = [f for d in (*ex.kubeadm_docs, *ex.component_docs) for f in component_flags(d)]
    out += [f for pod in ex.pods for f in pod.flags]
    return out


def _backups(ex: Extracted) -> tuple[Backup, ...]:
    out = [*ex.backups, *(b for i in ex.installers for b in i.backups)]
    for i in ex.inventories:
        b = i.backups
        if b is not None and isinstance(b.value, dict) and b.value.get("schedule"):
            out.append(
                Backup(
                    "inventory", Sourced(str(b.value["schedule"]), b.span), b.span, "inventory backups.etcd"
                )
            )
    return tuple(out)


def _environment(ex: Extracted, given: str | None, root: str) -> Sourced[str] | None:
    env = next((i.environment for i in ex.inventories if i.environment), None)
    if not given:
        return env
    where = env.span if env else (ex.inventories[0].span if ex.inventories else whole_file_span(root))
    return Sourced(given, where)


def _worker_count(ex: Extracted, nodes: Sequence[Node]) -> int:
    declared = next((i.worker_count for i in ex.inventories if i.worker_count), None)
    return max(sum(1 for n in nodes if n.has(WORKER)), declared.value if declared else 0)


def _by_path(docs: Sequence[YamlDocument]) -> dict[str, tuple[YamlDocument, ...]]:
    out: dict[str, list[YamlDocument]] = {}
    for d in docs:
        out.setdefault(d.source.path, []).append(d)
    return {k: tuple(v) for k, v in out.items()}


def _backend_evidence(
    files: Sequence[ParsedFile], ex: Extracted, nodes: Sequence[Node], endpoints: Sequence[Endpoint]
) -> lb.BackendEvidence:
    """The API backends' servers as control-plane nodes, when no inventory or installer lists the control
    plane (model/loadbalancer.py): the API proxies are found as ``_derive`` finds them, from the nodes known
    without the evidence."""
    if any(n.in_inventory and n.has(CONTROL_PLANE) for n in nodes):
        return lb.NO_EVIDENCE
    if not any(f.kind is Kind.HAPROXY for f in files):
        return lb.NO_EVIDENCE
    index = index_nodes(nodes)
    cp = tuple(n for n in nodes if n.has(CONTROL_PLANE))
    server_ports = ep.server_api_ports(ep.bind_ports(ex.kubeadm_docs, cp), cp)
    distinct = ep.distinct_endpoints(endpoints, ex.kubeadm_docs)
    endpoint_ports = ep.endpoint_ports(distinct, ep.api_port(endpoints, ex.kubeadm_docs))
    proxies = lb.api_proxies(
        files, lb.Backends(tuple(nodes), index, cp, endpoint_ports, server_ports, lb.node_globs(files))
    )
    own = [*(h.value for i in ex.inventories for h in (i.lb_vip, i.lb_dns) if h),
           *(e.host for e in endpoints if e.host and index.find(e.host) is None)]
    return lb.backend_evidence(proxies, index, lb.own_hosts(files, own))


def build(
    root: str,
    files: list[ParsedFile],
    extra_groups: Mapping[str, list[str]] | None = None,
    environment: str | None = None,
) -> Cluster:
    every = tuple(files)
    ex = extract(every, extra_groups)
    nodes, anonymous = join_nodes(ex.inventories, ex.kubeadm_docs)
    configs = tuple(d for d in ex.kubeadm_docs if d.kind == "ClusterConfiguration")
    written = any(d.kind in ("ClusterConfiguration", "InitConfiguration") for d in ex.kubeadm_docs)
    installers = tuple(
        i._replace(endpoints=(), cert_sans=(), components=(), flags=(), etcd_timings=())
        if written and i.renders_kubeadm else i
        for i in ex.installers
    )
    endpoints = (*(e for d in configs if (e := ep.endpoint_of(d)) is not None),
                 *(e for i in installers for e in i.endpoints))
    evidence = _backend_evidence(every, ex, nodes, endpoints)
    if evidence.facts:
        nodes, anonymous = join_nodes(ex.inventories, ex.kubeadm_docs, evidence.facts)
    flags = _flags(ex) + [f for i in installers for f in i.flags]
    etcd = join_etcd(ex.etcd_docs, ex.etcd_configs, ex.pods, ex.kubeadm_docs, flags, nodes, ex.inventories,
                     evidence.where)
    inventory_span = ex.inventories[0].span if ex.inventories else None
    return _derive(
        Cluster(
            root=root,
            files=every,
            nodes=nodes,
            anonymous_cp_joins=anonymous,
            etcd_stacked=etcd.stacked,
            etcd_members=etcd.members,
            etcd_member_list=etcd.member_list,
            endpoints=endpoints,
            kubeadm_docs=tuple(ex.kubeadm_docs),
            cert_sans=(*(ep.cert_sans_of(d) for d in configs), *(s for i in installers for s in i.cert_sans)),
            lb_dns=next((i.lb_dns for i in ex.inventories if i.lb_dns), None),
            lb_vip=next((i.lb_vip for i in ex.inventories if i.lb_vip), None),
            environment=_environment(ex, environment, root),
            worker_count=_worker_count(ex, nodes),
            latency=tuple(lat for i in ex.inventories for lat in i.latency),
            backups=_backups(ex),
            flags=tuple(flags),
            etcd_timings=(*etcd.timings, *(t for i in installers for t in i.etcd_timings)),
            etcd_data_dirs=etcd.data_dirs,
            inventory_span=inventory_span,
            backups_span=next((i.backups_span for i in ex.inventories if i.backups_span), None),
            etcd_configs=etcd.configs,
            static_pods=tuple(ex.pods),
            certificates=tuple(ex.certificates),
            certificates_readable=ex.certificates_readable,
            vrrps=(),
            api_port=ep.api_port(endpoints, ex.kubeadm_docs),
            inventory_etcd_list=next((i.member_list for i in ex.inventories if i.member_list), None),
            installers=installers,
            components=tuple(c for i in installers for c in i.components),
            kubernetes_versions=tuple(i.kubernetes_version for i in installers if i.kubernetes_version),
            renewal_jobs=tuple(j for i in installers for j in i.renewal_jobs),
            upgrade_renewal_off=tuple(j for i in installers for j in i.upgrade_renewal_off),
            settings=tuple(s for i in installers for s in i.settings),
            control_plane=tuple(n for n in nodes if n.has(CONTROL_PLANE)),
            cluster_configurations=configs,
        )
    )


def _derive(c: Cluster) -> Cluster:
    """What the rules ask of the cluster as a whole, from the joined facts, once."""
    index = index_nodes(c.nodes)
    cp = c.control_plane
    bind_ports = ep.bind_ports(c.kubeadm_docs, cp)
    server_ports = ep.server_api_ports(bind_ports, cp)
    distinct = ep.distinct_endpoints(c.endpoints, c.kubeadm_docs)
    endpoint_ports = ep.endpoint_ports(distinct, c.api_port)
    proxies: tuple[lb.ApiProxy, ...] = ()
    vrrps: tuple[lb.Vrrp, ...] = ()
    if any(f.kind in (Kind.HAPROXY, Kind.KEEPALIVED) for f in c.files):
        globs = lb.node_globs(c.files)
        proxies = lb.api_proxies(
            c.files, lb.Backends(c.nodes, index, cp, endpoint_ports, server_ports, globs)
        )
        vrrps = lb.vrrps(c.files, c.nodes, globs)
    c = c._replace(
        vrrps=vrrps,
        node_index=index,
        docs_by_path=_by_path(c.kubeadm_docs),
        bind_ports=bind_ports,
        server_api_ports=server_ports,
        distinct_endpoints=distinct,
        endpoint_ports=endpoint_ports,
        api_proxies=proxies,
    )
    return c._replace(
        lb_addresses=lb.lb_addresses(c.vips, c.lb_vip, c.lb_dns, c.endpoints, index),
        peering=vrrp.peering(vrrps, c.nodes, c.files) if vrrps else vrrp.NO_PEERS,
        voting_members=voting_members(
            c.etcd_member_list, c.etcd_stacked, c.anonymous_cp_joins, c.inventory_span, cp, c.etcd_members
        ),
        active_etcd_configs=active_configs(c.etcd_configs, c.etcd_stacked),
        sizing=sizing.Sizing(
            sizing.node_count(c.nodes, c.worker_count, c.control_plane_count),
            sizing.etcd_topology(c.etcd_stacked, c.etcd_members, c.etcd_nodes(), cp),
            sizing.size_span(c.files, c.inventory_span),
            sizing.size_known(c.files, c.nodes),
        ),
    )
