"""KP003: see rules/KP003.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.keepalived import vrrp_instances
from kublint.model.vrrp_values import is_placeholder, keepalived_files
from kublint.rules.api import rule
from kublint.source import Span


@rule("KP003")
def duplicate_instance_name(cluster: Cluster) -> Iterator[Problem]:
    for f, cfg in keepalived_files(cluster.files):
        first: dict[str, Span] = {}
        for inst in vrrp_instances(cfg):
            name = inst.name
            if name is None or is_placeholder(name.value):
                continue
            if name.value not in first:
                first[name.value] = name.span
                continue
            where = first[name.value]
            shown = "" if where.path == f.path else f" in {where.path}"
            yield Problem(
                f"a second vrrp_instance named {name.value} (the first is at line "
                f"{where.start.line}{shown}): keepalived 2.2.7 says \"vrrp instance {name.value} already "
                "defined\" and does not set this block up, so none of its settings take effect; give each "
                "instance its own name, or delete the copy that this host should not run",
                name.span, (Related(where, f"first vrrp_instance {name.value}"),),
                anchor=f"vrrp_instance:{name.value}/duplicate",
            )
