"""KA101: see rules/KA101.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import endpoint_targets, has_endpoint, is_ha, missing_endpoint_phrase


@rule("KA101")
def missing_endpoint_in_ha(cluster: Cluster) -> Iterator[Problem]:
    if not is_ha(cluster):
        return
    evidence = tuple(Related(n.span, f"control-plane node {n.name}") for n in cluster.control_plane)
    evidence += tuple(Related(s, "control-plane JoinConfiguration") for s in cluster.anonymous_cp_joins)
    count = len(cluster.control_plane)
    what = f"{count} control-plane nodes" if count > 1 else "a control-plane JoinConfiguration"
    for doc in endpoint_targets(cluster):
        if has_endpoint(doc):
            continue
        yield Problem(
            f"the cluster has {what} but {missing_endpoint_phrase(doc)}: nodes will talk to one API "
            "server's own address and lose the API when it fails; set it to the load balancer's DNS "
            "name or VIP "
            "and port",
            doc.kind_span(),
            evidence,
            anchor=f"{doc.anchor}/controlPlaneEndpoint",
        )
