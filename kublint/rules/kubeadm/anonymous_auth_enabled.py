"""KA203: see rules/KA203.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.components import APISERVER, component_views, parse_bool
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import unset_phrase

FIX = ("restrict anonymous access rather than switching it off: with Kubernetes 1.34 or later pass "
       "--authentication-config with anonymous.enabled: true and conditions limited to /healthz, /livez and "
       "/readyz (anonymous-auth=false also fails kubeadm's own probes and bootstrap-token joins, see KA204)")


@rule("KA203")
def anonymous_auth_enabled(cluster: Cluster) -> Iterator[Problem]:
    for view in component_views(cluster, APISERVER):
        flag = view.get("anonymous-auth")
        if flag is None:
            continue
        if not flag.explicit and view.is_set("authentication-config"):
            continue  # the AuthenticationConfiguration's anonymous section decides; kublint does not read it
        if parse_bool(flag.value) is not True:
            continue
        if flag.explicit:
            what = f"{view.component} sets {flag.describe()}"
        else:
            what = unset_phrase(view, flag) + (
                " (kubeadm does not set it)" if view.managed else "")
        yield Problem(
            f"{what}: requests without credentials are served as system:anonymous on every endpoint RBAC "
            f"opens to system:unauthenticated (CIS 1.2.1); {FIX}",
            flag.span, anchor=view.flag_anchor("anonymous-auth"),
        )
