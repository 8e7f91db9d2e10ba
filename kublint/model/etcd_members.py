"""Who etcd's voting members are and where each member runs: one member on each control-plane node for
stacked etcd, else the members named by etcd's settings, kubeadm's external endpoints and the inventory."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import kublint.net as net
from kublint.findings import Related
from kublint.model.etcd import KUBEADM, MEMBER_ORIGINS, EtcdConfig, items, text
from kublint.model.types import EtcdMember, Node
from kublint.source import Span


class Members(NamedTuple):
    names: tuple[str, ...]
    related: tuple[Related, ...]  # one location a member
    where: Span  # the list to change


def voting_members(
    where: Span | None,
    stacked: bool,
    anonymous_cp_joins: Sequence[Span],
    inventory_span: Span | None,
    control_plane: Sequence[Node],
    members: Sequence[EtcdMember],
) -> Members | None:
    """The voting members, or None when their number is not known exactly.

    Stacked etcd runs one member on each control-plane node. A control-plane JoinConfiguration that names no
    node (a template used for several joins) leaves the count unknown unless an inventory lists the nodes.
    """
    if where is None:
        return None
    if stacked:
        if anonymous_cp_joins and inventory_span is None:
            return None
        return Members(
            tuple(n.name for n in control_plane),
            tuple(
                Related(n.span, f"member {n.name} (stacked on this control-plane node)")
                for n in control_plane
            ),
            where,
        )
    return Members(
        tuple(m.name for m in members), tuple(Related(m.span, f"member {m.name}") for m in members), where
    )


def config_nodes(
    nodes: Sequence[Node], control_plane: Sequence[Node], stacked: bool, cfg: EtcdConfig
) -> list[Node]:
    """The nodes a member config runs on: every control-plane node for kubeadm's stacked etcd, else the node
    named by the member's ``name`` or one of its advertised or listening addresses."""
    if cfg.origin == KUBEADM:
        return list(control_plane) if stacked else []
    name = cfg.get("name")
    hosts: list[str] = []
    for key in (
        "initial-advertise-peer-urls",
        "advertise-client-urls",
        "listen-peer-urls",
        "listen-client-urls",
    ):
        s = cfg.get(key)
        if s is None or s.implicit:
            continue
        for url, _ in items(s):
            hp = net.url_host_port(url)
            if hp and not net.is_loopback(hp.host) and not net.is_unspecified(hp.host):
                hosts.append(hp.host)
    return [
        n
        for n in nodes
        if (name is not None and text(name.value) == n.name)
        or any(net.same_host(h, a.value) for h in hosts for a in n.addresses)
    ]


def active_configs(configs: Sequence[EtcdConfig], stacked: bool) -> tuple[EtcdConfig, ...]:
    """Every etcd config that runs: kubeadm's etcd.local only where it is the cluster's etcd (stacked) or the
    user wrote it, not the defaults the model adds for a ClusterConfiguration whose etcd is elsewhere."""
    return tuple(
        c
        for c in configs
        if not (
            c.origin == KUBEADM
            and not stacked
            and not (c.document is not None and c.document.has("etcd", "local"))
        )
    )


def member_configs(configs: Sequence[EtcdConfig]) -> list[EtcdConfig]:
    """One config a member: etcd config files, env files and static Pods (kubeadm's etcd.local is shared)."""
    return [c for c in configs if c.origin in MEMBER_ORIGINS]
