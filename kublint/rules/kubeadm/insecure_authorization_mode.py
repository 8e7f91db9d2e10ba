"""KA206: see rules/KA206.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.components import APISERVER, component_views, split_list
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import unset_phrase

VALID_MODES = ("Node", "RBAC", "Webhook", "ABAC", "AlwaysAllow", "AlwaysDeny")  # kubeadm isValidAuthzMode


@rule("KA206")
def insecure_authorization_mode(cluster: Cluster) -> Iterator[Problem]:
    for view in component_views(cluster, APISERVER):
        if view.is_set("authorization-config"):
            continue  # structured authorization: the modes live in the AuthorizationConfiguration file
        flag = view.get("authorization-mode")
        if flag is None:
            continue
        modes = split_list(flag.value)
        if flag.explicit and view.managed and not [m for m in modes if m in VALID_MODES]:
            continue  # kubeadm ignores unknown modes and, with none left, keeps its Node,RBAC
        issues = []
        if "AlwaysAllow" in modes:
            issues.append("AlwaysAllow lets every request through (CIS 1.2.6)")
        missing = [m for m in ("Node", "RBAC") if m not in modes]
        if missing == ["Node"]:
            issues.append("without Node, kubelets are not confined to their own node's objects (CIS 1.2.7)")
        elif missing == ["RBAC"]:
            issues.append("without RBAC, roles and role bindings are not enforced (CIS 1.2.8)")
        elif missing:
            issues.append("without Node and RBAC, neither node confinement nor roles apply (CIS 1.2.7, "
                          "1.2.8)")
        if not issues:
            continue
        what = (f"{view.component} sets {flag.describe()}" if flag.explicit
                else unset_phrase(view, flag))
        yield Problem(
            f"{what}: {'; '.join(issues)}; use authorization-mode=Node,RBAC (optionally with Webhook)",
            flag.span, anchor=view.flag_anchor("authorization-mode"),
        )
