"""The load balancer in front of the API servers: each HAProxy file's API frontend and backend, Keepalived's
VRRP instances and VIPs, the host each file runs on, and the control-plane node behind each server.

**The API frontend** (RULES.md, family HP) is the ``frontend``/``listen`` whose bind port is the
controlPlaneEndpoint's port, or whose backend's servers are control-plane nodes. Candidates are ranked, so
that a ``listen stats`` on the endpoint's port does not hide the real API frontend:

1. ``servers``: a frontend whose backend has a server that is a control-plane node (by address, by DNS name,
   or by server name when the node's address is unknown), first those that bind the endpoint's port or
   whose servers target the API server's port (RKE2's supervisor frontend on 9345 has the same servers);
2. ``port``: a frontend that binds the endpoint's port (the API server's bindPort, 6443 by default, when no
   controlPlaneEndpoint is known), first those whose backend has servers, then those that are not a stats or
   monitor page. When the ClusterConfigurations disagree on the endpoint (CL106) no port is trusted;
3. ``server-port``: otherwise, a frontend whose backend's servers all target the API server's port (6443 by
   default): a standalone HAProxy file with no kubeadm configuration or inventory beside it.

A backend with no frontend pointing at it counts when its servers are control-plane nodes (or, last, all on
the API port). A proxy found by the first two kinds is *tied* to this cluster's control plane; one found by
its server ports alone is not known to serve it.

A file belongs to a host by, in order: the inventory node's ``files:`` globs, a parent directory named after
the node, the node's name inside the file name, or an address the file binds or sends from
(``bind 10.0.0.5:6443``, ``unicast_src_ip``). Server and peer addresses never tie a file to a node. A file
tied to no node runs on the inventory's ``lb`` nodes.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import NamedTuple

import kublint.net as net
from kublint.model.facts import NodeFact
from kublint.model.files import Kind, ParsedFile
from kublint.model.haproxy import Proxy, Server, backends, frontends, is_any, port_in
from kublint.model.keepalived import VrrpInstance, VrrpScript, vrrp_instances, vrrp_scripts
from kublint.model.nodes import NodeIndex, node_is_named
from kublint.model.types import CONTROL_PLANE, LB, Endpoint, Node, Sourced
from kublint.parsers.haproxy import HaproxyConfig
from kublint.parsers.keepalived import KeepalivedConfig
from kublint.placeholders import XADDR, has_placeholder
from kublint.source import Span

SERVERS, PORT, SERVER_PORT = "servers", "port", "server-port"


class ApiProxy(NamedTuple):
    """One HAProxy file's API frontend and backend (either may be missing), and how they were found."""

    file: ParsedFile
    config: HaproxyConfig
    frontend: Proxy | None
    backend: Proxy | None
    hosts: tuple[str, ...]  # the nodes this file runs on; empty when unknown
    how: str  # SERVERS, PORT or SERVER_PORT

    @property
    def tied(self) -> bool:
        """Tied to this cluster's control plane by its servers or by the endpoint's port."""
        return self.how != SERVER_PORT

    @property
    def proxies(self) -> tuple[Proxy, ...]:
        """The frontend and the backend, once each (a ``listen`` is both)."""
        out: list[Proxy] = []
        for p in (self.frontend, self.backend):
            if p is not None and all(p.section is not q.section for q in out):
                out.append(p)
        return tuple(out)


class Vrrp(NamedTuple):
    file: ParsedFile
    config: KeepalivedConfig
    instance: VrrpInstance
    scripts: tuple[VrrpScript, ...]  # the vrrp_script blocks of the same configuration
    hosts: tuple[str, ...]


# --- which host a file runs on ------------------------------------------------------------------------------


def node_globs(files: Iterable[ParsedFile]) -> dict[str, list[str]]:
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


