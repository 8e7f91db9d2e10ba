"""ET108: see rules/ET108.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.etcd import KUBEADM, EtcdConfig, blank, initial_cluster, items
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, section_span, spelled

DEFAULTS = {"advertise-client-urls": "http://localhost:2379", "initial-advertise-peer-urls": "http://localhost:2380"}
WHO = {"advertise-client-urls": "clients", "initial-advertise-peer-urls": "the other members"}
# What an unreachable advertised URL costs a member that has no peer yet (one member, or a count not known).
ALONE = {
    "advertise-client-urls": "clients on other machines, and clients that sync the member list, reach only "
                             "themselves there",
    "initial-advertise-peer-urls": "a member added later reaches only itself there and cannot join",
}


def _unroutable(host: str) -> str | None:
    if net.is_loopback(host):
        return "a loopback address"
    if net.is_unspecified(host):
        return "the unspecified address"
    return None


def _missing(cluster: Cluster, cfg: EtcdConfig, key: str, n: int) -> Problem | None:
    """etcd's localhost default, reported only with several members (a single member's default is etcd's own
    single-machine setup)."""
    if cfg.origin == KUBEADM:
        return None  # kubeadm advertises the node's own address
    if key == "advertise-client-urls" and not blank(cfg.get("listen-client-urls")):
        return None  # etcd refuses to start without it: another problem than advertising localhost
    return Problem(
        f"{spelled(cfg, key)} is not set, so this member advertises etcd's default {DEFAULTS[key]} "
        f"to {WHO[key]} in a cluster of {n} members: remote machines reach only themselves at "
        f"that address; set {spelled(cfg, key)} to this member's routable address",
        section_span(cluster, cfg), anchor=anchor(cfg, key),
    )


def _advertised(cfg: EtcdConfig, key: str, n: int | None) -> Iterator[Problem]:
    s = cfg.get(key)
    if s is None or blank(s):
        return
    for url, span in items(s):
        hp = net.url_host_port(url)
        what = _unroutable(hp.host) if hp is not None else None
        if what is None:
            continue
        if n is not None and n >= 2:
            effect = (f"to {WHO[key]} in a cluster of {n} members: etcd's FAQ warns that such addresses are "
                      "unreachable from remote machines")
        else:
            effect = (f"to {WHO[key]}: {ALONE[key]}; etcd's FAQ warns that such addresses are unreachable "
                      "from remote machines")
        yield Problem(
            f"{spelled(cfg, key)} advertises {url}, {what}, {effect}; advertise this member's routable IP or "
            "DNS name instead",
            span, anchor=anchor(cfg, f"{key}/{url}"),
        )


def _cluster_entries(cfg: EtcdConfig) -> Iterator[Problem]:
    for entry in initial_cluster(cfg.get("initial-cluster")):
        hp = net.url_host_port(entry.url)
        if hp is None or not net.is_unspecified(hp.host):
            continue
        yield Problem(
            f"{spelled(cfg, 'initial-cluster')} gives member {entry.name} the peer URL {entry.url}, the "
            "unspecified address: a member that dials it reaches only itself, and etcd's FAQ warns that "
            f"such addresses are unreachable from remote machines; list the routable peer URL that "
            f"{entry.name} advertises",
            entry.span, anchor=anchor(cfg, f"initial-cluster/{entry.name}"),
        )


@rule("ET108")
def advertise_unroutable(cluster: Cluster) -> Iterator[Problem]:
    n = cluster.voting_count
    for cfg in cluster.active_etcd_configs:
        for key in DEFAULTS:
            s = cfg.get(key)
            if s is None or blank(s):
                if n is not None and n >= 2:
                    missing = _missing(cluster, cfg, key, n)
                    if missing is not None:
                        yield missing
                continue
            yield from _advertised(cfg, key, n)
        yield from _cluster_entries(cfg)
