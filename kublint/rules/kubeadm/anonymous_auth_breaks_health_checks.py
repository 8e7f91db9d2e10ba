"""KA204: see rules/KA204.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.components import APISERVER, component_views, parse_bool
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import docs_of_kind


def bootstrap_token_joins(cluster: Cluster) -> list[Related]:
    """JoinConfigurations that discover the cluster with a bootstrap token: `kubeadm join` then reads the
    cluster-info ConfigMap in kube-public as an anonymous user."""
    out = []
    for doc in docs_of_kind(cluster, "JoinConfiguration"):
        if isinstance(doc.get("discovery", "bootstrapToken"), dict):
            out.append(Related(doc.loc("discovery", "bootstrapToken", key=True),
                               "JoinConfiguration with bootstrap-token discovery (reads cluster-info "
                               "anonymously)"))
    return out


def anonymous_health_checks(cluster: Cluster) -> list[Related]:
    """Load-balancer health checks that call /healthz, /livez or /readyz over HTTP without credentials.

    Extension point: the HAProxy half of KA204 belongs here (``option httpchk``/``http-check send`` on the API
    backend, and keepalived check scripts that curl those paths). It returns nothing until the HAProxy parser
    exposes the API backend's checks in the cluster model.
    """
    return []


def anonymous_dependents(cluster: Cluster) -> list[Related]:
    """Everything in the cluster that needs anonymous access to the API server."""
    return anonymous_health_checks(cluster) + bootstrap_token_joins(cluster)


@rule("KA204")
def anonymous_auth_breaks_health_checks(cluster: Cluster) -> Iterator[Problem]:
    dependents = anonymous_dependents(cluster)
    if not dependents:
        return
    checks = anonymous_health_checks(cluster)
    joins = bootstrap_token_joins(cluster)
    for view in component_views(cluster, APISERVER):
        flag = view.explicit("anonymous-auth")
        if flag is None or parse_bool(flag.value) is not False:
            continue
        broken = []
        if checks:
            broken.append(f"{len(checks)} load-balancer health check{'s' if len(checks) > 1 else ''} on "
                          "/healthz, /livez or /readyz get 401 and take every API server out of rotation")
        if joins:
            plural = "s" if len(joins) > 1 else ""
            broken.append(f"{len(joins)} JoinConfiguration{plural} with bootstrap-token discovery cannot "
                          "read the cluster-info ConfigMap, so `kubeadm join` fails")
        yield Problem(
            f"{view.component} sets {flag.describe()} while {'; '.join(broken)}; limit anonymous access "
            "instead of turning it off (with Kubernetes 1.34 or later, --authentication-config with "
            "anonymous.enabled: true and conditions on /healthz, /livez and /readyz) and join with file "
            "discovery",
            flag.span, tuple(dependents), anchor=view.flag_anchor("anonymous-auth/dependents"),
        )
