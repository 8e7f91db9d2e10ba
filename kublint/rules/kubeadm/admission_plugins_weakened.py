"""KA210: see rules/KA210.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.components import APISERVER, component_views, split_list
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import unset_phrase

MUST_STAY_ON = {
    "ServiceAccount": "pods could run with service accounts that do not exist and tokens are not mounted as "
                      "expected (CIS 1.2.12)",
    "NamespaceLifecycle": "objects can be created in namespaces that are being deleted or do not exist "
                          "(CIS 1.2.13)",
    "NodeRestriction": "kubelets may change other nodes and pods, not only their own (CIS 1.2.14)",
}


@rule("KA210")
def admission_plugins_weakened(cluster: Cluster) -> Iterator[Problem]:
    for view in component_views(cluster, APISERVER):
        enable = view.get("enable-admission-plugins")
        if enable is not None:
            plugins = split_list(enable.value)
            issues = []
            if "NodeRestriction" not in plugins:
                issues.append("NodeRestriction is not enabled, so " + MUST_STAY_ON["NodeRestriction"])
            if "AlwaysAdmit" in plugins:
                issues.append("AlwaysAdmit admits every request unchecked (CIS 1.2.10)")
            if issues:
                if enable.explicit:
                    what = f"{view.component} sets {enable.describe()}"
                    if view.managed:
                        what += ", which replaces kubeadm's NodeRestriction"
                elif view.managed:
                    what = unset_phrase(view, enable)
                else:
                    what = (f"the {view.component} static Pod sets no --enable-admission-plugins, so only "
                            f"the plugins {view.component} enables by default run")
                keep = [p for p in plugins if p != "AlwaysAdmit"]
                fix = ",".join(["NodeRestriction", *[p for p in keep if p != "NodeRestriction"]])
                yield Problem(
                    f"{what}: {'; '.join(issues)}; set enable-admission-plugins={fix} in {view.where}",
                    enable.span, anchor=view.flag_anchor("enable-admission-plugins"),
                )
        disable = view.explicit("disable-admission-plugins")
        if disable is None:
            continue
        off = [p for p in split_list(disable.value) if p in MUST_STAY_ON]
        if off:
            yield Problem(
                f"{view.component} sets {disable.describe()}: it turns off {', '.join(off)}; "
                + "; ".join(f"without {p}, {MUST_STAY_ON[p]}" for p in off)
                + f"; remove {', '.join(off)} from disable-admission-plugins",
                disable.span, anchor=view.flag_anchor("disable-admission-plugins"),
            )
