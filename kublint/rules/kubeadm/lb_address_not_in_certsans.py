"""KA104: see rules/KA104.md."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.types import Sourced
from kublint.rules.api import rule


def _node_names(cluster: Cluster) -> list[str]:
    """Each control-plane node's certificate carries its own name and advertise address."""
    names: list[str] = []
    for n in cluster.control_plane:
        names.append(n.name)
        names.extend(a.value for a in n.addresses)
    return [n for n in names if n]


HostKey = tuple[bool, str]


def _key(host: str) -> HostKey:
    """Equal keys exactly when net.same_host: IPs in any notation, names case-insensitively."""
    addr = net.ip(host)
    return (True, str(addr)) if addr is not None else (False, host.strip().rstrip(".").lower())


class _Names:
    """Names as sets, so that a look-up does not compare an address with each of thousands of nodes."""

    __slots__ = ("hosts", "wildcards")

    def __init__(self, names: list[str]) -> None:
        self.hosts = {_key(n) for n in names}
        self.wildcards = {n[2:].lower() for n in names if n.startswith("*.")}

    def covers(self, address: str) -> bool:
        if _key(address) in self.hosts:
            return True
        if self.wildcards and net.ip(address) is None:
            head, _, rest = address.partition(".")
            return bool(head) and rest.lower() in self.wildcards
        return False


def _covered(address: str, names: list[_Names]) -> bool:
    return any(n.covers(address) for n in names)


def client_addresses(cluster: Cluster) -> list[tuple[Sourced[str], str]]:
    """Every address clients use for the API, once each (the first declaration is the evidence)."""
    out: list[tuple[Sourced[str], str]] = []
    seen: set[str] = set()

    def add(addr: Sourced[str], label: str) -> None:
        key = net.normalise_host(addr.value)
        if key not in seen:
            seen.add(key)
            out.append((addr, label))

    if cluster.lb_dns:
        add(cluster.lb_dns, "load-balancer DNS name in the inventory")
    if cluster.lb_vip:
        add(cluster.lb_vip, "load-balancer VIP in the inventory")
    for vip in cluster.vips:
        add(vip, "Keepalived VIP")
    for bind in cluster.lb_bind_ips:
        add(bind, "address the HAProxy API frontend binds")
    return out


@rule("KA104")
def lb_address_not_in_certsans(cluster: Cluster) -> Iterator[Problem]:
    addresses = client_addresses(cluster)
    nodes = _Names(_node_names(cluster))  # the same for every ClusterConfiguration: built once
    for sans in cluster.cert_sans:
        names = [_Names([s.value for s in sans.entries] + list(sans.implicit))]
        if sans.node_names:
            names.append(nodes)
        for addr, label in addresses:
            if _covered(addr.value, names):
                continue
            if sans.span is not None:
                where, fix = sans.span, f"add {addr.value} to {sans.setting}"
            else:
                where, fix = sans.where, f"add {sans.setting} with {addr.value}"
            yield Problem(
                f"{addr.value} ({label}) is not in the API server certificate: it is neither in "
                f"{sans.setting} nor a name {sans.adder} adds itself, so clients that use it get a TLS "
                "error; "
                f"{fix} and regenerate apiserver.crt on every control-plane node",
                where,
                (Related(addr.span, label),),
                anchor=f"{sans.owner}/certSANs/{addr.value}",
            )
    yield from _apiserver_certificates(cluster, addresses)


def _apiserver_certificates(cluster: Cluster, addresses: list[tuple[Sourced[str], str]]) -> Iterator[Problem]:
    """A present ``apiserver.crt`` must carry every LB address among its DNS or IP SANs."""
    for cert in cluster.certificates:
        if cert.is_ca or PurePosixPath(cert.span.path).name != "apiserver.crt":
            continue
        sans = [*cert.dns_names, *cert.ip_addresses]
        names = [_Names(sans)]
        for addr, label in addresses:
            if _covered(addr.value, names):
                continue
            yield Problem(
                f"{addr.value} ({label}) is not among the SANs of this API server certificate "
                f"({', '.join(sans) or 'none'}), so clients that use it get a TLS error; add it to "
                "apiServer.certSANs and regenerate the certificate (kubeadm init phase certs apiserver) on "
                "every control-plane node",
                cert.span,
                (Related(addr.span, label),),
                anchor=f"apiserver.crt/{cert.subject}/{addr.value}",
            )
