"""KA208: see rules/KA208.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.components import APISERVER, component_views
from kublint.rules.api import rule


@rule("KA208")
def audit_log_disabled(cluster: Cluster) -> Iterator[Problem]:
    for view in component_views(cluster, APISERVER):
        flag = view.explicit("audit-log-path")
        if flag is not None and flag.value.strip():
            continue
        if flag is not None:
            what, where = f"{view.component} sets an empty audit-log-path ({flag.origin})", flag.span
        elif view.managed:
            what, where = f"{view.where} sets no audit-log-path (kubeadm does not set one)", view.section
        elif not view.complete:
            continue  # an installer's unset flag: what it renders by default is not guessed
        else:
            what, where = f"the {view.component} static Pod sets no --audit-log-path", view.section
        yield Problem(
            f"{what}: the API server keeps no audit log, so nobody can tell afterwards who read or changed "
            f"what (CIS 1.2.16); add audit-log-path and audit-policy-file to {view.where}, with extraVolumes "
            "for the log directory and the policy",
            where, anchor=view.flag_anchor("audit-log-path"),
        )
