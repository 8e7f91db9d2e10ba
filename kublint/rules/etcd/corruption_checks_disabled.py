"""ET401: see rules/ET401.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.etcd import KUBEADM, EtcdConfig, text, truthy
from kublint.model.versions import etcd_target
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, assignment, section_span

INITIAL = ("experimental-initial-corrupt-check", "InitialCorruptCheck")
COMPACT = ("experimental-compact-hash-check-enabled", "CompactHashCheck")


def _gates(cfg: EtcdConfig) -> dict[str, bool | None] | None:
    s = cfg.get("feature-gates")
    if s is None or s.implicit:
        return None
    out: dict[str, bool | None] = {}
    for part in (text(s.value) or "").split(","):
        name, _, value = part.partition("=")
        if name.strip():
            out[name.strip()] = truthy(value.strip())
    return out


def _on(cfg: EtcdConfig, check: tuple[str, str], gates: dict[str, bool | None] | None) -> bool | None:
    """True or False when written, None when not."""
    flag, gate = check
    if gates is not None and gate in gates:
        return gates[gate] is True
    s = cfg.get(flag)
    if s is not None and not s.implicit:
        return truthy(s.value) is True
    return None


@rule("ET401")
def corruption_checks_disabled(cluster: Cluster) -> Iterator[Problem]:
    target = etcd_target(cluster)
    new_gates = target is None or target.value.minor_key >= (3, 6)
    for cfg in cluster.active_etcd_configs:
        gates = _gates(cfg)
        initial = _on(cfg, INITIAL, gates)
        if initial is None and cfg.origin == KUBEADM:
            # kubeadm passes the initial check itself (a feature gate from etcd 3.6); a feature-gates extraArg
            # replaces kubeadm's, and with it the gate
            initial = not (gates is not None and new_gates and target is not None)
        if initial or _on(cfg, COMPACT, gates):
            continue
        if new_gates:
            fix = assignment(cfg, "feature-gates", "InitialCorruptCheck=true,CompactHashCheck=true")
        else:
            fix = (f"{assignment(cfg, INITIAL[0], 'true')} and {assignment(cfg, COMPACT[0], 'true')}")
        fg = cfg.get("feature-gates")
        span = fg.span if fg is not None and not fg.implicit else section_span(cluster, cfg)
        owner = ("this feature-gates extraArg replaces the one kubeadm passes, InitialCorruptCheck with it"
                 if cfg.origin == KUBEADM else "both are off by default")
        yield Problem(
            f"neither etcd's initial corruption check nor its compact hash check is enabled ({owner}): a "
            "member whose data silently diverged keeps serving it, and etcd's data-corruption guide calls "
            f"both checks worth enabling; set {fix}",
            span, anchor=anchor(cfg, "corruption-checks"),
        )
