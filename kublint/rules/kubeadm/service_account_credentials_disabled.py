"""KA214: see rules/KA214.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.components import CONTROLLER_MANAGER, component_views, parse_bool
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import unset_phrase


@rule("KA214")
def service_account_credentials_disabled(cluster: Cluster) -> Iterator[Problem]:
    for view in component_views(cluster, CONTROLLER_MANAGER):
        flag = view.get("use-service-account-credentials")
        if flag is None or parse_bool(flag.value) is not False:
            continue
        what = f"{view.component} sets {flag.describe()}" if flag.explicit else unset_phrase(view, flag)
        yield Problem(
            f"{what}: every controller then acts with the controller manager's own broad credentials instead "
            "of a service account with only its own role, so one compromised control loop can do what all "
            f"of them can (CIS 1.3.3); set use-service-account-credentials=true in {view.where}",
            flag.span, anchor=view.flag_anchor("use-service-account-credentials"),
        )
