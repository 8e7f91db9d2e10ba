"""KP001: see rules/KP001.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.keepalived import vrrp_instances
from kublint.model.vrrp_values import is_placeholder, keepalived_files
from kublint.parsers.keepalived import KeepalivedConfig
from kublint.parsers.keepalived_keywords import unknown_keywords
from kublint.rules.api import rule
from kublint.source import Span


def _duplicate_blocks(cfg: KeepalivedConfig) -> list[Span]:
    seen: set[str] = set()
    out: list[Span] = []
    for inst in vrrp_instances(cfg):
        name = inst.name
        if name is None:
            continue
        close = inst.block.close
        if name.value in seen and close is not None and close.path == inst.block.span.path:
            out.append(Span(inst.block.span.path, inst.block.span.start, close.end))
        seen.add(name.value)
    return out


def _inside(span: Span, block: Span) -> bool:
    return span.path == block.path and block.start <= span.start and span.end <= block.end


@rule("KP001")
def unknown_keyword(cluster: Cluster) -> Iterator[Problem]:
    for _f, cfg in keepalived_files(cluster.files):
        skipped = _duplicate_blocks(cfg)
        for span, keyword, close in unknown_keywords(cfg):
            if is_placeholder(keyword):
                continue  # a template placeholder in keyword position: SY007
            if any(_inside(span, b) for b in skipped):
                continue  # keepalived skips a vrrp_instance whose name is taken without reading it (KP003)
            if keyword == "}":
                message = ("'}' closes no block here: keepalived 2.2.7 logs \"Unknown keyword '}'\" because "
                           "a block keyword it did not know above ended the enclosing block early, so the "
                           "lines between were read in the wrong block; fix the unknown keyword above")
            else:
                hint = f" (did you mean '{close}'?)" if close else ""
                message = (f"unknown keyword '{keyword}'{hint}: keepalived 2.2.7 logs \"Unknown keyword "
                           f"'{keyword}'\" and skips the line, so the setting has no effect; fix the "
                           "spelling or move it to the block it belongs to")
            yield Problem(
                message,
                span, anchor=f"unknown-keyword:{keyword}",
            )
