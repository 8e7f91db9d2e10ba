"""KP002: see rules/KP002.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.vrrp_values import keepalived_files
from kublint.parsers.keepalived import Block, KeepalivedConfig, Node, Stmt
from kublint.parsers.lexing import lex_keepalived_line
from kublint.rules.api import rule
from kublint.source import Pos, SourceFile, Span

# Keywords whose value is required: with a bare "#word" after them the value was most likely meant.
NEEDS_VALUE = frozenset({
    "auth_pass", "auth_type", "state", "interface", "virtual_router_id", "priority", "advert_int",
    "unicast_src_ip", "mcast_src_ip", "router_id", "script", "weight", "interval", "script_user",
    "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop", "lvs_id",
})


def _stmts(nodes: tuple[Node, ...]) -> Iterator[Stmt]:
    for n in nodes:
        if isinstance(n, Stmt):
            yield n
        elif isinstance(n, Block):
            if n.header is not None:
                yield n.header
            yield from _stmts(n.children)


def _valueless(cfg: KeepalivedConfig) -> Iterator[Problem]:
    """``auth_pass #secret``: the whole value is a comment, so the keyword is left with none."""
    sources: dict[str, SourceFile] = {s.path: s for s in cfg.files}
    for stmt in _stmts(cfg.nodes):
        if stmt.keyword not in NEEDS_VALUE or stmt.args:
            continue
        source = sources.get(stmt.span.path)
        if source is None:
            continue
        lexed = lex_keepalived_line(source, stmt.line)
        if lexed.comment is None or lexed.comment.start.line != stmt.line:
            continue
        line = source.line_text(stmt.line)
        if line[stmt.span.end.col - 1:lexed.comment.start.col - 1].strip():
            continue
        text = line[lexed.comment.start.col - 1:]
        if len(text) < 2 or text[1].isspace():
            continue  # "# a comment": a comment, not a value
        token = text.split(None, 1)[0]
        start = lexed.comment.start
        yield Problem(
            f"{stmt.keyword} has no value: keepalived 2.2.7 reads '{token[0]}' as the start of a comment "
            f"outside double quotes, so '{token}' is dropped; write the value in double quotes "
            f"({stmt.keyword} \"{token}\") or choose one without '#' and '!'",
            Span(source.path, start, Pos(start.line, start.col + len(token))),
            anchor=f"comment-in-value:{stmt.keyword}",
        )


@rule("KP002")
def comment_in_value(cluster: Cluster) -> Iterator[Problem]:
    for _f, cfg in keepalived_files(cluster.files):
        for cut in cfg.cuts:
            ch = cut.lost[0]
            yield Problem(
                f"'{cut.kept}{cut.lost}' holds '{ch}', which keepalived 2.2.7 reads as the start of a "
                f"comment outside double quotes: the value is '{cut.kept}' and '{cut.lost}' is silently "
                f"dropped; write it in double quotes (\"{cut.kept}{cut.lost}\") or choose a value without "
                "'#' and '!'",
                cut.span, anchor=f"comment-in-value:{cut.kept}{cut.lost}",
            )
        yield from _valueless(cfg)
