"""KP111: see rules/KP111.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.keepalived import vrrp_scripts
from kublint.model.vrrp_values import instance_name, is_placeholder, sync_group_of, track_refs
from kublint.rules.api import rule
from kublint.rules.keepalived._common import all_vrrps
from kublint.suggest import closest


@rule("KP111")
def undefined_track_script(cluster: Cluster) -> Iterator[Problem]:
    reported: set[tuple[str, int, int]] = set()
    for _f, cfg, inst in all_vrrps(cluster):
        scripts = {s.name.value: s for s in vrrp_scripts(cfg) if s.name is not None}
        name = instance_name(inst)
        refs = list(inst.track_scripts)
        group = sync_group_of(cfg, name)
        if group is not None:
            refs += track_refs(group, "track_script")
        for ref in refs:
            script = ref.name.value
            if script in scripts or is_placeholder(script):
                continue
            key = (ref.name.span.path, ref.name.span.start.line, ref.name.span.start.col)
            if key in reported:
                continue
            reported.add(key)
            close = closest(script, sorted(scripts))
            hint = f" (did you mean {close}?)" if close else ""
            defined = ", ".join(sorted(scripts)) or "none"
            related = (Related(scripts[close].block.span, f"vrrp_script {close}"),) if close else ()
            yield Problem(
                f"track_script names {script}, but no vrrp_script {script} is defined{hint} (defined: "
                f"{defined}): keepalived 2.2.7 logs \"({name}) track script {script} not found, "
                "ignoring...\", so the instance does not track the check and keeps the VIP when it fails; "
                "define the vrrp_script or fix the name",
                ref.name.span, related, anchor=f"vrrp_instance:{name}/track_script/{script}",
            )
