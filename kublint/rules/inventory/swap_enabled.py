"""IV302: see rules/IV302.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.components import kubelet_configs, kubelet_flags, parse_bool
from kublint.model.inventory import native_nodes
from kublint.rules.api import rule
from kublint.source import Span


def kubelet_fail_swap_on(cluster: Cluster) -> tuple[bool, Span | None]:
    """Whether the kubelet refuses to start with swap (``failSwapOn``, default true) and where that is set."""
    for flag in kubelet_flags(cluster):
        if flag.name == "fail-swap-on":
            value = parse_bool(flag.value)
            if value is not None:
                return value, flag.span
    for doc in kubelet_configs(cluster):
        value = parse_bool(doc.get("failSwapOn"))
        if value is not None:
            return value, doc.loc("failSwapOn")
    return True, None


@rule("IV302")
def swap_enabled(cluster: Cluster) -> Iterator[Problem]:
    fail, where = kubelet_fail_swap_on(cluster)
    if not fail:
        return
    related = (Related(where, "the kubelet's failSwapOn"),) if where else ()
    for node in native_nodes(cluster.files):
        if node.get("hardware", "swap") is not True:
            continue
        yield Problem(
            f"node {node.name} has swap enabled while the kubelet keeps failSwapOn at "
            f"true{'' if where else ' (its default)'}: the kubelet refuses to start on a node with swap; "
            "turn swap off (swapoff -a and remove it from /etc/fstab), or set failSwapOn: false with a "
            "memorySwap policy",
            node.loc("hardware", "swap"), related, anchor=f"node:{node.name}/swap",
        )
