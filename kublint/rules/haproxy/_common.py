"""What the HAProxy rules share: each HAProxy file's API frontend and backend, and the control-plane node each
backend server stands for.

**The API frontend** (RULES.md, family HP) is the ``frontend``/``listen`` whose bind port is the
controlPlaneEndpoint's port, or whose backend's servers are control-plane nodes. The model
(``cluster.api_lbs``) takes the first frontend in file order that meets either; the rules rank the candidates
instead, so that a ``listen stats`` on the endpoint's port does not hide the real API frontend:

1. ``servers``: a frontend whose backend has a server that is a control-plane node (by address, by DNS name,
   or by server name when the node's address is unknown);
2. ``port``: a frontend that binds the endpoint's port (the API server's bindPort, 6443 by default, when no
   controlPlaneEndpoint is known), first those whose backend has servers, then those that are not a stats or
   monitor page. When the ClusterConfigurations disagree on the endpoint (CL106) no port is trusted;
3. ``server-port``: otherwise, a frontend whose backend's servers all target the API server's port (6443 by
   default): a standalone HAProxy file with no kubeadm configuration or inventory beside it.

A backend with no frontend pointing at it counts when its servers are control-plane nodes (or, last, all on
the API port). Rules that compare the file with the rest of the cluster (HP101, HP102, HP104, HP105) only use
the first two kinds: a file found by its server ports alone is not known to serve this cluster's control
plane.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import kublint.net as net
from kublint.findings import Related
from kublint.model.cluster import CONTROL_PLANE, Cluster, Node, Sourced
from kublint.model.files import Kind, ParsedFile
from kublint.model.haproxy import Proxy, Server, backends, frontends
from kublint.model.loadbalancer import ANY_HOSTS, DEFAULT_API_PORT, hosts_of
from kublint.parsers.haproxy import Address, Directive, HaproxyConfig
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


# --- hosts and addresses ------------------------------------------------------------------------------------


def short(name: str) -> str:
    return name.strip().rstrip(".").lower().split(".", 1)[0]


def _same_name(a: str, b: str) -> bool:
    """Host names, exactly or by their first label when one of them is a short name (``cp1`` and
    ``cp1.example.com``); IP addresses never match here."""
    if net.ip(a) is not None or net.ip(b) is not None:
        return False
    x, y = a.strip().rstrip(".").lower(), b.strip().rstrip(".").lower()
    if not x or not y:
        return False
    return x == y or (("." not in x or "." not in y) and short(x) == short(y))


def node_has_address(node: Node, host: str) -> bool:
    key = net.normalise_host(host)
    return any(net.normalise_host(a.value) == key for a in node.addresses)


def node_is_named(node: Node, host: str) -> bool:
    return _same_name(node.name, host)


class _Index(NamedTuple):
    by_address: dict[str, Node]
    by_name: dict[str, Node]
    by_short: dict[str, list[Node]]


_INDEXES: list[tuple[Cluster, _Index]] = []


def _index(cluster: Cluster) -> _Index:
    for c, found in _INDEXES:
        if c is cluster:
            return found
    by_address: dict[str, Node] = {}
    by_name: dict[str, Node] = {}
    by_short: dict[str, list[Node]] = {}
    for n in cluster.nodes:
        for a in n.addresses:
            by_address.setdefault(net.normalise_host(a.value), n)
        if net.ip(n.name) is None:
            by_name.setdefault(n.name.strip().rstrip(".").lower(), n)
            by_short.setdefault(short(n.name), []).append(n)
    idx = _Index(by_address, by_name, by_short)
    _INDEXES[:] = [*_INDEXES[-3:], (cluster, idx)]
    return idx


def find_node(cluster: Cluster, host: str) -> Node | None:
    """The node (any role) whose address or name (or short name) is ``host``; addresses first."""
    idx = _index(cluster)
    found = idx.by_address.get(net.normalise_host(host))
    if found is not None or net.ip(host) is not None:
        return found
    name = host.strip().rstrip(".").lower()
    if name in idx.by_name:
        return idx.by_name[name]
    for n in idx.by_short.get(short(name), ()):
        if _same_name(n.name, host):
            return n
    return None


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    addr = net.ip(host)
    return addr is not None and addr.is_loopback


def is_any(host: str) -> bool:
    return host in ANY_HOSTS


def port_in(address: Address, port: int) -> bool:
    if address.port is None:
        return False
    end = address.port_end if address.port_end is not None else address.port
    return address.port <= port <= end


def has_port_offset(address: Address) -> bool:
    """``server s 10.0.0.1:+1000``: a port relative to the one the client connected to."""
    text = address.text
    return ":" in text and text.rsplit(":", 1)[1][:1] in "+-"


# --- kubeadm's bindPort per node ----------------------------------------------------------------------------


_BIND_PORTS: list[tuple[Cluster, dict[str, Sourced[int]]]] = []


def bind_ports(cluster: Cluster) -> dict[str, Sourced[int]]:
    """Each control-plane node's API server port from its Init or JoinConfiguration
    (``localAPIEndpoint.bindPort``), keyed by node name; nodes not listed use 6443."""
    for c, found in _BIND_PORTS:
        if c is cluster:
            return found
    out = _bind_ports(cluster)
    _BIND_PORTS[:] = [*_BIND_PORTS[-3:], (cluster, out)]
    return out


def _bind_ports(cluster: Cluster) -> dict[str, Sourced[int]]:
    out: dict[str, Sourced[int]] = {}
    for doc in cluster.kubeadm_docs:
        if doc.kind == "InitConfiguration":
            base: tuple[str, ...] = ("localAPIEndpoint",)
        elif doc.kind == "JoinConfiguration" and doc.has("controlPlane"):
            base = ("controlPlane", "localAPIEndpoint")
        else:
            continue
        port = doc.get(*base, "bindPort")
        if not isinstance(port, int) or isinstance(port, bool):
            continue
        name = doc.get("nodeRegistration", "name")
        addr = doc.get(*base, "advertiseAddress")
        for n in cluster.control_plane:
            named = isinstance(name, str) and n.name == name
            if named or (isinstance(addr, str) and node_has_address(n, addr)):
                out.setdefault(n.name, Sourced(port, doc.loc(*base, "bindPort")))
    return out


def api_port_of(cluster: Cluster, node: Node) -> int:
    found = bind_ports(cluster).get(node.name)
    return found.value if found else DEFAULT_API_PORT


def server_api_ports(cluster: Cluster) -> set[int]:
    """The ports API servers listen on: every bindPort kubeadm sets, and 6443 for the nodes that set none."""
    declared = bind_ports(cluster)
    ports = {p.value for p in declared.values()}
    if not declared or len(declared) < len(cluster.control_plane):
        ports.add(DEFAULT_API_PORT)
    return ports


def distinct_endpoints(cluster: Cluster) -> list[tuple[str, int, Sourced[str]]]:
    """(host, port, where) of each different controlPlaneEndpoint; a missing port is kubeadm's bindPort."""
    default = _init_bind_port(cluster)
    out: list[tuple[str, int, Sourced[str]]] = []
    for e in cluster.endpoints:
        if e.host is None:
            continue
        port = e.port if e.port is not None else default
        if all(not (net.same_host(h, e.host) and p == port) for h, p, _ in out):
            out.append((e.host, port, e.raw))
    return out


