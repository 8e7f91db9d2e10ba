"""KA216: see rules/KA216.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.components import kubelet_configs, kubelet_flags, parse_bool
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import value_text

ANONYMOUS = ("the kubelet API (exec, logs, pod listing on port 10250) answers requests without credentials "
             "(CIS 4.2.1)")
ALWAYS_ALLOW = "every caller the kubelet authenticates may use its whole API, exec included (CIS 4.2.2)"
READ_ONLY = ("the read-only port serves pod specs and node metrics over plain HTTP with no authentication "
             "at all (CIS 4.2.4)")
FIX = ("remove the override (kubeadm's KubeletConfiguration defaults: anonymous off, mode Webhook, "
       "readOnlyPort 0)")


def _port_open(value: object) -> bool:
    text = value_text(value)
    return text is not None and text.strip() not in ("", "0")


@rule("KA216")
def insecure_config(cluster: Cluster) -> Iterator[Problem]:
    for doc in kubelet_configs(cluster):
        path = ("authentication", "anonymous", "enabled")
        if parse_bool(doc.get(*path)) is True:
            yield Problem(f"KubeletConfiguration authentication.anonymous.enabled is true: {ANONYMOUS}; "
                          f"{FIX}", doc.loc(*path), anchor=f"{doc.anchor}/authentication/anonymous/enabled")
        if doc.get("authorization", "mode") == "AlwaysAllow":
            yield Problem(f"KubeletConfiguration authorization.mode is AlwaysAllow: {ALWAYS_ALLOW}; use "
                          f"Webhook (with authentication.webhook.enabled: true); {FIX}",
                          doc.loc("authorization", "mode"), anchor=f"{doc.anchor}/authorization/mode")
        if _port_open(doc.get("readOnlyPort")):
            port = value_text(doc.get("readOnlyPort"))
            yield Problem(f"KubeletConfiguration readOnlyPort is {port}: {READ_ONLY}; set readOnlyPort: 0 or "
                          f"{FIX}",
                          doc.loc("readOnlyPort"), anchor=f"{doc.anchor}/readOnlyPort")
    for f in kubelet_flags(cluster):
        anchor = f"kubelet/{f.origin}/{f.name}"
        if f.name == "anonymous-auth" and parse_bool(f.value) is True:
            yield Problem(f"kubelet flag anonymous-auth={f.value} ({f.origin}): {ANONYMOUS}; remove the flag",
                          f.span, anchor=anchor)
        elif f.name == "authorization-mode" and "AlwaysAllow" in f.value:
            yield Problem(f"kubelet flag authorization-mode={f.value} ({f.origin}): {ALWAYS_ALLOW}; "
                          "remove the flag", f.span, anchor=anchor)
        elif f.name == "read-only-port" and _port_open(f.value):
            yield Problem(f"kubelet flag read-only-port={f.value} ({f.origin}): {READ_ONLY}; remove the flag",
                          f.span, anchor=anchor)
