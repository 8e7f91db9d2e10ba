"""ET111: see rules/ET111.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.types import ETCD, EtcdMember
from kublint.rules.api import rule

ENDPOINT = "kubeadm external etcd endpoint"
INVENTORY = "inventory etcd node"


def _listed(m: EtcdMember, label: str, path: str, first: int, last: int) -> bool:
    return any(e.message == label and e.span.path == path and first <= e.span.line <= last
               for e in m.evidence)


@rule("ET111")
def endpoints_incomplete(cluster: Cluster) -> Iterator[Problem]:
    if cluster.etcd_stacked:
        cps = cluster.control_plane
        with_role = [n for n in cps if n.has(ETCD)]
        missing_nodes = [n for n in cps if not n.has(ETCD)]
        where = cluster.inventory_etcd_list
        if with_role and missing_nodes and where is not None:
            yield Problem(
                f"the inventory's etcd hosts ({', '.join(n.name for n in with_role)}) leave out "
                f"{', '.join(n.name for n in missing_nodes)}, although stacked etcd runs a member on every "
                "control-plane node: tools that act on the etcd hosts (backups, certificate renewal, "
                "upgrades) miss those members; give every control-plane node the etcd role",
                where, tuple(Related(n.span, f"control-plane node {n.name} without the etcd role")
                             for n in missing_nodes),
                anchor="inventory/etcd-hosts",
            )
        return
    members = cluster.etcd_members
    if not members:
        return
    n = len(members)
    for d in cluster.cluster_configs():
        eps = d.get("etcd", "external", "endpoints")
        if not isinstance(eps, list) or not eps:
            continue
        span = d.loc("etcd", "external", "endpoints")
        missing = [m for m in members if not _listed(m, ENDPOINT, span.path, span.start.line, span.end.line)]
        if missing:
            yield Problem(
                f"kubeadm's etcd.external.endpoints list {n - len(missing)} of the {n} etcd members and "
                f"leave out {', '.join(_who(m) for m in missing)}: the API server (--etcd-servers) only "
                "talks to the listed members and cannot fail over to the others; list every member's "
                "client URL (https://<address>:2379)",
                span, tuple(Related(m.span, f"etcd member {_who(m)}") for m in missing),
                anchor=f"{d.anchor}/etcd/external/endpoints",
            )
    if any(node.has(ETCD) for node in cluster.nodes):
        where = cluster.inventory_etcd_list
        missing = [m for m in members if not any(e.message == INVENTORY for e in m.evidence)]
        if missing and where is not None:
            yield Problem(
                f"the inventory's etcd hosts list {n - len(missing)} of the {n} etcd members and leave out "
                f"{', '.join(_who(m) for m in missing)}: tools that act on the etcd hosts (backups, "
                "certificate renewal, upgrades) miss them; give those nodes the etcd role",
                where, tuple(Related(m.span, f"etcd member {_who(m)}") for m in missing),
                anchor="inventory/etcd-hosts",
            )


def _who(m: EtcdMember) -> str:
    if m.host and m.host != m.name:
        return f"{m.name} ({m.host})"
    return m.name