def _init_bind_port(cluster: Cluster) -> int:
    for doc in cluster.kubeadm_docs:
        if doc.kind == "InitConfiguration":
            v = doc.get("localAPIEndpoint", "bindPort")
            if isinstance(v, int) and not isinstance(v, bool):
                return v
    return DEFAULT_API_PORT


def endpoint_ports(cluster: Cluster) -> set[int] | None:
    """The port clients reach the API on: the endpoint's, else the API server's. None when the
    ClusterConfigurations name more than one endpoint (CL106), so no port can be trusted."""
    eps = distinct_endpoints(cluster)
    if len(eps) > 1:
        return None
    if eps:
        return {eps[0][1]}
    return {cluster.api_port}


# --- identifying the API frontend and backend ---------------------------------------------------------------


def _backend_of(config: HaproxyConfig, fe: Proxy) -> Proxy | None:
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


def cp_node_for(cluster: Cluster, server: Server, hosts: tuple[str, ...]) -> Node | None:
    """The control-plane node a server stands for: by address, by DNS name, a loopback address on a host that
    is a control-plane node, or by the server's name when that node's address is unknown."""
    node = node_for_host(cluster, server)
    if node is not None:
        return node if node.has(CONTROL_PLANE) else None
    host = server.host.value if server.host else ""
    if host and is_loopback(host):
        local = [n for n in cluster.control_plane if n.name in hosts]
        return local[0] if len(local) == 1 else None
    if server.name is not None:
        for n in cluster.control_plane:
            if not n.addresses and (node_is_named(n, server.name.value) or (host and node_is_named(n, host))):
                return n
    return None


