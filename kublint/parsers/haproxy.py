"""HAProxy configuration: sections of directives of words, every word with its span.

Sections are recognised by keyword, never by indentation. ``.if``/``.elif``/``.else``/``.endif`` blocks are
recorded, not evaluated: every directive under a condition is parsed and carries the condition stack.
Effective settings follow HAProxy 2.6: a proxy uses the ``defaults`` section named by ``from``, otherwise the
last ``defaults`` section before it (named or not); a ``defaults`` section without ``from`` starts afresh.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from kublint.findings import Problem
from kublint.parsers.lexing import CommentCut, EnvRef, Word, lex_haproxy_line
from kublint.source import Pos, SourceFile, Span
from kublint.text import is_digits

SECTION_KEYWORDS = frozenset(
    {
        "global", "defaults", "frontend", "backend", "listen", "peers", "resolvers", "userlist", "mailers",
        "program", "http-errors", "ring", "cache", "log-forward", "fcgi-app", "namespace_list",
    }
)  # what HAProxy 2.6 opens a section with (checked with `haproxy -c`, see docs/lb-parsers.md)
PROXY_KINDS = frozenset({"frontend", "backend", "listen"})
COND_KEYWORDS = frozenset({".if", ".elif", ".else", ".endif"})
MESSAGE_KEYWORDS = frozenset({".diag", ".notice", ".warning", ".alert"})
CHECK_OPTIONS = frozenset(
    {
        "httpchk", "ssl-hello-chk", "tcp-check", "smtpchk", "mysql-check", "pgsql-check", "redis-check",
        "ldap-check", "spop-check", "external-check",
    }
)  # each sets the proxy's check type, so the last one wins
PREFIXES = ("no", "default")
_ADDRESS_PREFIXES = frozenset(
    {"ipv4", "ipv6", "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "quic4", "quic6", "fd", "sockpair"}
)
_PROXY_HINTS = frozenset(
    {"bind", "server", "mode", "balance", "default_backend", "use_backend", "timeout", "option"}
)
MAX_SECTIONS_CHAIN = 64  # `from` chains longer than this are cycles or abuse


class Condition(NamedTuple):
    keyword: str  # ".if", ".elif" or ".else"
    words: tuple[Word, ...]  # the condition, empty for .else
    span: Span  # the whole condition line


class ConditionalBlock(NamedTuple):
    branches: tuple[Condition, ...]
    end: Span | None  # the .endif line; None when the file ends first


class Directive(NamedTuple):
    words: tuple[Word, ...]
    span: Span  # first word to last word
    conditions: tuple[Condition, ...] = ()

    @property
    def keyword(self) -> str:
        return self.words[0].value

    @property
    def args(self) -> tuple[Word, ...]:
        return self.words[1:]

    @property
    def line(self) -> int:
        return self.span.start.line

    @property
    def prefix(self) -> str | None:
        """``no`` or ``default`` in front of the real keyword (``no option httplog``)."""
        return self.words[0].value if len(self.words) > 1 and self.words[0].value in PREFIXES else None

    @property
    def unprefixed(self) -> tuple[Word, ...]:
        return self.words[1:] if self.prefix else self.words

    def matches(self, *keyword: str) -> bool:
        """Exact leading words: ``matches("timeout", "connect")``; a ``no`` prefix must be given to match."""
        if len(self.words) < len(keyword):
            return False
        return all(w.value == k for w, k in zip(self.words, keyword, strict=False))

    def arg(self, index: int) -> Word | None:
        return self.words[index + 1] if index + 1 < len(self.words) else None


class Section(NamedTuple):
    kind: str
    name: Word | None
    parent: Word | None  # `from <defaults>`
    header: Directive
    directives: tuple[Directive, ...]
    span: Span  # header to last directive

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name.value}" if self.name else self.kind

    def find(self, *keyword: str) -> Iterator[Directive]:
        return (d for d in self.directives if d.matches(*keyword))

    def last(self, *keyword: str) -> Directive | None:
        found = None
        for d in self.find(*keyword):
            found = d
        return found


class OptionSetting(NamedTuple):
    name: str
    enabled: bool
    directive: Directive
    section: Section  # where it was set (the proxy itself or one of its defaults)


class Address(NamedTuple):
    text: str
    host: str  # "" or "*" for any address; IPv6 without brackets
    port: int | None
    port_end: int | None  # the end of a port range (`bind :8000-8010`)
    span: Span


class ServerLine(NamedTuple):
    directive: Directive
    name: Word | None  # None for default-server
    address: Word | None
    parsed: Address | None
    options: tuple[Word, ...]


class HaproxyConfig(NamedTuple):
    source: SourceFile
    sections: tuple[Section, ...]
    orphans: tuple[Directive, ...]  # directives before the first section (HP002)
    conditionals: tuple[ConditionalBlock, ...]
    messages: tuple[Directive, ...]  # .diag/.notice/.warning/.alert
    cuts: tuple[CommentCut, ...]
    missing_final_newline: bool
    problems: list[tuple[str, Problem]]

    @property
    def directives(self) -> Iterator[Directive]:
        yield from self.orphans
        for s in self.sections:
            yield s.header
            yield from s.directives

    @property
    def words(self) -> Iterator[Word]:
        for d in self.directives:
            yield from d.words
        for block in self.conditionals:
            for c in block.branches:
                yield from c.words
        for m in self.messages:
            yield from m.words

    @property
    def env_refs(self) -> Iterator[EnvRef]:
        for w in self.words:
            yield from w.env_refs

    def proxies(self) -> Iterator[Section]:
        return (s for s in self.sections if s.kind in PROXY_KINDS)

    def of_kind(self, *kinds: str) -> Iterator[Section]:
        return (s for s in self.sections if s.kind in kinds)

    def named(self, kind: str, name: str) -> Section | None:
        for s in self.sections:
            if s.kind == kind and s.name is not None and s.name.value == name:
                return s
        return None

    def defaults_for(self, section: Section) -> Section | None:
        """The defaults section a proxy (or a defaults section) takes its settings from."""
        if section.parent is not None:
            return self.named("defaults", section.parent.value)
        if section.kind == "defaults":
            return None
        found = None
        for s in self.sections:
            if s is section:
                break
            if s.kind == "defaults":
                found = s
        return found

    def chain(self, section: Section) -> list[Section]:
        """Defaults first, the section itself last; `from` cycles are cut."""
        out = [section]
        cur = self.defaults_for(section)
        while cur is not None and cur not in out and len(out) < MAX_SECTIONS_CHAIN:
            out.append(cur)
            cur = self.defaults_for(cur)
        out.reverse()
        return out

    def effective_last(self, section: Section, *keyword: str) -> tuple[Directive, Section] | None:
        """The last ``keyword`` line along the chain: the section's own, else its nearest defaults'."""
        for s in reversed(self.chain(section)):
            d = s.last(*keyword)
            if d is not None:
                return d, s
        return None

    def effective_mode(self, section: Section) -> str:
        found = self.effective_last(section, "mode")
        if found is None or not found[0].args:
            return "tcp"
        return found[0].args[0].value

    def effective_balance(self, section: Section) -> Directive | None:
        found = self.effective_last(section, "balance")
        return found[0] if found else None

    def effective_options(self, section: Section) -> dict[str, OptionSetting]:
        opts: dict[str, OptionSetting] = {}
        for s in self.chain(section):
            for d in s.directives:
                words = d.unprefixed
                if len(words) < 2 or words[0].value != "option":
                    continue
                name = words[1].value
                if d.prefix == "default":
                    opts.pop(name, None)
                else:
                    opts.pop(name, None)  # re-insert so the dict keeps the order options took effect
                    opts[name] = OptionSetting(name, d.prefix != "no", d, s)
        return opts

    def check_option(self, section: Section) -> OptionSetting | None:
        """The check-type option in effect (``option httpchk``, ``ssl-hello-chk`` ...): the last one wins."""
        found = None
        for o in self.effective_options(section).values():
            if o.name in CHECK_OPTIONS and o.enabled:
                found = o
        return found

    def effective_timeouts(self, section: Section) -> dict[str, Directive]:
        out: dict[str, Directive] = {}
        for s in self.chain(section):
            for d in s.find("timeout"):
                if len(d.words) >= 2:
                    out[d.words[1].value] = d
        return out

    def effective_lines(self, section: Section, keyword: str) -> tuple[Directive, ...]:
        """Rule lists (``http-check``, ``tcp-check``): a proxy's own, else those of its nearest defaults."""
        for s in reversed(self.chain(section)):
            own = tuple(s.find(keyword))
            if own:
                return own
        return ()

    def servers(self, section: Section) -> list[ServerLine]:
        return [server_line(d) for d in section.directives if d.keyword in ("server", "server-template")]

    def default_servers(self, section: Section) -> list[ServerLine]:
        """``default-server`` lines along the chain, defaults first (later options override earlier ones)."""
        return [server_line(d) for s in self.chain(section) for d in s.find("default-server")]


