"""Typed views of an HAProxy config: proxies with their effective mode, checks, timeouts, binds and servers.

Views never validate; they read the parse and the keyword tables. Every value keeps the span of the word it
came from; a value that is only a default (``mode`` when no section sets it) points at the proxy's header.
"""

from __future__ import annotations

from typing import NamedTuple

from kublint.model.types import Sourced
from kublint.model.values import Value, haproxy_time_ms, read_haproxy_time, read_int
from kublint.parsers.haproxy import (
    Address,
    Directive,
    HaproxyConfig,
    OptionSetting,
    Section,
    bind_addresses,
    server_line,
)
from kublint.parsers.haproxy_keywords import BIND_KEYWORDS, SERVER_KEYWORDS
from kublint.parsers.lexing import Word

ANY_HOSTS = frozenset({"", "*", "0.0.0.0", "::", "[::]"})  # a bind on every address
CHECK_DEFAULTS = {"inter": "2000", "fall": "3", "rise": "2"}  # HAProxy's documented defaults


def parse_time_ms(text: str) -> float | None:
    """HAProxy time values: a bare number is milliseconds; ``us ms s m h d`` suffixes."""
    return haproxy_time_ms(text)


def is_any(host: str) -> bool:
    return host in ANY_HOSTS


def port_in(address: Address, port: int) -> bool:
    if address.port is None:
        return False
    end = address.port_end if address.port_end is not None else address.port
    return address.port <= port <= end


def has_port_offset(address: Address) -> bool:
    """``server s 10.0.0.1:+1000``: a port relative to the one the client connected to."""
    text = address.text
    return ":" in text and text.rsplit(":", 1)[1][:1] in "+-"


def _sourced(word: Word | None) -> Sourced[str] | None:
    return Sourced(word.value, word.span) if word is not None else None


class Settings(NamedTuple):
    """Flags and valued options of a server, default-server or bind line, in the order they apply."""

    flags: frozenset[str]
    params: dict[str, Word]  # keyword -> its (first) value word

    def has(self, flag: str) -> bool:
        return flag in self.flags

    def param(self, name: str) -> Sourced[str] | None:
        return _sourced(self.params.get(name))


def read_settings(words: tuple[Word, ...], table: dict[str, int], base: Settings | None = None) -> Settings:
    """Apply option words on top of ``base``: ``no-X`` clears flag ``X``; a valued keyword takes its value."""
    flags = set(base.flags) if base else set()
    params = dict(base.params) if base else {}
    i = 0
    while i < len(words):
        kw = words[i].value
        n = table.get(kw, 0)
        if n < 0:  # `source <addr> [usesrc <addr>] [interface <name>]`
            if i + 1 < len(words):
                params[kw] = words[i + 1]
            i += 2
            while i + 1 < len(words) and words[i].value in ("usesrc", "interface"):
                params[words[i].value] = words[i + 1]
                i += 2
            continue
        if n == 0:
            if kw.startswith("no-"):
                flags.discard(kw[3:])
            else:
                flags.discard("no-" + kw)
            flags.add(kw)
        elif i + 1 < len(words):
            params[kw] = words[i + 1]
        i += 1 + max(n, 0)
    return Settings(frozenset(flags), params)


class Server(NamedTuple):
    directive: Directive
    name: Sourced[str] | None
    address: Address | None
    own: Settings  # what the server line says
    settings: Settings  # default-server lines along the defaults chain, then the server line

    @property
    def host(self) -> Sourced[str] | None:
        return Sourced(self.address.host, self.address.span) if self.address else None

    @property
    def port(self) -> Sourced[int] | None:
        a = self.address
        return Sourced(a.port, a.span) if a is not None and a.port is not None else None

    @property
    def checked(self) -> bool:
        return self.settings.has("check") and not self.settings.has("no-check")

    @property
    def check_ssl(self) -> bool:
        """The check uses TLS: ``check-ssl``, or ``ssl`` on the server without a separate check ``port``."""
        s = self.settings
        return s.has("check-ssl") or (s.has("ssl") and "port" not in s.params)

    def number(self, name: str) -> Value[float] | Value[int] | None:
        """A numeric server option in effect, parsed (``fall``, ``rise``, ``weight``, ``inter``,
        ``fastinter``,
        ``downinter``; times in milliseconds); None when not set."""
        return typed_option(self.settings, name)

    def check_param(self, name: str) -> str:
        """``inter``, ``fall`` or ``rise`` in effect, with HAProxy's defaults."""
        word = self.settings.params.get(name)
        return word.value if word is not None else CHECK_DEFAULTS.get(name, "")


# What HAProxy 2.6 accepts for the numeric server options (srv_parse_*, haproxy -c): counts above 0, a weight
# of 0 to 256, check intervals above 0.
SERVER_COUNTS = {"fall": (1, None), "rise": (1, None), "weight": (0, 256)}
SERVER_TIMES = ("inter", "fastinter", "downinter")


def typed_option(settings: Settings, name: str) -> Value[float] | Value[int] | None:
    word = settings.params.get(name)
    if word is None:
        return None
    if name in SERVER_TIMES:
        return read_haproxy_time(word.value, word.span)
    low, high = SERVER_COUNTS[name]
    return read_int(word.value, word.span, low, high)


class Bind(NamedTuple):
    directive: Directive
    addresses: tuple[Address, ...]
    settings: Settings

    @property
    def ssl(self) -> bool:
        return self.settings.has("ssl")


