"""The rule decorator and the registry it fills. A rule is a plain function yielding Problems.

What a rule needs from the inputs is not declared here but in its card (``inputs:``, see kublint.inputs);
the engine checks it before the rule runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any, Literal, NamedTuple

from kublint.findings import Problem

# cluster: once a cluster; file: once a parsed file; directives: once a cluster with its inline suppression
# directives, judged (kublint.suppression.Judged); engine: never called, the engine reports it itself (SY900)
Target = Literal["cluster", "file", "directives", "engine"]
RuleFunc = Callable[..., Iterator[Problem]]


class Family(NamedTuple):
    package: str  # kublint.rules.<package> holds the family's rule modules
    title: str  # the heading of the family in docs/rules.md


# The one list of rule families: the id prefix, the package and the title. Everything else derives from it
# (module paths, docs/rules.md, the id pattern of schemas/rule-card.schema.json, which a test compares).
FAMILIES: dict[str, Family] = {
    "SY": Family("syntax", "Syntax and meta"),
    "ET": Family("etcd", "etcd"),
    "KA": Family("kubeadm", "kubeadm and the control-plane components"),
    "HP": Family("haproxy", "HAProxy"),
    "KP": Family("keepalived", "Keepalived"),
    "IV": Family("inventory", "Inventory"),
    "OP": Family("ops", "Operations"),
    "CL": Family("cluster", "Cluster architecture"),
    "KS": Family("kubespray", "kubespray"),
    "TL": Family("talos", "Talos"),
}
FAMILY_PACKAGES = {prefix: f.package for prefix, f in FAMILIES.items()}


class RunContext(NamedTuple):
    """Run-wide settings a rule asks for with ``@rule(..., context=True)``; passed as its last argument."""

    etcd_version: str | None = None  # the configuration's etcd-version (.kublint.yaml, --etcd-version)


class RuleSpec(NamedTuple):
    id: str
    func: RuleFunc
    on: Target
    options: type[Any] | None
    context: bool = False  # called as func(target[, options], RunContext)


_REGISTRY: dict[str, RuleSpec] = {}


def rule(
    rule_id: str, *, on: Target = "cluster", options: type[Any] | None = None, context: bool = False
) -> Callable[[RuleFunc], RuleFunc]:
    """Register ``func`` as rule ``rule_id``: ``on`` what it runs (see Target), the NamedTuple of its
    ``options`` (its own: no rule reads another's), and whether it takes the run's ``context``."""

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in _REGISTRY and _REGISTRY[rule_id].func is not func:
            raise RuntimeError(f"rule {rule_id} is registered twice")
        _REGISTRY[rule_id] = RuleSpec(rule_id, func, on, options, context)
        return func

    return register


def module_for(rule_id: str, name: str) -> str:
    """``ET101`` + ``etcd.two-member-cluster`` -> ``kublint.rules.etcd.two_member_cluster``."""
    family = FAMILY_PACKAGES[rule_id[:2]]
    slug = name.split(".", 1)[1].replace("-", "_")
    return f"kublint.rules.{family}.{slug}"


def load(rule_id: str, name: str) -> RuleSpec:
    """Import the rule's module (once) and return its registration."""
    if rule_id not in _REGISTRY:
        importlib.import_module(module_for(rule_id, name))
    spec = _REGISTRY.get(rule_id)
    if spec is None:
        raise LookupError(f"module {module_for(rule_id, name)} does not register rule {rule_id}")
    return spec


def registered() -> dict[str, RuleSpec]:
    return dict(_REGISTRY)
