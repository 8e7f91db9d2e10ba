"""KA215: see rules/KA215.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.components import CONTROLLER_MANAGER, SCHEDULER, component_views
from kublint.placeholders import has_kubeadm_placeholder
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import unset_phrase

CIS = {CONTROLLER_MANAGER: "CIS 1.3.7", SCHEDULER: "CIS 1.4.2"}


@rule("KA215")
def component_bound_publicly(cluster: Cluster) -> Iterator[Problem]:
    for view in component_views(cluster, CONTROLLER_MANAGER, SCHEDULER):
        flag = view.get("bind-address")
        if flag is None or net.is_loopback(flag.value) or has_kubeadm_placeholder(flag.value):
            continue
        what = f"{view.component} sets {flag.describe()}" if flag.explicit else unset_phrase(view, flag)
        yield Problem(
            f"{what}: its HTTPS port (/metrics, /healthz, /debug) is reachable from the network rather than "
            f"only from the node ({CIS[view.component]}); bind it to 127.0.0.1 in {view.where} and scrape "
            "metrics through an authenticated proxy",
            flag.span, anchor=view.flag_anchor("bind-address"),
        )
