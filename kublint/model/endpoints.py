"""Where clients reach the API: each ClusterConfiguration's controlPlaneEndpoint and certSANs, and the ports
the API servers listen on (kubeadm's ``localAPIEndpoint.bindPort``, 6443 by default)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

import kublint.net as net
from kublint.model.nodes import node_has_address
from kublint.model.types import CertSANs, Endpoint, Node, Sourced
from kublint.parsers.yaml import YamlDocument

DEFAULT_API_PORT = 6443


def endpoint_of(d: YamlDocument) -> Endpoint | None:
    raw = d.get("controlPlaneEndpoint")
    if not isinstance(raw, str) or not raw.strip():
        return None
    hp = net.parse_host_port(raw)
    return Endpoint(
        Sourced(raw.strip(), d.loc("controlPlaneEndpoint")),
        hp.host if hp else None,
        hp.port if hp else None,
        d.anchor,
    )


def kubernetes_service_names(dns_domain: str, service_subnet: object) -> list[str]:
    """The names and address every API server certificate carries (kubeadm's and the installers' alike)."""
    names = ["kubernetes", "kubernetes.default", "kubernetes.default.svc",
             f"kubernetes.default.svc.{dns_domain}"]
    first = first_service_ip(service_subnet)
    return names + ([first] if first else [])


def first_service_ip(subnet: object) -> str:
    """The address the kubernetes Service gets: the subnet's network address + 1 ("" if none)."""
    text = subnet if isinstance(subnet, str) and subnet.strip() else "10.96.0.0/12"
    try:
        network = ipaddress.ip_network(text.split(",")[0].strip(), strict=False)
    except ValueError:
        return ""
    if network.num_addresses < 2:  # a /32 (or /128) has no second address; kubeadm rejects it
        return ""
    return str(network.network_address + 1)


def cert_sans_of(d: YamlDocument) -> CertSANs:
    raw = d.get("apiServer", "certSANs")
    entries = tuple(
        Sourced(str(s), d.loc("apiServer", "certSANs", k))
        for k, s in enumerate(raw if isinstance(raw, list) else [])
        if isinstance(s, str | int | float)
    )
    key = d.loc("apiServer", "certSANs", key=True) if d.has("apiServer", "certSANs") else None
    domain = d.get("networking", "dnsDomain")
    implicit = kubernetes_service_names(domain if isinstance(domain, str) and domain else "cluster.local",
                                        d.get("networking", "serviceSubnet"))
    endpoint = d.get("controlPlaneEndpoint")
    hp = net.parse_host_port(endpoint) if isinstance(endpoint, str) else None
    if hp:
        implicit.append(hp.host)
    where = d.loc("controlPlaneEndpoint") if d.has("controlPlaneEndpoint") else d.kind_span()
    return CertSANs(entries, key, tuple(n for n in implicit if n), where, d.anchor)


def _port(v: object) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def api_port(endpoints: Iterable[Endpoint], docs: Iterable[YamlDocument]) -> int:
    """The controlPlaneEndpoint's port, else the first bindPort kubeadm is given, else 6443."""
    for e in endpoints:
        if e.port:
            return e.port
    for d in docs:
        for path in (("localAPIEndpoint", "bindPort"), ("controlPlane", "localAPIEndpoint", "bindPort")):
            if (p := _port(d.get(*path))) is not None:
                return p
    return DEFAULT_API_PORT


def bind_ports(docs: Iterable[YamlDocument], control_plane: Sequence[Node]) -> dict[str, Sourced[int]]:
    """Each control-plane node's API server port from its Init or JoinConfiguration
    (``localAPIEndpoint.bindPort``), keyed by node name; nodes not listed use 6443."""
    out: dict[str, Sourced[int]] = {}
    for doc in docs:
        if doc.kind == "InitConfiguration":
            base: tuple[str, ...] = ("localAPIEndpoint",)
        elif doc.kind == "JoinConfiguration" and doc.has("controlPlane"):
            base = ("controlPlane", "localAPIEndpoint")
        else:
            continue
        port = _port(doc.get(*base, "bindPort"))
        if port is None:
            continue
        name = doc.get("nodeRegistration", "name")
        addr = doc.get(*base, "advertiseAddress")
        for n in control_plane:
            if (isinstance(name, str) and n.name == name) or (
                isinstance(addr, str) and node_has_address(n, addr)
            ):
                out.setdefault(n.name, Sourced(port, doc.loc(*base, "bindPort")))
    return out


def server_api_ports(declared: dict[str, Sourced[int]], control_plane: Sequence[Node]) -> frozenset[int]:
    """The ports API servers listen on: every bindPort kubeadm sets, and 6443 for the nodes that set none."""
    ports = {p.value for p in declared.values()}
    if not declared or len(declared) < len(control_plane):
        ports.add(DEFAULT_API_PORT)
    return frozenset(ports)


def distinct_endpoints(
    endpoints: Iterable[Endpoint], docs: Iterable[YamlDocument]
) -> tuple[tuple[str, int, Sourced[str]], ...]:
    """(host, port, where) of each different controlPlaneEndpoint; a missing port is the InitConfiguration's
    bindPort (6443 by default)."""
    init = next(
        (
            d
            for d in docs
            if d.kind == "InitConfiguration" and _port(d.get("localAPIEndpoint", "bindPort")) is not None
        ),
        None,
    )
    default = _port(init.get("localAPIEndpoint", "bindPort")) if init is not None else None
    out: list[tuple[str, int, Sourced[str]]] = []
    for e in endpoints:
        if e.host is None:
            continue
        port = e.port if e.port is not None else (default or DEFAULT_API_PORT)
        if all(not (net.same_host(h, e.host) and p == port) for h, p, _ in out):
            out.append((e.host, port, e.raw))
    return tuple(out)


def endpoint_ports(distinct: Sequence[tuple[str, int, Sourced[str]]], port: int) -> frozenset[int] | None:
    """The port clients reach the API on: the endpoint's, else the API server's. None when the
    ClusterConfigurations name more than one endpoint (CL106), so no port can be trusted."""
    if len(distinct) > 1:
        return None
    return frozenset({distinct[0][1]} if distinct else {port})