def node_for_host(cluster: Cluster, server: Server) -> Node | None:
    """The node (any role) whose address or name is the server's host."""
    return find_node(cluster, server.host.value) if server.host is not None else None


def _serves_cp(cluster: Cluster, be: Proxy | None, hosts: tuple[str, ...]) -> bool:
    return be is not None and any(cp_node_for(cluster, s, hosts) is not None for s in be.servers)


def _on_api_port(be: Proxy | None, ports: set[int]) -> bool:
    if be is None:
        return False
    found = [s.port.value for s in be.servers if s.port is not None]
    return bool(found) and len(found) == len(be.servers) and all(p in ports for p in found)


def node_globs(cluster: Cluster) -> dict[str, list[str]]:
    """The native inventory's per-node ``files:`` globs."""
    out: dict[str, list[str]] = {}
    for f in cluster.files:
        if f.kind is not Kind.INVENTORY:
            continue
        for d in f.documents:
            raw = d.get("nodes")
            for n in raw if isinstance(raw, list) else []:
                if not isinstance(n, dict):
                    continue
                if isinstance(n.get("name"), str) and isinstance(n.get("files"), list):
                    out[n["name"]] = [str(g) for g in n["files"]]
    return out


def _hosts(cluster: Cluster, f: ParsedFile, fe: Proxy | None) -> tuple[str, ...]:
    for lb in cluster.api_lbs:
        if lb.file is f:
            return lb.hosts
    own = [a.host for b in (fe.binds if fe else ()) for a in b.addresses]
    return hosts_of(f, cluster.nodes, own, node_globs(cluster))


def _identify(cluster: Cluster, f: ParsedFile, config: HaproxyConfig) -> ApiProxy | None:
    ports = endpoint_ports(cluster)
    api_ports = server_api_ports(cluster)
    model_hosts = _hosts(cluster, f, None)
    ranked: list[tuple[int, int, Proxy | None, Proxy | None, str]] = []
    fes = frontends(config)
    for i, fe in enumerate(fes):
        be = _backend_of(config, fe)
        bound = {p for b in fe.binds for a in b.addresses for p in (ports or ()) if port_in(a, p)}
        if _serves_cp(cluster, be, model_hosts):
            ranked.append((0, i, fe, be, SERVERS))
        elif bound and be is not None and be.servers:
            ranked.append((1, i, fe, be, PORT))
        elif bound and not _is_page(fe) and (be is None or not _is_page(be)):
            ranked.append((2, i, fe, be, PORT))
        elif _on_api_port(be, api_ports):
            ranked.append((4, i, fe, be, SERVER_PORT))
    referenced = {b.section.name.value for fe in fes if (b := _backend_of(config, fe)) and b.section.name}
    for i, be in enumerate(backends(config)):
        if be.kind == "listen" or (be.name is not None and be.name.value in referenced):
            continue
        if _serves_cp(cluster, be, model_hosts):
            ranked.append((3, i, None, be, SERVERS))
        elif _on_api_port(be, api_ports):
            ranked.append((5, i, None, be, SERVER_PORT))
    if not ranked:
        return None
    _, _, front, back, how = min(ranked, key=lambda r: (r[0], r[1]))
    return ApiProxy(f, config, front, back, _hosts(cluster, f, front), how)


