"""Ansible INI inventories: ``[group]`` sections of ``host key=value`` lines, ``[group:vars]`` and
``[group:children]``.

Every host, group and variable keeps its span. Comments start with ``#`` or ``;``.
"""

from __future__ import annotations

from typing import NamedTuple

from kublint.findings import Problem
from kublint.source import Pos, SourceFile, Span


class IniHost(NamedTuple):
    name: str
    span: Span  # the host name
    vars: dict[str, tuple[str, Span]]  # name -> (value, value span)


class IniGroup:
    __slots__ = ("children", "hosts", "name", "span", "vars")

    name: str
    span: Span  # the section header
    hosts: list[IniHost]
    children: list[tuple[str, Span]]
    vars: dict[str, tuple[str, Span]]

    def __init__(
        self,
        name: str,
        span: Span,
        hosts: list[IniHost] | None = None,
        children: list[tuple[str, Span]] | None = None,
        vars: dict[str, tuple[str, Span]] | None = None,
    ) -> None:
        self.name = name
        self.span = span
        self.hosts = [] if hosts is None else hosts
        self.children = [] if children is None else children
        self.vars = {} if vars is None else vars


class IniInventory:
    __slots__ = ("groups", "problems")

    groups: dict[str, IniGroup]
    problems: list[Problem]

    def __init__(
        self,
        groups: dict[str, IniGroup] | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.groups = {} if groups is None else groups
        self.problems = [] if problems is None else problems


def parse_ini_inventory(source: SourceFile) -> IniInventory:
    inv = IniInventory()
    current: IniGroup | None = None
    mode = "hosts"
    for lineno in range(1, source.line_count + 1):
        raw = source.line_text(lineno)
        stripped = raw.strip()
        if not stripped or stripped[0] in "#;":
            continue
        indent = len(raw) - len(raw.lstrip())
        if stripped.startswith("["):
            close = stripped.find("]")
            if close == -1:
                inv.problems.append(Problem("section header without a closing ']'", source.line_span(lineno)))
                current = None
                continue
            header = stripped[1:close].strip()
            name, _, suffix = header.partition(":")
            mode = suffix or "hosts"
            span = Span(source.path, Pos(lineno, indent + 1), Pos(lineno, indent + close + 2))
            current = inv.groups.get(name)
            if current is None:
                current = inv.groups[name] = IniGroup(name, span)
            continue
        if current is None:
            current = inv.groups.setdefault("ungrouped", IniGroup("ungrouped", source.line_span(lineno)))
            mode = "hosts"
        words = _split(raw, lineno, source, inv)
        if not words:
            continue
        if mode == "children":
            current.children.append((words[0][0], words[0][1]))
        elif mode == "vars":
            text = stripped
            key, sep, value = text.partition("=")
            if not sep:
                inv.problems.append(
                    Problem(f'variable line without "=" in [{current.name}:vars]', source.line_span(lineno))
                )
                continue
            vstart = raw.index("=") + 1
            vtext = raw[vstart:]
            lead = len(vtext) - len(vtext.lstrip())
            span = Span(source.path, Pos(lineno, vstart + lead + 1), Pos(lineno, len(raw.rstrip()) + 1))
            current.vars[key.strip()] = (_unquote(value.strip()), span)
        else:
            host, host_span = words[0]
            hvars: dict[str, tuple[str, Span]] = {}
            for word, span in words[1:]:
                k, sep, v = word.partition("=")
                if sep:
                    off = len(k) + 1
                    hvars[k] = (_unquote(v), Span(span.path, Pos(lineno, span.start.col + off), span.end))
            current.hosts.append(IniHost(host, host_span, hvars))
    return inv


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _split(raw: str, lineno: int, source: SourceFile, inv: IniInventory) -> list[tuple[str, Span]]:
    """Words of a host line with their spans; an inline comment after whitespace ends the line."""
    words: list[tuple[str, Span]] = []
    i, n = 0, len(raw)
    while i < n:
        while i < n and raw[i] in " \t":
            i += 1
        if i >= n or raw[i] in "#;":
            break
        start = i
        quote = ""
        while i < n and (quote or raw[i] not in " \t"):
            ch = raw[i]
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote = ch
            i += 1
        if quote:
            inv.problems.append(
                Problem("unterminated quote", Span(source.path, Pos(lineno, start + 1), Pos(lineno, n + 1)))
            )
        words.append((raw[start:i], Span(source.path, Pos(lineno, start + 1), Pos(lineno, i + 1))))
    return words


def looks_like_ini_inventory(text: str) -> bool:
    """An INI file with at least one Ansible-style group and a host line or children section."""
    headers = 0
    for line in text.splitlines()[:2000]:
        s = line.strip()
        if s.startswith("[") and s.endswith("]"):
            name = s[1:-1].split(":")[0].strip()
            if name in _KNOWN_GROUPS or s.endswith(":children]") or s.endswith(":vars]"):
                headers += 1
    return headers > 0


_KNOWN_GROUPS = frozenset(
    {
        "all",
        "kube_control_plane",
        "kube-master",
        "kube_master",
        "masters",
        "master",
        "etcd",
        "kube_node",
        "kube-node",
        "workers",
        "nodes",
        "k8s_cluster",
        "k8s-cluster",
        "calico_rr",
        "bastion",
        "lb",
        "control_plane",
        "control-plane",
    }
)

__all__ = ["IniGroup", "IniHost", "IniInventory", "looks_like_ini_inventory", "parse_ini_inventory"]