def _name_parts(file_name: str) -> set[str]:
    """The file name cut at every character that cannot be in a node name, and the joins of neighbours
    (``keepalived-lb-1.conf`` holds ``lb``, ``1``, ``lb-1``, ``keepalived-lb-1`` ...)."""
    parts: set[str] = set()
    for w in re.split(r"[^A-Za-z0-9_-]+", file_name):
        pieces = w.split("-")
        for i in range(len(pieces)):
            for j in range(i + 1, len(pieces) + 1):
                parts.add("-".join(pieces[i:j]))
    return parts


def hosts_of(
    file: ParsedFile, nodes: Sequence[Node], own_addresses: list[str], globs: dict[str, list[str]]
) -> tuple[str, ...]:
    path = file.path
    name = PurePosixPath(path).name
    for node in nodes:
        if any(fnmatch.fnmatch(path, g) or fnmatch.fnmatch(name, g) for g in globs.get(node.name, ())):
            return (node.name,)
    parents = PurePosixPath(path).parent.parts
    for node in nodes:
        if node.name in parents:
            return (node.name,)
    parts = _name_parts(name)
    named = [n.name for n in nodes if n.name in parts]
    if len(named) == 1:
        return (named[0],)
    keys = {net.normalise_host(a) for a in own_addresses if not is_any(a)}
    for node in nodes:
        if any(net.normalise_host(a.value) in keys for a in node.addresses):
            return (node.name,)
    return tuple(n.name for n in nodes if n.has(LB))


# --- the control-plane node behind a server -----------------------------------------------------------------


class Backends(NamedTuple):
    """What identifying the API proxies needs to know of the rest of the cluster."""

    nodes: tuple[Node, ...]
    node_index: NodeIndex
    control_plane: tuple[Node, ...]
    endpoint_ports: frozenset[int] | None
    server_api_ports: frozenset[int]
    globs: dict[str, list[str]]


def cp_node_for(
    index: NodeIndex, control_plane: Sequence[Node], server: Server, hosts: tuple[str, ...]
) -> Node | None:
    """The control-plane node a server stands for: by address, by DNS name, a loopback address on a host that
    is a control-plane node, or by the server's name when that node's address is unknown."""
    node = index.find(server.host.value) if server.host is not None else None
    if node is not None:
        return node if node.has(CONTROL_PLANE) else None
    host = server.host.value if server.host else ""
    if host and net.is_loopback(host):
        local = [n for n in control_plane if n.name in hosts]
        return local[0] if len(local) == 1 else None
    if server.name is not None:
        for n in control_plane:
            if not n.addresses and (node_is_named(n, server.name.value) or (host and node_is_named(n, host))):
                return n
    return None


# --- identifying the API frontend and backend ---------------------------------------------------------------


def backend_of(config: HaproxyConfig, fe: Proxy) -> Proxy | None:
    if fe.kind == "listen":
        return fe
    by_name = {p.name.value: p for p in backends(config) if p.name is not None}
    if fe.default_backend is not None:
        return by_name.get(fe.default_backend.value)
    targets = {u.value for u in fe.use_backends}
    if len(targets) == 1:
        return by_name.get(targets.pop())
    return None


def _is_page(p: Proxy) -> bool:
    """A stats or monitor page: serves HAProxy's own answers, forwards nothing."""
    return not p.servers and any(d.keyword in ("stats", "monitor-uri") for d in p.section.directives)


def _serves_cp(ctx: Backends, be: Proxy | None, hosts: tuple[str, ...]) -> bool:
    if be is None:
        return False
    return any(cp_node_for(ctx.node_index, ctx.control_plane, s, hosts) for s in be.servers)


def _on_api_port(be: Proxy | None, ports: frozenset[int]) -> bool:
    if be is None:
        return False
    found = [s.port.value for s in be.servers if s.port is not None]
    return bool(found) and len(found) == len(be.servers) and all(p in ports for p in found)