def server_line(d: Directive) -> ServerLine:
    if d.keyword == "default-server":
        return ServerLine(d, None, None, None, d.args)
    if d.keyword == "server-template":  # server-template <prefix> <num> <fqdn>[:<port>] ...
        addr = d.arg(2)
        return ServerLine(d, d.arg(0), addr, parse_address(addr) if addr else None, d.words[4:])
    addr = d.arg(1)
    return ServerLine(d, d.arg(0), addr, parse_address(addr) if addr else None, d.words[3:])


def parse_address(word: Word, text: str | None = None, span: Span | None = None) -> Address:
    """HAProxy's ``[proto@]host[:port[-end]]``: the last colon separates the port, as HAProxy reads it."""
    raw = word.value if text is None else text
    s = raw
    at = s.find("@")
    if at != -1 and s[:at] in _ADDRESS_PREFIXES:
        s = s[at + 1 :]
    host, port_text = s, ""
    if s.startswith("["):
        close = s.find("]")
        if close != -1:
            host, rest = s[1:close], s[close + 1 :]
            port_text = rest[1:] if rest.startswith(":") else ""
    elif ":" in s:
        host, _, port_text = s.rpartition(":")
    first, _, last = port_text.partition("-")
    port = int(first) if is_digits(first, 6) else None
    end = int(last) if is_digits(last, 6) else None
    return Address(raw, host, port, end, span or word.span)


