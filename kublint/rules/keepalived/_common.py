"""How the keepalived rules phrase and place findings, and pick the value peers agree on. The values as
keepalived reads them are in ``kublint.model.vrrp_values``; the members and peer groups are
``cluster.peering`` (``kublint.model.vrrp``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from pathlib import PurePosixPath
from typing import TypeVar

from kublint.findings import Related
from kublint.model.cluster import Cluster
from kublint.model.files import ParsedFile
from kublint.model.keepalived import VrrpInstance, vrrp_instances
from kublint.model.vrrp import Member
from kublint.model.vrrp_values import keepalived_files, state
from kublint.parsers.keepalived import KeepalivedConfig, Stmt
from kublint.source import Span


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def join_and(items: Iterable[str]) -> str:
    seq = list(items)
    if len(seq) <= 2:
        return " and ".join(seq)
    return ", ".join(seq[:-1]) + " and " + seq[-1]


def distinct(group: Iterable[Member]) -> list[Member]:
    """One member per instance (a spread file's instance once)."""
    seen: set[tuple[str, int]] = set()
    out: list[Member] = []
    for m in group:
        if m.key not in seen:
            seen.add(m.key)
            out.append(m)
    return out


def hosts_phrase(ms: Iterable[Member]) -> str:
    hosts = [m.host for m in ms if m.host]
    return join_and(hosts)


def spread_note(m: Member, group: Iterable[Member]) -> str:
    """Why one file counts several times: it is tied to no node and runs on every lb node."""
    if not m.spread:
        return ""
    hosts = [x.host for x in group if x.key == m.key and x.host]
    return (
        f" ({m.path} is tied to no node, so it runs unchanged on every lb node of the inventory: "
        f"{join_and(hosts)})"
    )


H = TypeVar("H", bound=Hashable)


def reference(group: list[Member], value: Callable[[Member], H | None]) -> H | None:
    """The value most peers use; a tie goes to the MASTER's value, then to the first file's."""
    values = [(m, v) for m in group if (v := value(m)) is not None]
    if not values:
        return None
    counts = Counter(v for _, v in values)
    top = max(counts.values())
    tied = [v for v, c in counts.items() if c == top]
    if len(tied) == 1:
        return tied[0]
    for m, v in values:
        if v in tied and state(m.inst) == "MASTER":
            return v
    return next(v for _, v in values if v in tied)


def related_instances(
    ms: Iterable[Member], what: Callable[[Member], tuple[Span, str]]
) -> tuple[Related, ...]:
    out: list[Related] = []
    seen: set[tuple[str, int]] = set()
    for m in ms:
        if m.key in seen:
            continue
        seen.add(m.key)
        span, text = what(m)
        out.append(Related(span, text))
    return tuple(out)


def setting_span(m: Member, keyword: str) -> Span:
    s = m.inst.setting(keyword)
    return s.span if s is not None else m.span


def file_name(path: str) -> str:
    return PurePosixPath(path).name


def stmt_word_span(stmt: Stmt, index: int) -> Span:
    word = stmt.arg(index)
    return word.span if word is not None else stmt.span


def all_vrrps(cluster: Cluster) -> Iterator[tuple[ParsedFile, KeepalivedConfig, VrrpInstance]]:
    """Every VRRP instance of every keepalived configuration (included files read as part of their
    includer)."""
    for f, cfg in keepalived_files(cluster.files):
        for inst in vrrp_instances(cfg):
            yield f, cfg, inst