def _rank_frontend(
    ctx: Backends, config: HaproxyConfig, fe: Proxy, hosts: tuple[str, ...]
) -> tuple[int, str] | None:
    be = backend_of(config, fe)
    bound = any(port_in(a, p) for b in fe.binds for a in b.addresses for p in (ctx.endpoint_ports or ()))
    if _serves_cp(ctx, be, hosts):  # on the API port first: RKE2's supervisor (9345) has the same servers
        return (0 if bound or _on_api_port(be, ctx.server_api_ports) else 1), SERVERS
    if bound and be is not None and be.servers:
        return 2, PORT
    if bound and not _is_page(fe) and (be is None or not _is_page(be)):
        return 3, PORT
    if _on_api_port(be, ctx.server_api_ports):
        return 5, SERVER_PORT
    return None


def identify(ctx: Backends, f: ParsedFile, config: HaproxyConfig) -> ApiProxy | None:
    fes = frontends(config)
    own = [a.host for fe in fes for b in fe.binds for a in b.addresses]
    hosts = hosts_of(f, ctx.nodes, own, ctx.globs)
    ranked: list[tuple[int, int, Proxy | None, Proxy | None, str]] = []
    for i, fe in enumerate(fes):
        found = _rank_frontend(ctx, config, fe, hosts)
        if found is not None:
            ranked.append((found[0], i, fe, backend_of(config, fe), found[1]))
    referenced = {b.section.name.value for fe in fes if (b := backend_of(config, fe)) and b.section.name}
    for i, be in enumerate(backends(config)):
        if be.kind == "listen" or (be.name is not None and be.name.value in referenced):
            continue
        if _serves_cp(ctx, be, hosts):
            ranked.append((4, i, None, be, SERVERS))
        elif _on_api_port(be, ctx.server_api_ports):
            ranked.append((6, i, None, be, SERVER_PORT))
    if not ranked:
        return None
    _, _, front, back, how = min(ranked, key=lambda r: (r[0], r[1]))
    return ApiProxy(f, config, front, back, hosts, how)


def api_proxies(files: Iterable[ParsedFile], ctx: Backends) -> tuple[ApiProxy, ...]:
    """Each HAProxy file's API frontend and backend (see the module's docstring)."""
    out = []
    for f in files:
        if isinstance(f.content, HaproxyConfig) and (found := identify(ctx, f, f.content)) is not None:
            out.append(found)
    return tuple(out)


def vrrps(
    files: Sequence[ParsedFile], nodes: Sequence[Node], globs: dict[str, list[str]]
) -> tuple[Vrrp, ...]:
    included = {
        p
        for f in files
        if isinstance(f.content, KeepalivedConfig)
        for inc in f.content.includes
        for p in inc.files
    }
    out: list[Vrrp] = []
    for f in files:
        cfg = f.content
        if not isinstance(cfg, KeepalivedConfig) or f.path in included:
            continue  # an included file is read as part of the file that includes it
        scripts = tuple(vrrp_scripts(cfg))
        for inst in vrrp_instances(cfg):
            own = [inst.unicast_src_ip.value] if inst.unicast_src_ip else []
            out.append(Vrrp(f, cfg, inst, scripts, hosts_of(f, nodes, own, globs)))
    return tuple(out)


# --- addresses of the load balancer -------------------------------------------------------------------------


def bind_ips(proxies: Iterable[ApiProxy]) -> tuple[Sourced[str], ...]:
    """Specific addresses the API frontends bind (not ``*``, ``0.0.0.0``, loopback): addresses clients use."""
    out = []
    for p in proxies:
        for b in p.frontend.binds if p.frontend is not None else ():
            for a in b.addresses:
                if not is_any(a.host) and net.ip(a.host) is not None and not net.is_loopback(a.host):
                    out.append(Sourced(a.host, a.span))
    return tuple(out)