def bind_addresses(d: Directive) -> list[Address]:
    """The comma-separated addresses of a ``bind`` line, each with its own span if the word is plain text."""
    word = d.arg(0)
    if word is None:
        return []
    if word.raw != word.value:
        return [parse_address(word, part) for part in word.value.split(",") if part]
    out: list[Address] = []
    col = word.span.start.col
    for part in word.value.split(","):
        if part:
            line = word.span.start.line
            span = Span(word.span.path, Pos(line, col), Pos(line, col + len(part)))
            out.append(parse_address(word, part, span))
        col += len(part) + 1
    return out


def _line_span(words: tuple[Word, ...]) -> Span:
    return Span(words[0].span.path, words[0].span.start, words[-1].span.end)


class _Builder:
    __slots__ = (
        "blocks", "body", "cuts", "header", "messages", "orphans", "problems", "sections", "source", "stack"
    )

    source: SourceFile
    sections: list[Section]
    orphans: list[Directive]
    blocks: list[ConditionalBlock]
    messages: list[Directive]
    cuts: list[CommentCut]
    problems: list[tuple[str, Problem]]
    stack: list[list[Condition]]  # open .if blocks, each with its branches
    header: Directive | None
    body: list[Directive]

    def __init__(
        self,
        source: SourceFile,
        sections: list[Section] | None = None,
        orphans: list[Directive] | None = None,
        blocks: list[ConditionalBlock] | None = None,
        messages: list[Directive] | None = None,
        cuts: list[CommentCut] | None = None,
        problems: list[tuple[str, Problem]] | None = None,
        stack: list[list[Condition]] | None = None,
        header: Directive | None = None,
        body: list[Directive] | None = None,
    ) -> None:
        self.source = source
        self.sections = [] if sections is None else sections
        self.orphans = [] if orphans is None else orphans
        self.blocks = [] if blocks is None else blocks
        self.messages = [] if messages is None else messages
        self.cuts = [] if cuts is None else cuts
        self.problems = [] if problems is None else problems
        self.stack = [] if stack is None else stack
        self.header = header
        self.body = [] if body is None else body

    def conditions(self) -> tuple[Condition, ...]:
        return tuple(b[-1] for b in self.stack)

    def close_section(self) -> None:
        h = self.header
        if h is None:
            return
        kind = h.keyword
        args = h.args
        name: Word | None = None
        parent: Word | None = None
        if args and args[0].value != "from":
            name = args[0]
            args = args[1:]
        if len(args) >= 2 and args[0].value == "from":
            parent = args[1]
        end = self.body[-1].span.end if self.body else h.span.end
        span = Span(h.span.path, h.span.start, end)
        self.sections.append(Section(kind, name, parent, h, tuple(self.body), span))
        self.header, self.body = None, []

    def cond(self, words: tuple[Word, ...]) -> None:
        kw = words[0].value
        span = _line_span(words)
        if kw == ".if":
            self.stack.append([Condition(kw, words[1:], span)])
        elif not self.stack:
            self.problems.append(("SY001", Problem(f"'{kw}' without a matching '.if'", span)))
        elif kw == ".endif":
            self.blocks.append(ConditionalBlock(tuple(self.stack.pop()), span))
        elif self.stack[-1][-1].keyword == ".else":
            self.problems.append(("SY001", Problem(f"'{kw}' after '.else' in the same block", span)))
        else:
            self.stack[-1].append(Condition(kw, words[1:] if kw == ".elif" else (), span))

    def add(self, words: tuple[Word, ...]) -> None:
        d = Directive(words, _line_span(words), self.conditions())
        kw = words[0].value
        if kw in MESSAGE_KEYWORDS:
            self.messages.append(d)
        elif kw in SECTION_KEYWORDS:
            self.close_section()
            self.header = d
        elif self.header is None:
            self.orphans.append(d)
            msg = f"'{kw}' is outside any section; HAProxy rejects it"
            self.problems.append(("HP002", Problem(msg, d.span, anchor=f"orphan:{kw}")))
        else:
            self.body.append(d)