_CACHE: list[tuple[Cluster, list[ApiProxy]]] = []


def api_proxies(cluster: Cluster) -> list[ApiProxy]:
    """Each HAProxy file's API frontend and backend (see the module's docstring)."""
    for c, found in _CACHE:
        if c is cluster:
            return found
    out = []
    for f in cluster.files:
        if isinstance(f.content, HaproxyConfig):
            found_one = _identify(cluster, f, f.content)
            if found_one is not None:
                out.append(found_one)
    _CACHE[:] = [*_CACHE[-3:], (cluster, out)]
    return out


def tied_proxies(cluster: Cluster) -> list[ApiProxy]:
    return [p for p in api_proxies(cluster) if p.tied]


# --- where a finding goes -----------------------------------------------------------------------------------


def at_proxy(proxy: Proxy, directive: Directive | None, what: str = "") -> tuple[Span, tuple[Related, ...]]:
    """A directive's own span when the proxy itself holds it; otherwise the proxy's header line, with the
    inherited line (a ``defaults`` section's) as related."""
    if directive is None:
        return proxy.section.header.span, ()
    if any(d is directive for d in proxy.section.directives):
        return directive.span, ()
    owner = next((s for s in proxy.config.sections if any(d is directive for d in s.directives)), None)
    label = owner.label if owner is not None else "defaults"
    return proxy.section.header.span, (Related(directive.span, what or f"inherited from {label}"),)


def is_fragment(config: HaproxyConfig) -> bool:
    """A file with neither ``global`` nor ``defaults``: a piece appended to (or loaded after) another file,
    whose ``defaults`` it may inherit, so settings it lacks may well be set there."""
    return not any(s.kind in ("global", "defaults") for s in config.sections)


def word_span(directive: Directive, value: str) -> Span | None:
    for w in directive.words:
        if w.value == value:
            return w.span
    return None


def label(proxy: Proxy) -> str:
    return proxy.section.label


def anchor(proxy: Proxy, *parts: str) -> str:
    return "/".join((proxy.section.label, *parts))


def server_label(s: Server) -> str:
    name = s.name.value if s.name else "?"
    addr = s.address.text if s.address else "?"
    return f"server {name} ({addr})"


# --- load-balancer addresses --------------------------------------------------------------------------------


def lb_addresses(cluster: Cluster) -> list[tuple[Sourced[str], str]]:
    """Addresses of the load balancer itself: Keepalived VIPs, the inventory's LB VIP and DNS name, and the
    controlPlaneEndpoint host, unless that is a control-plane node (KA103's case)."""
    out: list[tuple[Sourced[str], str]] = [(v, "Keepalived VIP") for v in cluster.vips]
    if cluster.lb_vip:
        out.append((cluster.lb_vip, "load-balancer VIP in the inventory"))
    if cluster.lb_dns:
        out.append((cluster.lb_dns, "load-balancer DNS name in the inventory"))
    for e in cluster.endpoints:
        if e.host and find_node(cluster, e.host) is None:
            out.append((Sourced(e.host, e.raw.span), "controlPlaneEndpoint host"))
    by_address = _index(cluster).by_address
    return [(a, why) for a, why in out
            if not ((n := by_address.get(net.normalise_host(a.value))) is not None and n.has(CONTROL_PLANE))]


def frontend_binds(p: ApiProxy) -> Iterator[tuple[Address, Directive]]:
    if p.frontend is None:
        return
    for b in p.frontend.binds:
        for a in b.addresses:
            yield a, b.directive
