"""SY007: see rules/SY007.md."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

import kublint.placeholders as ph
from kublint.discovery import TEMPLATE_SUFFIXES
from kublint.findings import Problem
from kublint.model.files import Kind, ParsedFile
from kublint.model.talos import is_talconfig
from kublint.parsers.haproxy import HaproxyConfig
from kublint.parsers.ini import IniInventory
from kublint.parsers.keepalived import Block, KeepalivedConfig, Node, Stmt
from kublint.parsers.lexing import Word
from kublint.parsers.yaml import NodeLoc, YamlDocument
from kublint.rules.api import rule
from kublint.source import SourceFile, Span

Finder = Callable[[str], Iterator[tuple[int, int]]]


class Style(NamedTuple):
    name: str
    find: Finder  # the (start, end) of each match in a text, left to right, not overlapping


def _regex(compiled: re.Pattern[str]) -> Finder:
    return lambda text: (m.span() for m in compiled.finditer(text))


JINJA = Style("a Jinja/Go template expression", ph.jinja_spans)
BRACED = Style("a ${VAR} substitution", _regex(ph.BRACED))
ANGLE = Style("a <placeholder>", _regex(ph.ANGLE))
K8SHA = Style("a K8SHA_ placeholder", _regex(ph.K8SHA))
PAREN = Style("a $(VAR) substitution", _regex(ph.PAREN))
XADDR = Style("an x.x address placeholder", _regex(ph.XADDR))
PERCENT = Style("a %{...} template directive", _regex(ph.PERCENT))
WHOLE_VAR = ph.WHOLE_VAR

DOC_SUFFIXES = (".txt", ".md", ".rst", ".adoc")
SCRIPT_KEYWORDS = frozenset({
    "script", "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify_deleted",
    "notify_master_rx_lower_pri", "notify_up", "notify_down", "misc_path",
})
# Kubernetes expands $(VAR) in a container's command, args and env, and shells expand ${VAR}
SHELL_PATHS = frozenset({"command", "args", "env"})


def _message(text: str, style: str, tail: str) -> str:
    return (f"{text} is {style} left in the file: it was never rendered, so the program reads it literally "
            f"{tail}; render the template (or lint the rendered file) and fix the values there")


def _problem(source: SourceFile, start: int, end: int, style: str, tail: str) -> Problem:
    text = source.text[start:end]
    return Problem(_message(repr(text), style, tail), source.span(start, end), anchor=f"placeholder:{text}")


class Taken:
    """The spans already reported, so that one text is reported once: a match is left out when its first or
    last character lies in a taken span. Spans are filed by the buckets of 64 characters they touch, so a
    look-up reads one bucket; a plain list searched whole is quadratic in the number of matches."""

    __slots__ = ("_buckets",)
    _SIZE = 64

    def __init__(self) -> None:
        self._buckets: dict[int, list[tuple[int, int]]] = {}

    def covers(self, pos: int) -> bool:
        return any(x <= pos < y for x, y in self._buckets.get(pos // self._SIZE, ()))

    def add(self, a: int, b: int) -> None:
        for k in range(a // self._SIZE, max(a, b - 1) // self._SIZE + 1):
            self._buckets.setdefault(k, []).append((a, b))


def _scan(source: SourceFile, start: int, end: int, styles: tuple[Style, ...], tail: str,
          taken: Taken) -> Iterator[Problem]:
    chunk = source.text[start:end]
    for style in styles:
        for ma, mb in style.find(chunk):
            a, b = start + ma, start + mb
            if taken.covers(a) or taken.covers(b - 1):
                continue
            taken.add(a, b)
            yield _problem(source, a, b, style.name, tail)


def _offset(source: SourceFile, span: Span) -> tuple[int, int]:
    starts = source.line_starts
    a = starts[span.start.line - 1] + span.start.col - 1
    b = starts[span.end.line - 1] + span.end.col - 1 if span.end.line <= len(starts) else len(source.text)
    return a, max(a, b)


# ---------------------------------------------------------------- YAML


def _scalars(doc: YamlDocument) -> Iterator[tuple[tuple[str | int, ...], Span, object]]:
    for path, loc in doc.raw.items():
        if isinstance(loc, NodeLoc):
            value = doc.get(*path)
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                yield path, loc.value, value
            continue
        node = loc[1]
        if getattr(node, "id", None) == "scalar":
            yield path, doc.loc(*path), doc.get(*path)


def _yaml(f: ParsedFile) -> Iterator[Problem]:
    kind = f.kind
    ansible = kind in (Kind.ANSIBLE_INVENTORY, Kind.ANSIBLE_VARS)
    capi = kind is Kind.CAPI  # clusterctl substitutes ${VAR}; cloud-init renders {{ ds.meta_data.* }} at boot
    pod = kind in (Kind.CRONJOB, Kind.STATIC_POD)
    tail = "(a YAML value)"
    if not ph.may_hold_placeholder(f.source.text):
        return  # most files hold nothing any pattern could match: one pass over the text decides
    for doc in f.documents:
        source = doc.source
        # talhelper renders ${VAR} and $VAR in its talconfig itself (from talenv.yaml and the environment)
        talhelper = kind is Kind.TALOS and is_talconfig(doc.data, f.source.abspath.name)
        for path, span, value in _scalars(doc):
            shell = talhelper or (pod and any(p in SHELL_PATHS for p in path if isinstance(p, str)))
            styles: list[Style] = [] if ansible or capi else [JINJA]  # Ansible renders {{ }} itself
            if not shell and not capi:
                styles.append(BRACED)
            styles += [ANGLE, K8SHA, XADDR]
            if kind is Kind.KUBEADM:
                styles.append(PAREN)
            if not pod:
                styles.append(PERCENT)
            a, b = _offset(source, span)
            taken = Taken()
            yield from _scan(source, a, b, tuple(styles), tail, taken)
            if not shell and isinstance(value, str) and WHOLE_VAR.fullmatch(value.strip()):
                m = WHOLE_VAR.search(source.text, a, max(b, a + 1))
                if m is not None and not taken.covers(m.start()):
                    yield _problem(source, m.start(), m.end(), "a $VAR substitution", tail)


# ---------------------------------------------------------------- HAProxy and Keepalived


def _lines(words: list[Word]) -> dict[tuple[str, int], tuple[int, int]]:
    out: dict[tuple[str, int], tuple[int, int]] = {}
    for w in words:
        key = (w.span.path, w.span.start.line)
        a, b = out.get(key, (w.start, w.end))
        out[key] = (min(a, w.start), max(b, w.end))
    return out


def _haproxy(cfg: HaproxyConfig) -> Iterator[Problem]:
    source = cfg.source
    words = list(cfg.words)
    taken = Taken()
    for w in words:
        for ref in w.env_refs:
            if ref.name.startswith(("HAPROXY_", ".")):
                continue  # set by HAProxy itself
            a, b = _offset(source, ref.span)
            taken.add(a, b)
            text = source.text[a:b]
            if ref.expanded:
                msg = (f"{text!r} is an environment variable that HAProxy substitutes when it starts: a "
                       "linted file cannot know that environment, so kublint cannot check the value, and an "
                       "unset variable becomes an empty string; if this is a template placeholder, render "
                       "the file, else make sure the service environment sets it")
            else:
                msg = (f"{text!r} is outside double quotes, where HAProxy 2.6 substitutes no variables: it "
                       "reads the text literally, so the file was never rendered (or the quotes are "
                       "missing); render the template, or write \"${...}\" in double quotes for HAProxy "
                       "to substitute it")
            yield Problem(msg, ref.span, anchor=f"placeholder:{text}")
    for (_, _line), (a, b) in sorted(_lines(words).items()):
        yield from _scan(source, a, b, (JINJA, ANGLE, K8SHA, XADDR), "(an HAProxy word)", taken)


def _script_stmts(nodes: tuple[Node, ...]) -> Iterator[Stmt]:
    for n in nodes:
        if isinstance(n, Stmt) and n.keyword in SCRIPT_KEYWORDS:
            yield n
        elif isinstance(n, Block):
            yield from _script_stmts(n.children)


def _keepalived(f: ParsedFile, cfg: KeepalivedConfig) -> Iterator[Problem]:
    sources = {s.path: s for s in cfg.files}
    taken: dict[str, Taken] = {}
    # a bare $name in a script command is most likely the shell's variable, not keepalived's
    shell_refs = {(r.span.path, r.span.start) for s in _script_stmts(cfg.nodes) for w in s.args
                  for r in w.env_refs if not _braced(sources, r.span)}
    undefined = {(r.span.path, r.span.start) for r in cfg.undefined_refs()}
    for ref in cfg.env_refs:
        key = (ref.span.path, ref.span.start)
        if ref.span.path != f.path or key in shell_refs:
            continue  # in an included file (linted on its own), or a shell variable of a script command
        if key not in undefined and ref.expanded:
            continue  # a $NAME keepalived substitutes from its definition
        source = sources[ref.span.path]
        a, b = _offset(source, ref.span)
        taken.setdefault(ref.span.path, Taken()).add(a, b)
        text = source.text[a:b]
        if key not in undefined:
            message = (f"{text!r} stays as written: keepalived substitutes a bare $NAME only before a blank, "
                       f"',', ')' or the end of the line, so the {ref.name} defined in this configuration is "
                       f"not used here; write ${{{ref.name}}}")
        else:
            braces = " (and splits an undefined ${...} at its braces)" if text.startswith("${") else ""
            message = (f"{text!r} names no $-definition in this configuration: keepalived leaves it as "
                       f"written{braces}, so the file was never rendered; render the template, or define "
                       f"${ref.name}=... before its first use")
        yield Problem(message, ref.span, anchor=f"placeholder:{text}")
    for (path, _line), (a, b) in sorted(_lines(list(cfg.words)).items()):
        if path != f.path:
            continue
        yield from _scan(sources[path], a, b, (JINJA, ANGLE, K8SHA, XADDR), "(a keepalived word)",
                         taken.setdefault(path, Taken()))


def _braced(sources: dict[str, SourceFile], span: Span) -> bool:
    source = sources.get(span.path)
    if source is None:
        return False
    a, _ = _offset(source, span)
    return source.text[a:a + 2] == "${"


# ---------------------------------------------------------------- INI inventories and env files


def _ini(f: ParsedFile, inv: IniInventory) -> Iterator[Problem]:
    spans: list[Span] = []
    for g in inv.groups.values():
        spans.extend(s for _, s in g.vars.values())
        spans.extend(s for _, s in g.children)
        for h in g.hosts:
            spans.append(h.span)
            spans.extend(s for _, s in h.vars.values())
    taken = Taken()
    seen: set[tuple[int, int, int, int]] = set()
    for span in sorted(spans, key=lambda s: (s.start.line, s.start.col)):
        key = (span.start.line, span.start.col, span.end.line, span.end.col)
        if key in seen:
            continue
        seen.add(key)
        a, b = _offset(f.source, span)
        yield from _scan(f.source, a, b, (BRACED, ANGLE, K8SHA, XADDR),
                         "(an inventory value; Ansible renders {{ }} itself, but not these)", taken)


def _env(f: ParsedFile) -> Iterator[Problem]:
    taken = Taken()
    for entry in f.content:
        a, b = _offset(f.source, entry.value_span)
        yield from _scan(f.source, a, b, (JINJA, BRACED, ANGLE, K8SHA, XADDR),
                         "(environment files are not expanded)", taken)
        if WHOLE_VAR.fullmatch(entry.value.strip()):
            m = WHOLE_VAR.search(f.source.text, a, max(b, a + 1))
            if m is not None:
                yield _problem(f.source, m.start(), m.end(), "a $VAR substitution",
                               "(environment files are not expanded)")


def _raw_template(f: ParsedFile) -> Iterator[Problem]:
    """A template named explicitly that did not parse: scan its lines (comments aside)."""
    source = f.source
    taken = Taken()
    for n in range(1, source.line_count + 1):
        text = source.line_text(n)
        if text.lstrip().startswith("#") and not text.lstrip().startswith(("#{", "{#")):
            continue
        a = source.line_starts[n - 1]
        yield from _scan(source, a, a + len(text), (JINJA, BRACED, ANGLE, K8SHA, XADDR),
                         "(the file is a template)", taken)


@rule("SY007", on="file")
def unrendered_template(f: ParsedFile) -> Iterator[Problem]:
    template = f.explicit and f.path.lower().endswith(TEMPLATE_SUFFIXES)
    if not f.explicit and f.path.lower().endswith(DOC_SUFFIXES):
        return  # documentation that quotes configuration (a README.txt sniffed as keepalived) is not rendered
    content = f.content
    if isinstance(content, HaproxyConfig):
        yield from _haproxy(content)
    elif isinstance(content, KeepalivedConfig):
        yield from _keepalived(f, content)
    elif isinstance(content, IniInventory):
        yield from _ini(f, content)
    elif f.kind is Kind.ETCD_ENV and isinstance(content, list):
        yield from _env(f)
    elif f.documents and (template or f.kind not in (None, Kind.YAML, Kind.CERTIFICATE)):
        yield from _yaml(f)
    elif template and not f.documents:
        yield from _raw_template(f)