def parse_haproxy(source: SourceFile) -> HaproxyConfig:
    b = _Builder(source)
    for n in range(1, source.line_count + 1):
        lexed = lex_haproxy_line(source, n)
        if lexed.cut is not None:
            b.cuts.append(lexed.cut)
        if lexed.problems:
            for p in lexed.problems:  # HAProxy rejects the whole line, so it is left out of the model
                b.problems.append(("SY001", Problem(p.message, p.span)))
            continue
        if not lexed.words:
            continue
        if lexed.words[0].value in COND_KEYWORDS:
            b.cond(lexed.words)
        else:
            b.add(lexed.words)
    b.close_section()
    for branches in reversed(b.stack):
        first = branches[0]
        b.problems.append(("SY001", Problem("'.if' block is never closed with '.endif'", first.span)))
        b.blocks.append(ConditionalBlock(tuple(branches), None))
    text = source.text
    missing_lf = bool(text) and not text.endswith("\n") and bool(text[source.line_starts[-1] :].strip())
    return HaproxyConfig(
        source, tuple(b.sections), tuple(b.orphans), tuple(b.blocks), tuple(b.messages), tuple(b.cuts),
        missing_lf, b.problems,
    )


def looks_like_haproxy(text: str) -> bool:
    """At least one proxy section header and one other HAProxy section or a typical proxy directive."""
    heads = 0
    hints = 0
    for line in text.splitlines()[:5000]:
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if words[0] in SECTION_KEYWORDS and line[:1] not in " \t":
            heads += 1
        elif words[0] in _PROXY_HINTS:
            hints += 1
    return heads >= 1 and hints >= 1


__all__ = [
    "SECTION_KEYWORDS", "Address", "Condition", "ConditionalBlock", "Directive", "HaproxyConfig",
    "OptionSetting", "Section", "ServerLine", "bind_addresses", "looks_like_haproxy", "parse_address",
    "parse_haproxy", "server_line",
]