class Timeout(NamedTuple):
    name: str
    value: Sourced[str] | None
    ms: float | None
    directive: Directive


class HealthCheck(NamedTuple):
    """How a backend checks its servers: the check-type option in effect and the rule lines that refine it."""

    kind: str  # "tcp" (connect only), "http", "ssl-hello", "tcp-check", "smtp", "mysql" ...
    option: OptionSetting | None
    http_check: tuple[Directive, ...]
    tcp_check: tuple[Directive, ...]

    @property
    def http_request(self) -> tuple[str, str]:
        """(method, uri) sent by an HTTP check: ``http-check send`` wins over ``option httpchk`` arguments."""
        method, uri = "OPTIONS", "/"
        if self.option is not None:
            args = [w.value for w in self.option.directive.unprefixed[2:]]
            if len(args) == 1:
                uri = args[0]
            elif len(args) >= 2:
                method, uri = args[0], args[1]
        for d in self.http_check:
            words = [w.value for w in d.words]
            if len(words) > 1 and words[1] == "send":
                for i, w in enumerate(words[:-1]):
                    if w == "meth":
                        method = words[i + 1]
                    elif w == "uri":
                        uri = words[i + 1]
        return method, uri


_CHECK_KINDS = {
    "httpchk": "http", "ssl-hello-chk": "ssl-hello", "tcp-check": "tcp-check", "smtpchk": "smtp",
    "mysql-check": "mysql", "pgsql-check": "pgsql", "redis-check": "redis", "ldap-check": "ldap",
    "spop-check": "spop", "external-check": "external",
}


class Proxy(NamedTuple):
    config: HaproxyConfig
    section: Section

    @property
    def kind(self) -> str:
        return self.section.kind

    @property
    def name(self) -> Sourced[str] | None:
        return _sourced(self.section.name)

    @property
    def mode(self) -> Sourced[str]:
        """The effective mode; ``tcp`` at the section header when no section in the chain sets one."""
        found = self.config.effective_last(self.section, "mode")
        if found is not None and found[0].args:
            w = found[0].args[0]
            return Sourced(w.value, w.span)
        return Sourced("tcp", self.section.header.span)

    @property
    def options(self) -> dict[str, OptionSetting]:
        return self.config.effective_options(self.section)

    def option(self, name: str) -> bool:
        o = self.options.get(name)
        return o is not None and o.enabled

    @property
    def timeouts(self) -> dict[str, Timeout]:
        out: dict[str, Timeout] = {}
        for name, d in self.config.effective_timeouts(self.section).items():
            w = d.arg(1)
            out[name] = Timeout(name, _sourced(w), parse_time_ms(w.value) if w else None, d)
        return out

    @property
    def balance(self) -> Sourced[str] | None:
        d = self.config.effective_balance(self.section)
        return _sourced(d.arg(0)) if d else None

    @property
    def binds(self) -> tuple[Bind, ...]:
        return tuple(
            Bind(d, tuple(bind_addresses(d)), read_settings(d.words[2:], BIND_KEYWORDS))
            for d in self.section.find("bind")
        )

    @property
    def servers(self) -> tuple[Server, ...]:
        base: Settings | None = None
        for line in self.config.default_servers(self.section):
            base = read_settings(line.options, SERVER_KEYWORDS, base)
        out = []
        for d in self.section.directives:
            if d.keyword not in ("server", "server-template"):
                continue
            line = server_line(d)
            own = read_settings(line.options, SERVER_KEYWORDS)
            merged = read_settings(line.options, SERVER_KEYWORDS, base)
            out.append(Server(d, _sourced(line.name), line.parsed, own, merged))
        return tuple(out)

    @property
    def health_check(self) -> HealthCheck:
        opt = self.config.check_option(self.section)
        kind = _CHECK_KINDS.get(opt.name, "tcp") if opt else "tcp"
        return HealthCheck(
            kind,
            opt,
            self.config.effective_lines(self.section, "http-check"),
            self.config.effective_lines(self.section, "tcp-check"),
        )

    @property
    def default_backend(self) -> Sourced[str] | None:
        d = self.section.last("default_backend")
        return _sourced(d.arg(0)) if d else None

    @property
    def use_backends(self) -> tuple[Sourced[str], ...]:
        return tuple(Sourced(w.value, w.span) for d in self.section.find("use_backend") if (w := d.arg(0)))


def proxies(config: HaproxyConfig, *kinds: str) -> list[Proxy]:
    """Frontends, backends and listens (or only the kinds given), in file order."""
    wanted = kinds or ("frontend", "backend", "listen")
    return [Proxy(config, s) for s in config.sections if s.kind in wanted]


def frontends(config: HaproxyConfig) -> list[Proxy]:
    """Proxies that accept connections: frontend and listen sections."""
    return proxies(config, "frontend", "listen")


def backends(config: HaproxyConfig) -> list[Proxy]:
    """Proxies that hold servers: backend and listen sections."""
    return proxies(config, "backend", "listen")


__all__ = [
    "ANY_HOSTS",
    "Bind",
    "HealthCheck",
    "Proxy",
    "Server",
    "Settings",
    "Timeout",
    "backends",
    "frontends",
    "has_port_offset",
    "is_any",
    "parse_time_ms",
    "port_in",
    "proxies",
    "read_settings",
]
