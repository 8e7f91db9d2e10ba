"""KA114: see rules/KA114.md."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import NamedTuple

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.components import DEFAULT_SERVICE_SUBNET, kubeadm_targets, split_list
from kublint.parsers.yaml import YamlDocument
from kublint.placeholders import has_kubeadm_placeholder
from kublint.rules.api import rule
from kublint.source import Span

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Subnet(NamedTuple):
    label: str  # "podSubnet" | "serviceSubnet"
    text: str
    networks: tuple[Network, ...]
    span: Span
    explicit: bool


def _parse(text: str) -> tuple[list[Network], list[str], list[str]]:
    """(networks, entries that are no CIDR, entries with host bits set)."""
    nets: list[Network] = []
    bad: list[str] = []
    host_bits: list[str] = []
    for item in split_list(text):
        try:
            nets.append(ipaddress.ip_network(item, strict=True))
            continue
        except ValueError:
            pass
        try:
            nets.append(ipaddress.ip_network(item, strict=False))
            host_bits.append(item)
        except ValueError:
            bad.append(item)
    return nets, bad, host_bits


def _subnet(doc: YamlDocument, key: str) -> tuple[Subnet | None, list[Problem]]:
    raw = doc.get("networking", key)
    problems: list[Problem] = []
    explicit = isinstance(raw, str) and bool(raw.strip())
    if not explicit:
        if key == "podSubnet":
            return None, problems
        where = doc.loc("networking", key=True) if doc.has("networking") else doc.kind_span()
        nets, _, _ = _parse(DEFAULT_SERVICE_SUBNET)
        return Subnet(key, DEFAULT_SERVICE_SUBNET, tuple(nets), where, False), problems
    assert isinstance(raw, str)
    if has_kubeadm_placeholder(raw):
        return None, problems
    span = doc.loc("networking", key)
    nets, bad, host_bits = _parse(raw)
    anchor = f"{doc.anchor}/networking/{key}"
    for item in bad:
        problems.append(Problem(
            f"networking.{key} entry {item!r} is not a CIDR (address/prefix): kubeadm refuses the "
            "configuration; write it as, for example, 10.244.0.0/16",
            span, anchor=f"{anchor}/{item}",
        ))
    for item in host_bits:
        canonical = ipaddress.ip_network(item, strict=False)
        problems.append(Problem(
            f"networking.{key} {item} has host bits set (the network is {canonical}): components that parse "
            f"it strictly reject it and others silently use {canonical}; write {canonical}",
            span, anchor=f"{anchor}/{item}",
        ))
    return Subnet(key, raw.strip(), tuple(nets), span, True), problems


def _node_networks(cluster: Cluster) -> list[tuple[Network, Related, str]]:
    """Inventory ``nodes[].network`` CIDRs, then each node address as a one-address network:
    (network, where it is written, node name)."""
    out: list[tuple[Network, Related, str]] = []
    for f in cluster.files:
        for d in f.documents:
            if d.kind != "Inventory" or not isinstance(d.get("nodes"), list):
                continue
            for i, node in enumerate(d.get("nodes")):
                raw = node.get("network") if isinstance(node, dict) else None
                if not isinstance(raw, str):
                    continue
                try:
                    n = ipaddress.ip_network(raw.strip(), strict=False)
                except ValueError:
                    continue
                name = str(node.get("name", f"#{i}"))
                rel = Related(d.loc("nodes", i, "network"), f"network of node {name}: {raw.strip()}")
                out.append((n, rel, name))
    for node in cluster.nodes:
        for a in node.addresses:
            ip = net.ip(a.value)
            if ip is not None:
                rel = Related(a.span, f"address of node {node.name}: {a.value}")
                out.append((ipaddress.ip_network(ip), rel, node.name))
    return out


def _overlaps(a: tuple[Network, ...], b: Network) -> bool:
    return any(x.version == b.version and x.overlaps(b) for x in a)


@rule("KA114")
def subnets_invalid(cluster: Cluster) -> Iterator[Problem]:
    node_nets = _node_networks(cluster)
    # the node networks a subnet overlaps depend on the subnet alone: once per distinct value, not per
    # document (2,000 kubeadm files with 2,000 nodes were 4 million comparisons)
    overlapping: dict[tuple[Network, ...], dict[str, Related]] = {}
    for doc in kubeadm_targets(cluster):
        if doc.kind == "ClusterConfiguration":
            pod, pod_problems = _subnet(doc, "podSubnet")
            svc, svc_problems = _subnet(doc, "serviceSubnet")
        else:  # an InitConfiguration alone: kubeadm's default ClusterConfiguration
            pod, pod_problems = None, []
            nets, _, _ = _parse(DEFAULT_SERVICE_SUBNET)
            svc, svc_problems = Subnet("serviceSubnet", DEFAULT_SERVICE_SUBNET, tuple(nets), doc.kind_span(),
                                       False), []
        yield from pod_problems
        yield from svc_problems
        if pod and svc and any(_overlaps(pod.networks, s) for s in svc.networks):
            svc_what = "serviceSubnet" if svc.explicit else "kubeadm's default serviceSubnet"
            related = (Related(svc.span, f"serviceSubnet {svc.text}"),) if svc.explicit else ()
            yield Problem(
                f"podSubnet {pod.text} overlaps {svc_what} {svc.text}: Pod and Service addresses collide, so "
                "traffic for some Services reaches Pods (or nothing); choose disjoint ranges",
                pod.span, related, anchor=f"{doc.anchor}/networking/podSubnet/serviceSubnet",
            )
        for sub in (pod, svc):
            if sub is None:
                continue
            hits = overlapping.get(sub.networks)
            if hits is None:
                hits = overlapping[sub.networks] = {}  # one piece of evidence a node, its network first
                for n, rel, name in node_nets:
                    if name not in hits and _overlaps(sub.networks, n):
                        hits[name] = rel
            if not hits:
                continue
            what = sub.label if sub.explicit else f"kubeadm's default {sub.label}"
            names = sorted(hits)
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            first = next(iter(hits.values())).message
            yield Problem(
                f"{what} {sub.text} overlaps the network of node{'s' if len(names) > 1 else ''} {shown} "
                f"({first}): nodes become unreachable from Pods, or their traffic is routed into the cluster "
                f"network; choose a {sub.label} outside the node networks"
                + ("" if sub.explicit else " and set networking.serviceSubnet"),
                sub.span, tuple(hits.values()), anchor=f"{doc.anchor}/networking/{sub.label}/nodes",
            )
