"""KA207: see rules/KA207.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.components import APISERVER, CONTROLLER_MANAGER, SCHEDULER, component_views, parse_bool
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import unset_phrase

CIS = {APISERVER: "CIS 1.2.15", CONTROLLER_MANAGER: "CIS 1.3.2", SCHEDULER: "CIS 1.4.1"}


@rule("KA207")
def profiling_enabled(cluster: Cluster) -> Iterator[Problem]:
    for view in component_views(cluster):
        flag = view.get("profiling")
        if flag is None or parse_bool(flag.value) is not True:
            continue
        what = f"{view.component} sets {flag.describe()}" if flag.explicit else unset_phrase(view, flag)
        yield Problem(
            f"{what}: /debug/pprof exposes the process's internals to anyone allowed to read it and costs "
            f"CPU and memory while profiling ({CIS[view.component]}); add profiling=false to {view.where}",
            flag.span, anchor=view.flag_anchor("profiling"),
        )
