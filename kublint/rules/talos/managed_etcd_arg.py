"""TL001: see rules/TL001.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.talos import TALOS
from kublint.rules.api import rule

# etcd's flags that Talos sets itself and refuses in cluster.etcd.extraArgs: its etcd service then fails with
# `extra arg "<name>" is not allowed` (internal/app/machined/pkg/system/services/etcd.go, the deny list of
# argsForInit and argsForControlPlane). Every release denies the first group, recent releases the second.
DENIED = {
    "name": "the node's hostname",
    "data-dir": "/var/lib/etcd",
    "listen-peer-urls": "from cluster.etcd.listenSubnets, port 2380",
    "listen-client-urls": "from cluster.etcd.listenSubnets, port 2379",
    "client-cert-auth": "true",
    "cert-file": "its own etcd certificate",
    "key-file": "its own etcd key",
    "trusted-ca-file": "the etcd CA",
    "peer-client-cert-auth": "true",
    "peer-cert-file": "its own peer certificate",
    "peer-key-file": "its own peer key",
    "peer-trusted-ca-file": "the etcd CA",
}
DENIED_RECENT = {
    "auto-tls": "false",
    "peer-auto-tls": "false",
    "listen-client-http-urls": "from cluster.etcd.listenSubnets",
    "feature-gates": "InitialCorruptCheck=true,CompactHashCheck=true",
    "watch-progress-notify-interval": "5s",
    "tls-min-version": "TLS1.3",
    "experimental-initial-corrupt-check": "true",
    "experimental-watch-progress-notify-interval": "5s",
    "experimental-compact-hash-check-enabled": "true",
}
# Flags Talos works out for each node unless they are given: a cluster-wide value replaces them on every node.
PER_NODE = {
    "initial-cluster-state": "new on the node that bootstraps etcd, existing on the nodes that join",
    "initial-cluster": "the bootstrap node alone, or the running members when a node joins",
    "initial-advertise-peer-urls": "the node's own address from cluster.etcd.advertisedSubnets, port 2380",
    "advertise-client-urls": "the node's own address from cluster.etcd.advertisedSubnets, port 2379",
}
CLUSTER_WIDE = ("(patches[", "(controlPlane.patches[")  # talconfig sources shared by every control plane


@rule("TL001")
def managed_etcd_arg(cluster: Cluster) -> Iterator[Problem]:
    for installer in cluster.installers:
        if installer.installer != TALOS:
            continue
        for flag in installer.flags:
            if flag.component != "etcd":
                continue
            name = flag.name.strip().lstrip("-")
            where = flag.origin
            if name in DENIED or name in DENIED_RECENT:
                sets = DENIED.get(name) or DENIED_RECENT[name]
                recent = "" if name in DENIED else " (in recent Talos releases)"
                hint = (" (Talos picks etcd's addresses from cluster.etcd.listenSubnets and "
                        "advertisedSubnets)" if "urls" in name else "")
                yield Problem(
                    f"{where} sets {name}, which Talos sets itself ({sets}) and does not let extraArgs "
                    f"change{recent}: etcd fails to start on every control-plane node with 'extra arg "
                    f"\"{name}\" is not allowed', although talosctl validate and talhelper genconfig accept "
                    f"the config; remove it{hint}",
                    flag.span, anchor=f"talos/etcd/{name}",
                )
            elif name in PER_NODE and (
                "(" not in where or any(marker in where for marker in CLUSTER_WIDE)
            ):
                yield Problem(
                    f"{where} sets {name}={flag.value} for every control-plane node, replacing what Talos "
                    f"works out for each node ({PER_NODE[name]}): nodes that join or are rebuilt start "
                    "etcd with another node's settings and fail to join or split the cluster; remove it",
                    flag.span, anchor=f"talos/etcd/{name}",
                )
