"""The load balancer in front of the API servers: HAProxy's API frontend and backend, Keepalived's VRRP
instances and VIPs, and the host each file runs on.

The API frontend is the frontend or listen whose bind port is the controlPlaneEndpoint's port, or whose
backend's servers are control-plane nodes. A file belongs to a host by, in order: the inventory node's
``files:`` globs, a parent directory named after the node, the node's name inside the file name, or an
address the file binds or sends from (``bind 10.0.0.5:6443``, ``unicast_src_ip``). Server and peer
addresses never tie a file to a node. A file tied to no node runs on the inventory's ``lb`` nodes.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import PurePosixPath
from typing import NamedTuple

import kublint.net as net
from kublint.model.cluster import CONTROL_PLANE, LB, Node, Sourced
from kublint.model.files import ParsedFile
from kublint.model.haproxy import Proxy, backends, frontends
from kublint.model.keepalived import Vip, VrrpInstance, VrrpScript, vrrp_instances, vrrp_scripts
from kublint.parsers.haproxy import HaproxyConfig
from kublint.parsers.keepalived import KeepalivedConfig

DEFAULT_API_PORT = 6443
ANY_HOSTS = frozenset({"", "*", "0.0.0.0", "::", "[::]"})


class ApiLb(NamedTuple):
    """One HAProxy file's API frontend and backend (either may be missing)."""

    file: ParsedFile
    config: HaproxyConfig
    frontend: Proxy | None
    backend: Proxy | None
    hosts: tuple[str, ...]  # nodes this file runs on; empty when unknown


class Vrrp(NamedTuple):
    file: ParsedFile
    config: KeepalivedConfig
    instance: VrrpInstance
    scripts: tuple[VrrpScript, ...]  # the vrrp_script blocks of the same configuration
    hosts: tuple[str, ...]


def _name_parts(file_name: str) -> set[str]:
    """The file name cut at every character that cannot be in a node name, and the joins of neighbours
    (``keepalived-lb-1.conf`` holds ``lb``, ``1``, ``lb-1``, ``keepalived-lb-1`` ...)."""
    words = re.split(r"[^A-Za-z0-9_-]+", file_name)
    parts: set[str] = set()
    for w in words:
        pieces = w.split("-")
        for i in range(len(pieces)):
            for j in range(i + 1, len(pieces) + 1):
                parts.add("-".join(pieces[i:j]))
    return parts


def hosts_of(
    file: ParsedFile, nodes: tuple[Node, ...], own_addresses: list[str], node_globs: dict[str, list[str]]
) -> tuple[str, ...]:
    path = file.path
    for node in nodes:
        if any(
            fnmatch.fnmatch(path, g) or fnmatch.fnmatch(PurePosixPath(path).name, g)
            for g in node_globs.get(node.name, ())
        ):
            return (node.name,)
    parents = PurePosixPath(path).parent.parts
    for node in nodes:
        if node.name in parents:
            return (node.name,)
    parts = _name_parts(PurePosixPath(path).name)
    named = [n.name for n in nodes if n.name in parts]
    if len(named) == 1:
        return (named[0],)
    keys = {net.normalise_host(a) for a in own_addresses if a not in ANY_HOSTS}
    for node in nodes:
        if any(net.normalise_host(a.value) in keys for a in node.addresses):
            return (node.name,)
    return tuple(n.name for n in nodes if n.has(LB))


def _is_page(p: Proxy) -> bool:
    """A stats or monitoring page, not a proxy for the API."""
    return any(d.keyword in ("stats", "monitor-uri") for d in p.section.directives)


def _is_cp_server(host: str, cp_keys: set[str], cp_names: set[str]) -> bool:
    return net.normalise_host(host) in cp_keys or host in cp_names


def api_lbs(
    files: list[ParsedFile],
    nodes: tuple[Node, ...],
    endpoint_port: int | None,
    node_globs: dict[str, list[str]],
) -> list[ApiLb]:
    cp = [n for n in nodes if n.has(CONTROL_PLANE)]
    cp_keys = {net.normalise_host(a.value) for n in cp for a in n.addresses}
    cp_names = {n.name for n in cp}
    port = endpoint_port or DEFAULT_API_PORT
    out: list[ApiLb] = []
    for f in files:
        cfg = f.content
        if not isinstance(cfg, HaproxyConfig):
            continue
        by_name = {p.name.value: p for p in backends(cfg) if p.name is not None}
        chosen: tuple[Proxy | None, Proxy | None] | None = None
        candidates = []
        for fe in frontends(cfg):
            target = fe.default_backend
            be = fe if fe.kind == "listen" else (by_name.get(target.value) if target else None)
            serves_cp = be is not None and any(
                s.host is not None and _is_cp_server(s.host.value, cp_keys, cp_names) for s in be.servers
            )
            on_port = port in {a.port for b in fe.binds for a in b.addresses if a.port is not None}
            candidates.append((fe, be, serves_cp, on_port and not _is_page(fe)))
        # servers on the control plane say more than a port: a stats page may listen anywhere
        for fe, be, serves_cp, _ in candidates:
            if serves_cp:
                chosen = (fe, be)
                break
        else:
            for fe, be, _, on_port in candidates:
                if on_port:
                    chosen = (fe, be)
                    break
        if chosen is None:  # no frontend: a backend alone whose servers are the control plane
            for be in backends(cfg):
                if any(
                    s.host is not None and _is_cp_server(s.host.value, cp_keys, cp_names) for s in be.servers
                ):
                    chosen = (None, be)
                    break
        if chosen is None:
            continue
        front, back = chosen
        own = [a.host for b in (front.binds if front else ()) for a in b.addresses]
        out.append(ApiLb(f, cfg, front, back, hosts_of(f, nodes, own, node_globs)))
    return out


def vrrps(files: list[ParsedFile], nodes: tuple[Node, ...], node_globs: dict[str, list[str]]) -> list[Vrrp]:
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
            out.append(Vrrp(f, cfg, inst, scripts, hosts_of(f, nodes, own, node_globs)))
    return out


def vips(instances: list[Vrrp]) -> list[tuple[Vip, Vrrp]]:
    return [(v, r) for r in instances for v in r.instance.vips]


def bind_ips(lbs: list[ApiLb]) -> list[Sourced[str]]:
    """Specific addresses the API frontends bind (not ``*`` or ``0.0.0.0``): addresses clients use."""
    out = []
    for lb in lbs:
        if lb.frontend is None:
            continue
        for b in lb.frontend.binds:
            for a in b.addresses:
                if a.host not in ANY_HOSTS and net.ip(a.host) is not None and not net.ip(a.host).is_loopback:  # type: ignore[union-attr]
                    out.append(Sourced(a.host, a.span))
    return out
