"""What the etcd rules share: who the voting members are, and where their list is written."""

from __future__ import annotations

from dataclasses import dataclass

from kublint.findings import Related
from kublint.model.cluster import Cluster
from kublint.source import Span


@dataclass(frozen=True, slots=True)
class Members:
    names: tuple[str, ...]
    related: tuple[Related, ...]  # one location a member
    where: Span  # the list to change


def voting_members(cluster: Cluster) -> Members | None:
    """The voting members, or None when their number is not known exactly.

    Stacked etcd runs one member on each control-plane node. A control-plane JoinConfiguration that names no
    node (a template used for several joins) leaves the count unknown unless an inventory lists the nodes.
    """
    where = cluster.etcd_member_list
    if where is None:
        return None
    if cluster.etcd_stacked:
        if cluster.anonymous_cp_joins and cluster.inventory_span is None:
            return None
        nodes = cluster.control_plane
        return Members(tuple(n.name for n in nodes),
                       tuple(Related(n.span, f"member {n.name} (stacked on this control-plane node)") for n in nodes),
                       where)
    ms = cluster.etcd_members
    return Members(tuple(m.name for m in ms), tuple(Related(m.span, f"member {m.name}") for m in ms), where)


def member_phrase(m: Members) -> str:
    return ", ".join(m.names)