def lb_addresses(
    vips: Iterable[Sourced[str]],
    lb_vip: Sourced[str] | None,
    lb_dns: Sourced[str] | None,
    endpoints: Iterable[Endpoint],
    index: NodeIndex,
) -> tuple[tuple[Sourced[str], str], ...]:
    """Addresses of the load balancer itself: Keepalived VIPs, the inventory's LB VIP and DNS name, and the
    controlPlaneEndpoint host, unless that is a control-plane node (KA103's case)."""
    out: list[tuple[Sourced[str], str]] = [(v, "Keepalived VIP") for v in vips]
    if lb_vip:
        out.append((lb_vip, "load-balancer VIP in the inventory"))
    if lb_dns:
        out.append((lb_dns, "load-balancer DNS name in the inventory"))
    for e in endpoints:
        if e.host and index.find(e.host) is None:
            out.append((Sourced(e.host, e.raw.span), "controlPlaneEndpoint host"))
    return tuple(
        (a, why)
        for a, why in out
        if not ((n := index.by_address.get(net.normalise_host(a.value))) is not None and n.has(CONTROL_PLANE))
    )


# --- the API backend as evidence of the control plane -------------------------------------------------------

INFERRED_FROM_BACKEND = "HAProxy API backend"


class BackendEvidence(NamedTuple):
    """Control-plane nodes the API backends name while no inventory lists the control plane."""

    facts: tuple[NodeFact, ...]  # one a server line, marked ``extra["inferred_from"]``
    where: Span | None  # the first backend that names them: the list of control-plane nodes to change


NO_EVIDENCE = BackendEvidence((), None)


def own_hosts(files: Iterable[ParsedFile], lb_hosts: Iterable[str]) -> set[str]:
    """The load balancer's own addresses: Keepalived VIPs and the given ones (a server there is a loop)."""
    out = {net.normalise_host(h) for h in lb_hosts}
    for f in files:
        if isinstance(f.content, KeepalivedConfig):
            out |= {net.normalise_host(v.address.value) for i in vrrp_instances(f.content) for v in i.vips}
    return out


def _evidence_host(server: Server, index: NodeIndex, lb: set[str]) -> Sourced[str] | None:
    """The host a server line names, when it can be a control-plane node of its own: a written address or
    name, not a placeholder, loopback, wildcard or the load balancer's own address, nor a node that has
    another role only (HP102 says so)."""
    if server.directive.keyword != "server" or server.host is None:
        return None
    host = server.host
    h = host.value.strip()
    if not h or has_placeholder(h) or XADDR.search(h) is not None or is_any(h) or net.is_loopback(h):
        return None
    if net.normalise_host(h) in lb:
        return None
    known = index.find(h)
    if known is not None and not known.has(CONTROL_PLANE):
        return None
    return host


def backend_evidence(proxies: Iterable[ApiProxy], index: NodeIndex, lb_hosts: set[str]) -> BackendEvidence:
    """Each server of a tied API backend as a control-plane node fact, for the assembler to join when no
    inventory lists the control plane. A server named like a node of another address gives its address only,
    so that a label never merges two machines."""
    facts: list[NodeFact] = []
    where: Span | None = None
    for p in proxies:
        be = p.backend
        if not p.tied or be is None:
            continue
        for s in be.servers:
            host = _evidence_host(s, index, lb_hosts)
            if host is None:
                continue
            name = s.name
            if name is not None:
                same = index.find(name.value)
                if same is not None and same.addresses and not any(
                    net.same_host(a.value, host.value) for a in same.addresses
                ):
                    name = None
            label = f"server {s.name.value if s.name else host.value} of the {INFERRED_FROM_BACKEND}"
            facts.append(NodeFact(name, [host], {CONTROL_PLANE}, s.directive.span, label,
                                  extra={"inferred_from": INFERRED_FROM_BACKEND}))
            where = where or be.section.header.span
    return BackendEvidence(tuple(facts), where) if facts else NO_EVIDENCE
