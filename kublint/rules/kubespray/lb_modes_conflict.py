"""KS002: see rules/KS002.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.kubespray import KUBESPRAY, truthy
from kublint.rules.api import rule


@rule("KS002")
def lb_modes_conflict(cluster: Cluster) -> Iterator[Problem]:
    mine = [s for s in cluster.settings if s.installer == KUBESPRAY]
    external = next((s for s in mine if s.name == "loadbalancer_apiserver"), None)
    if external is None:
        return
    for s in mine:
        if s.name != "loadbalancer_apiserver_localhost" or truthy(s.value) is not True:
            continue
        domain = next((d for d in mine if d.name == "apiserver_loadbalancer_domain_name"), None)
        worse = "" if domain is not None else (
            " (and with apiserver_loadbalancer_domain_name unset, kubespray's default for it is then "
            "localhost, so kubeadm's controlPlaneEndpoint becomes localhost)")
        yield Problem(
            "loadbalancer_apiserver_localhost is true while loadbalancer_apiserver defines an external load "
            "balancer: kubespray's HA guide has you choose one of the two modes, and with both the nodes "
            "reach the API through a local nginx or haproxy while the kubeconfigs follow the external "
            f"one{worse}, so the two paths fail differently; set loadbalancer_apiserver_localhost: false "
            "(or remove loadbalancer_apiserver)",
            s.span,
            (Related(external.span, "loadbalancer_apiserver"),),
            anchor="kubespray/loadbalancer_apiserver_localhost",
        )
