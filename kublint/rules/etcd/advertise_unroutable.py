"""ET108: see rules/ET108.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.etcd import KUBEADM, blank, items
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, section_span, spelled

DEFAULTS = {"advertise-client-urls": "http://localhost:2379", "initial-advertise-peer-urls": "http://localhost:2380"}
WHO = {"advertise-client-urls": "clients", "initial-advertise-peer-urls": "the other members"}


@rule("ET108")
def advertise_unroutable(cluster: Cluster) -> Iterator[Problem]:
    n = cluster.voting_count
    if n is None or n < 2:
        return
    for cfg in cluster.active_etcd_configs:
        for key, default in DEFAULTS.items():
            s = cfg.get(key)
            if s is None or blank(s):
                if cfg.origin == KUBEADM:
                    continue  # kubeadm advertises the node's own address
                if key == "advertise-client-urls" and not blank(cfg.get("listen-client-urls")):
                    continue  # etcd refuses to start without it: another problem than advertising localhost
                yield Problem(
                    f"{spelled(cfg, key)} is not set, so this member advertises etcd's default {default} "
                    f"to {WHO[key]} in a cluster of {n} members: remote machines reach only themselves at "
                    f"that address; set {spelled(cfg, key)} to this member's routable address",
                    section_span(cluster, cfg), anchor=anchor(cfg, key),
                )
                continue
            for url, span in items(s):
                hp = net.url_host_port(url)
                if hp is None or not (net.is_loopback(hp.host) or net.is_unspecified(hp.host)):
                    continue
                what = "a loopback address" if net.is_loopback(hp.host) else "the unspecified address"
                yield Problem(
                    f"{spelled(cfg, key)} advertises {url}, {what}, to {WHO[key]} in a cluster of {n} "
                    "members: etcd's FAQ warns that such addresses are unreachable from remote machines; "
                    "advertise this member's routable IP or DNS name instead",
                    span, anchor=anchor(cfg, f"{key}/{url}"),
                )
