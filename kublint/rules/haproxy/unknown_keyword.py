"""HP001: see rules/HP001.md."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.files import ParsedFile
from kublint.model.haproxy import SERVER_COUNTS, SERVER_TIMES, read_settings, typed_option
from kublint.parsers.haproxy import PROXY_KINDS, Directive, HaproxyConfig, Section, server_line
from kublint.parsers.haproxy_keywords import SERVER_KEYWORDS, unknown_keywords
from kublint.parsers.lexing import Word
from kublint.rules.api import rule
from kublint.source import Span

# Keywords HAProxy 2.6 still recognises only to refuse them ("... is not supported anymore since HAProxy X"):
# every keyword of the tables tried alone with `haproxy -c` (2.6.12); (removed in, what to do instead).
_HTTP_REQ = "'http-request replace-path', 'http-request replace-uri' or 'http-request replace-header'"
REMOVED_PROXY: dict[str, tuple[str | None, str]] = {
    "appsession": ("1.6", "use 'cookie' or a stick table"),
    "block": ("2.1", "use 'http-request deny', which takes the same conditions"),
    "cliexp": ("2.1", f"use {_HTTP_REQ}"),
    "clitimeout": ("2.1", "use 'timeout client'"),
    "contimeout": ("2.1", "use 'timeout connect'"),
    "srvtimeout": ("2.1", "use 'timeout server'"),
    "grace": ("2.5", "remove it"),
    "monitor-net": (None, "use 'http-request return status 200 if { src <network> }'"),
    "redisp": ("2.1", "use 'option redispatch'"),
    "redispatch": ("2.1", "use 'option redispatch'"),
    "reqadd": ("2.1", "use 'http-request add-header'"),
    "reqallow": ("2.1", "use 'http-request allow'"),
    "reqiallow": ("2.1", "use 'http-request allow'"),
    "reqdel": ("2.1", "use 'http-request del-header'"),
    "reqidel": ("2.1", "use 'http-request del-header'"),
    "reqdeny": ("2.1", "use 'http-request deny'"),
    "reqideny": ("2.1", "use 'http-request deny'"),
    "reqpass": ("2.1", "remove it"),
    "reqipass": ("2.1", "remove it"),
    "reqrep": ("2.1", f"use {_HTTP_REQ}"),
    "reqirep": ("2.1", "use 'http-request replace-header'"),
    "reqtarpit": ("2.1", "use 'http-request tarpit'"),
    "reqitarpit": ("2.1", "use 'http-request tarpit'"),
    "rspadd": ("2.1", "use 'http-response add-header'"),
    "rspdel": ("2.1", "use 'http-response del-header'"),
    "rspidel": ("2.1", "use 'http-response del-header'"),
    "rspdeny": ("2.1", "use 'http-response deny'"),
    "rspideny": ("2.1", "use 'http-response deny'"),
    "rsprep": ("2.1", "use 'http-response replace-header'"),
    "rspirep": ("2.1", "use 'http-response replace-header'"),
    "srvexp": ("2.1", "use 'http-response replace-header'"),
}
REMOVED_GLOBAL: dict[str, tuple[str | None, str]] = {
    "nbproc": ("2.5", "remove it: HAProxy uses threads on every processor by itself"),
    "tune.chksize": (None, "remove it: checks use tune.bufsize"),
}
REMOVED_OPTIONS: dict[str, tuple[str | None, str]] = {
    "forceclose": ("2.0", "remove it (or use 'option httpclose' if you must)"),
    "http-tunnel": ("2.1", "remove it"),
}


class _Owners:
    """Which section and directive hold a span: a binary search over the directives by where they start
    (they do not overlap), not a scan of every directive per unknown keyword, quadratic in the lines."""

    def __init__(self, config: HaproxyConfig) -> None:
        pairs = sorted(((d.span.start, i), (s, d)) for i, (s, d) in
                       enumerate((s, d) for s in config.sections for d in s.directives))
        self._starts = [key[0] for key, _ in pairs]
        self._owners = [owner for _, owner in pairs]

    def of(self, span: Span) -> tuple[Section, Directive] | None:
        i = bisect_right(self._starts, span.start) - 1
        if i < 0:
            return None
        s, d = self._owners[i]
        return (s, d) if d.span.start <= span.start and span.end <= d.span.end else None


def _what(section: Section, d: Directive, span: Span, kw: str) -> str:
    words = d.unprefixed
    first = words[0]
    where = f"'{section.label}'"
    if first.span == span:
        return f"unknown keyword '{kw}' in {where}"
    if first.value == "option":
        return f"unknown option '{kw}' in {where}"
    if first.value == "timeout":
        return f"'timeout {kw}' is not a timeout HAProxy knows (in {where})"
    if first.value == "bind":
        return f"unknown keyword '{kw}' on a bind line of {where}"
    name = d.arg(0)
    line = f"server {name.value}" if first.value == "server" and name is not None else first.value
    return f"unknown keyword '{kw}' on the '{line}' line of {where}"


def _removed(section: Section, d: Directive) -> tuple[Word, str, str | None, str] | None:
    words = d.unprefixed
    first = words[0]
    if section.kind in PROXY_KINDS or section.kind == "defaults":
        if first.value in REMOVED_PROXY:
            return (first, first.value, *REMOVED_PROXY[first.value])
        if first.value == "option" and len(words) > 1 and words[1].value in REMOVED_OPTIONS:
            return (words[1], f"option {words[1].value}", *REMOVED_OPTIONS[words[1].value])
    elif section.kind == "global" and first.value in REMOVED_GLOBAL:
        return (first, first.value, *REMOVED_GLOBAL[first.value])
    return None


def _line_label(section: Section, d: Directive) -> str:
    name = d.arg(0)
    return f"{d.keyword} {name.value}" if d.keyword != "default-server" and name is not None else d.keyword


_SERVER_LINES = ("server", "default-server", "server-template")


def _expected(name: str) -> str:
    if name in SERVER_TIMES:
        return "write a time above 0, such as 2s"
    low, high = SERVER_COUNTS[name]
    if high is not None:
        return f"write a whole number between {low} and {high}"
    return f"write a whole number of {low} or more"


def _invalid_values(config: HaproxyConfig, flagged: set[int]) -> Iterator[Problem]:
    """The first numeric server option a line gives that HAProxy refuses (``fall 0``, ``fall ²``,
    ``weight 300``, ``inter 0``), on lines with no unknown keyword."""
    for section in config.sections:
        for d in section.directives:
            if d.keyword not in _SERVER_LINES or d.span.start.line in flagged:
                continue
            settings = read_settings(server_line(d).options, SERVER_KEYWORDS)
            bad = [(v.span.start, name, v) for name in (*SERVER_COUNTS, *SERVER_TIMES)
                   if (v := typed_option(settings, name)) is not None and v.problem is not None]
            if bad:  # HAProxy reads the line left to right and stops at the first refused value
                _, name, v = min(bad, key=lambda b: b[0])
                yield Problem(
                    f"'{name} {v.text}' on the '{_line_label(section, d)}' line of '{section.label}' "
                    f"{v.problem}: HAProxy refuses to start with it (haproxy -c reports a fatal error); "
                    f"{_expected(name)}",
                    v.span, anchor=f"{section.label}/{d.keyword}/{name}",
                )


@rule("HP001", on="file")
def unknown_keyword(f: ParsedFile) -> Iterator[Problem]:
    config = f.content
    if not isinstance(config, HaproxyConfig):
        return
    owners = _Owners(config)
    flagged: set[int] = set()
    for span, kw, hint in unknown_keywords(config):
        found = owners.of(span)
        if found is None:
            continue
        section, d = found
        flagged.add(d.span.start.line)
        what = _what(section, d, span, kw)
        fix = (f"did you mean '{hint}'?" if hint
               else "remove it or check the spelling in HAProxy's configuration manual")
        yield Problem(
            f"{what}: HAProxy refuses to start with it (haproxy -c reports a fatal error); {fix}",
            span, anchor=f"{section.label}/{d.keyword}/{kw}",
        )
    for section in config.sections:
        for d in section.directives:
            removed = _removed(section, d)
            if removed is None:
                continue
            word, kw, version, fix = removed
            since = f"since HAProxy {version}" if version else "in HAProxy 2.6"
            yield Problem(
                f"'{kw}' in '{section.label}' is no longer supported ({since}): HAProxy refuses to start "
                f"with it (haproxy -c reports a fatal error); {fix}",
                word.span, anchor=f"{section.label}/{kw}",
            )
    yield from _invalid_values(config, flagged)
