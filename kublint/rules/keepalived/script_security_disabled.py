"""KP114: see rules/KP114.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.keepalived import global_defs
from kublint.model.vrrp_values import keepalived_files
from kublint.parsers.keepalived import Block, KeepalivedConfig, Node, Stmt
from kublint.rules.api import rule
from kublint.source import Span

SCRIPT_KEYWORDS = frozenset({
    "script", "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify_deleted",
    "notify_master_rx_lower_pri", "notify_up", "notify_down", "misc_path",
})


def _scripts(nodes: tuple[Node, ...], top: str = "") -> Iterator[Stmt]:
    for n in nodes:
        if isinstance(n, Stmt):
            if n.keyword in SCRIPT_KEYWORDS and n.args and top != "global_defs":
                yield n
        elif isinstance(n, Block):
            yield from _scripts(n.children, top or n.keyword)


def _enabled(cfg: KeepalivedConfig) -> bool:
    return any(b.stmt("enable_script_security") is not None for b in cfg.blocks("global_defs"))


@rule("KP114")
def script_security_disabled(cluster: Cluster) -> Iterator[Problem]:
    for _f, cfg in keepalived_files(cluster.files):
        scripts = list(_scripts(cfg.nodes))
        if not scripts or _enabled(cfg):
            continue
        gd = global_defs(cfg)
        header = gd.block.header if gd is not None else None
        where: Span = header.span if header is not None else scripts[0].span
        user = gd.script_user if gd is not None else None
        runs_as = (f"as {user.value}" if user is not None else
                   "as root unless a keepalived_script user exists (keepalived's default script_user)")
        yield Problem(
            f"{len(scripts)} script{'s' if len(scripts) != 1 else ''} (vrrp_script, notify or MISC_CHECK) "
            f"run {runs_as} without enable_script_security in global_defs: keepalived 2.2.7 warns \"SECURITY "
            "VIOLATION - scripts are being executed but script_security not enabled\", and a script (or a "
            "directory on its path) writable by a non-root user gives that user root; add "
            "enable_script_security (and script_user keepalived_script) to global_defs",
            where, tuple(Related(s.span, f"{s.keyword}") for s in scripts[:3]),
            anchor="global_defs/enable_script_security",
        )
