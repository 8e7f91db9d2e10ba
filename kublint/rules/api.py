"""The rule decorator and the registry it fills. A rule is a plain function yielding Problems."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any, Literal, NamedTuple

from kublint.findings import Problem

Target = Literal["cluster", "file", "engine"]
RuleFunc = Callable[..., Iterator[Problem]]

FAMILY_PACKAGES = {
    "SY": "syntax",
    "ET": "etcd",
    "KA": "kubeadm",
    "HP": "haproxy",
    "KP": "keepalived",
    "IV": "inventory",
    "OP": "ops",
    "CL": "cluster",
}


class RuleSpec(NamedTuple):
    id: str
    func: RuleFunc
    on: Target
    options: type[Any] | None
    requires: tuple[str, ...]  # names from kublint.rules.requirements; missing input -> skipped, not failed


_REGISTRY: dict[str, RuleSpec] = {}


def rule(
    rule_id: str, *, on: Target = "cluster", options: type[Any] | None = None, requires: tuple[str, ...] = ()
) -> Callable[[RuleFunc], RuleFunc]:
    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in _REGISTRY and _REGISTRY[rule_id].func is not func:
            raise RuntimeError(f"rule {rule_id} is registered twice")
        _REGISTRY[rule_id] = RuleSpec(rule_id, func, on, options, requires)
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
