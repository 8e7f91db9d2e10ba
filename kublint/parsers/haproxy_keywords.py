"""HAProxy 2.6 keyword tables (data) and the unknown-keyword check that uses them.

Checked against the installed ``haproxy`` 2.6.12 (Debian 12): every identifier-like string in the binary (and
its suffixes) was tried as a line in each section kind with ``haproxy -c``; a keyword is known when HAProxy
does not answer "unknown keyword". Option names were tried as ``option X`` the same way. Server and bind
keywords (with their argument counts) come from ``haproxy -dKcfg``, checked by trying every string after
``server``/``bind`` (which found ``ssl`` on bind lines, missing from the dump). ``namespace_list`` accepts any
line. Method and figures: docs/lb-parsers.md.
"""

from __future__ import annotations

from kublint.parsers.haproxy import PROXY_KINDS, Directive, HaproxyConfig
from kublint.parsers.lexing import Word
from kublint.source import Span
from kublint.suggest import closest

PROXY_KEYWORDS = frozenset(
{
    "acl", "appsession", "backlog", "balance", "bind", "bind-process", "block", "capture", "cliexp",
    "clitcpka-cnt", "clitcpka-idle", "clitcpka-intvl", "clitimeout", "compression", "contimeout", "cookie",
    "declare", "default", "default-server", "default_backend", "description", "disabled", "dispatch",
    "dynamic-cookie-key", "email-alert", "enabled", "error-log-format", "errorfile", "errorfiles", "errorloc",
    "errorloc302", "errorloc303", "external-check", "filter", "force-persist", "fullconn", "grace",
    "hash-balance-factor", "hash-type", "http-after-response", "http-check", "http-error", "http-request",
    "http-response", "http-reuse", "http-send-name-header", "id", "ignore-persist",
    "load-server-state-from-file", "log", "log-format", "log-format-sd", "log-tag", "max-keep-alive-queue",
    "max-session-srv-conns", "maxconn", "mode", "monitor", "monitor-net", "monitor-uri", "no", "option",
    "persist", "rate-limit", "redirect", "redisp", "redispatch", "reqadd", "reqallow", "reqdel", "reqdeny",
    "reqiallow", "reqidel", "reqideny", "reqipass", "reqirep", "reqitarpit", "reqpass", "reqrep", "reqtarpit",
    "retries", "retry-on", "rspadd", "rspdel", "rspdeny", "rspidel", "rspideny", "rspirep", "rsprep",
    "server", "server-state-file-name", "server-template", "source", "srvexp", "srvtcpka-cnt",
    "srvtcpka-idle", "srvtcpka-intvl", "srvtimeout", "stats", "stick", "stick-table", "tcp-check",
    "tcp-request", "tcp-response", "timeout", "transparent", "unique-id-format", "unique-id-header",
    "use-fcgi-app", "use-server", "use_backend", "usesrc"
}
)

GLOBAL_KEYWORDS = frozenset(
{
    "busy-polling", "ca-base", "chroot", "close-spread-time", "cluster-secret", "cpu-map", "crt-base",
    "daemon", "default", "default-path", "description", "expose-experimental-directives", "external-check",
    "fd-hard-limit", "gid", "grace", "group", "h1-accept-payload-with-any-method", "h1-case-adjust",
    "h1-case-adjust-file", "h2-workaround-bogus-websocket-clients", "hard-stop-after",
    "httpclient.resolvers.id", "httpclient.resolvers.prefer", "httpclient.ssl.ca-file",
    "httpclient.ssl.verify", "insecure-fork-wanted", "insecure-setuid-wanted", "issuers-chain-path",
    "localpeer", "log", "log-send-hostname", "log-tag", "lua-load", "lua-load-per-thread", "lua-prepend-path",
    "master-worker", "max-spread-checks", "maxcompcpuusage", "maxcomprate", "maxconn", "maxconnrate",
    "maxpipes", "maxsessrate", "maxsslconn", "maxsslrate", "maxzlibmem", "mworker-max-reloads", "nbproc",
    "nbthread", "no", "no-memory-trimming", "node", "noepoll", "noevports", "nogetaddrinfo", "nokqueue",
    "nopoll", "noreuseport", "nosplice", "numa-cpu-mapping", "pidfile", "pp2-never-send-local", "presetenv",
    "profiling.tasks", "quiet", "resetenv", "server-state-base", "server-state-file", "set-dumpable",
    "set-var", "set-var-fmt", "setenv", "spread-checks", "ssl-default-bind-ciphers",
    "ssl-default-bind-ciphersuites", "ssl-default-bind-curves", "ssl-default-bind-options",
    "ssl-default-server-ciphers", "ssl-default-server-ciphersuites", "ssl-default-server-options",
    "ssl-dh-param-file", "ssl-load-extra-del-ext", "ssl-load-extra-files", "ssl-mode-async", "ssl-propquery",
    "ssl-provider", "ssl-provider-path", "ssl-server-verify", "ssl-skip-self-issued-ca", "stats",
    "strict-limits", "thread-group", "thread-groups", "tune.buffers.limit", "tune.buffers.reserve",
    "tune.bufsize", "tune.chksize", "tune.comp.maxlevel", "tune.fail-alloc", "tune.fd.edge-triggered",
    "tune.h2.header-table-size", "tune.h2.initial-window-size", "tune.h2.max-concurrent-streams",
    "tune.h2.max-frame-size", "tune.http.cookielen", "tune.http.logurilen", "tune.http.maxhdr",
    "tune.idle-pool.shared", "tune.idletimer", "tune.listener.multi-queue", "tune.lua.forced-yield",
    "tune.lua.maxmem", "tune.lua.service-timeout", "tune.lua.session-timeout", "tune.lua.task-timeout",
    "tune.maxaccept", "tune.maxpollevents", "tune.maxrewrite", "tune.pattern.cache-size",
    "tune.peers.max-updates-at-once", "tune.pipesize", "tune.pool-high-fd-ratio", "tune.pool-low-fd-ratio",
    "tune.rcvbuf.client", "tune.rcvbuf.server", "tune.recv_enough", "tune.runqueue-depth",
    "tune.sched.low-latency", "tune.sndbuf.client", "tune.sndbuf.server", "tune.ssl.cachesize",
    "tune.ssl.capture-buffer-size", "tune.ssl.capture-cipherlist-size", "tune.ssl.default-dh-param",
    "tune.ssl.force-private-cache", "tune.ssl.hard-maxrecord", "tune.ssl.keylog", "tune.ssl.lifetime",
    "tune.ssl.maxrecord", "tune.ssl.ssl-ctx-cache-size", "tune.vars.check-max-size",
    "tune.vars.global-max-size", "tune.vars.proc-max-size", "tune.vars.reqres-max-size",
    "tune.vars.sess-max-size", "tune.vars.txn-max-size", "uid", "ulimit-n", "unix-bind", "unsetenv", "user",
    "zero-warning"
}
)

OTHER_SECTION_KEYWORDS: dict[str, frozenset[str]] = {
    "cache": frozenset(
        {
            "default", "max-age", "max-object-size", "max-secondary-entries", "no", "process-vary",
            "total-max-size"
        }
    ),
    "fcgi-app": frozenset(
        {
            "acl", "default", "docroot", "index", "log-stderr", "no", "option", "pass-header", "path-info",
            "set-param"
        }
    ),
    "http-errors": frozenset({"default", "errorfile", "no"}),
    "log-forward": frozenset({"backlog", "bind", "default", "dgram-bind", "log", "maxconn", "no", "timeout"}),
    "mailers": frozenset({"default", "mailer", "no", "timeout"}),
    "peers": frozenset(
        {
            "bind", "default", "default-bind", "default-server", "disabled", "enabled", "log", "no", "peer",
            "server", "table"
        }
    ),
    "program": frozenset({"command", "default", "group", "no", "option", "user"}),
    "resolvers": frozenset(
        {
            "accepted_payload_size", "default", "hold", "nameserver", "no", "parse-resolv-conf",
            "resolution_pool_size", "resolve_retries", "timeout"
        }
    ),
    "ring": frozenset(
        {
            "backing-file", "default", "description", "format", "maxlen", "no", "server", "size", "timeout"
        }
    ),
    "userlist": frozenset({"default", "group", "no", "user"}),
}

OPTIONS = frozenset(
{
    "abortonclose", "accept-invalid-http-request", "accept-invalid-http-response", "allbackups", "checkcache",
    "clitcpka", "contstats", "disable-h2-upgrade", "dontlog-normal", "dontlognull", "external-check",
    "forceclose", "forwardfor", "h1-case-adjust-bogus-client", "h1-case-adjust-bogus-server",
    "http-buffer-request", "http-ignore-probes", "http-keep-alive", "http-no-delay", "http-pretend-keepalive",
    "http-restrict-req-hdr-names", "http-server-close", "http-tunnel", "http-use-proxy-header", "httpchk",
    "httpclose", "httplog", "httpslog", "idle-close-on-response", "independent-streams", "ldap-check",
    "log-health-checks", "log-separate-errors", "logasap", "mysql-check", "nolinger", "originalto", "persist",
    "pgsql-check", "prefer-last-server", "redis-check", "redispatch", "smtpchk", "socket-stats",
    "splice-auto", "splice-request", "splice-response", "spop-check", "srvtcpka", "ssl-hello-chk",
    "tcp-check", "tcp-smart-accept", "tcp-smart-connect", "tcpka", "tcplog", "transparent"
}
)

TIMEOUTS = frozenset(
    {"client", "server", "connect", "check", "queue", "http-keep-alive", "http-request", "tunnel", "tarpit",
     "client-fin", "server-fin"}
)

SERVER_KEYWORDS: dict[str, int] = {
    "addr": 1, "agent-addr": 1, "agent-check": 0, "agent-inter": 1, "agent-port": 1, "agent-send": 1,
    "allow-0rtt": 0, "alpn": 1, "backup": 0, "ca-file": 1, "check": 0, "check-alpn": 1, "check-proto": 1,
    "check-send-proxy": 0, "check-sni": 1, "check-ssl": 0, "check-via-socks4": 0, "ciphers": 1,
    "ciphersuites": 1, "cookie": 1, "crl-file": 1, "crt": 1, "disabled": 0, "downinter": 1, "enabled": 0,
    "error-limit": 1, "fall": 1, "fastinter": 1, "force-sslv3": 0, "force-tlsv10": 0, "force-tlsv11": 0,
    "force-tlsv12": 0, "force-tlsv13": 0, "id": 1, "init-addr": 1, "inter": 1, "log-proto": 1, "max-reuse": 1,
    "maxconn": 1, "maxqueue": 1, "minconn": 1, "namespace": 1, "no-agent-check": 0, "no-backup": 0,
    "no-check": 0, "no-check-send-proxy": 0, "no-check-ssl": 0, "no-send-proxy": 0, "no-send-proxy-v2": 0,
    "no-send-proxy-v2-ssl": 0, "no-send-proxy-v2-ssl-cn": 0, "no-ssl": 0, "no-ssl-reuse": 0, "no-sslv3": 0,
    "no-tfo": 0, "no-tls-tickets": 0, "no-tlsv10": 0, "no-tlsv11": 0, "no-tlsv12": 0, "no-tlsv13": 0,
    "non-stick": 0, "npn": 1, "observe": 1, "on-error": 1, "on-marked-down": 1, "on-marked-up": 1,
    "pool-low-conn": 1, "pool-max-conn": 1, "pool-purge-delay": 1, "port": 1, "proto": 1, "proxy-v2-options":
    1, "redir": 1, "resolve-net": 1, "resolve-opts": 1, "resolve-prefer": 1, "resolvers": 1, "rise": 1,
    "send-proxy": 0, "send-proxy-v2": 0, "send-proxy-v2-ssl": 0, "send-proxy-v2-ssl-cn": 0, "slowstart": 1,
    "sni": 1, "socks4": 1, "source": -1, "ssl": 0, "ssl-max-ver": 1, "ssl-min-ver": 1, "ssl-reuse": 0,
    "stick": 0, "tcp-ut": 1, "tfo": 0, "tls-tickets": 0, "track": 1, "usesrc": 0, "verify": 1, "verifyhost":
    1, "weight": 1, "ws": 1
}

BIND_KEYWORDS: dict[str, int] = {
    "accept-netscaler-cip": 1, "accept-proxy": 0, "allow-0rtt": 0, "alpn": 1, "backlog": 1, "ca-file": 1,
    "ca-ignore-err": 1, "ca-sign-file": 1, "ca-sign-pass": 1, "ca-verify-file": 1, "ciphers": 1,
    "ciphersuites": 1, "crl-file": 1, "crt": 1, "crt-ignore-err": 1, "crt-list": 1, "curves": 1,
    "defer-accept": 0, "ecdhe": 1, "expose-fd": 1, "force-sslv3": 0, "force-tlsv10": 0, "force-tlsv11": 0,
    "force-tlsv12": 0, "force-tlsv13": 0, "generate-certificates": 0, "gid": 1, "group": 1, "id": 1,
    "interface": 1, "level": 1, "maxconn": 1, "mode": 1, "mss": 1, "name": 1, "namespace": 1, "nice": 1,
    "no-ca-names": 0, "no-sslv3": 0, "no-tls-tickets": 0, "no-tlsv10": 0, "no-tlsv11": 0, "no-tlsv12": 0,
    "no-tlsv13": 0, "npn": 1, "prefer-client-ciphers": 0, "process": 1, "proto": 1, "severity-output": 1,
    "shards": 1, "ssl": 0, "ssl-max-ver": 1, "ssl-min-ver": 1, "strict-sni": 0, "tcp-ut": 1, "tfo": 0,
    "thread": 1, "tls-ticket-keys": 1, "transparent": 0, "uid": 1, "user": 1, "v4v6": 0, "v6only": 0,
    "verify": 1
}

Unknown = tuple[Span, str, str | None]  # where, the keyword as written, a close known keyword


def suggest(word: str, known: frozenset[str] | dict[str, int]) -> str | None:
    return closest(word, sorted(k for k in known if k not in ("no", "default")))


_CLOSE: dict[tuple[int, str], str | None] = {}


def _close(word: str, known: frozenset[str] | dict[str, int]) -> str | None:
    """suggest() for the module's own tables, once per distinct word: a file of 20,000 unknown lines asks
    for the same few words again and again, and each answer compares the word with every keyword."""
    key = (id(known), word)  # the tables live as long as the module, so their ids stay theirs
    if key not in _CLOSE:
        if len(_CLOSE) > 100_000:
            _CLOSE.clear()
        _CLOSE[key] = suggest(word, known)
    return _CLOSE[key]


def section_keywords(kind: str) -> frozenset[str] | None:
    """The keywords a section kind accepts; ``None`` when it accepts anything."""
    if kind in PROXY_KINDS or kind == "defaults":
        return PROXY_KEYWORDS
    if kind == "global":
        return GLOBAL_KEYWORDS
    return OTHER_SECTION_KEYWORDS.get(kind)


def _first_unknown(words: tuple[Word, ...], table: dict[str, int]) -> Unknown | None:
    """HAProxy reads server/bind options left to right and stops at the first keyword it does not know."""
    i = 0
    while i < len(words):
        kw = words[i].value
        if kw not in table:
            return (words[i].span, kw, _close(kw, table))
        n = table[kw]
        if n < 0:  # `source <addr> [usesrc <addr>] [interface <name>]`
            i += 2
            while i < len(words) and words[i].value in ("usesrc", "interface"):
                i += 2
            continue
        i += 1 + n
    return None


def _directive(kind: str, table: frozenset[str], d: Directive) -> Unknown | None:
    words = d.unprefixed
    kw = words[0].value
    if kw not in table:
        return (words[0].span, kw, _close(kw, table))
    proxy = kind in PROXY_KINDS or kind == "defaults"
    if not proxy or len(words) < 2:
        return None
    sub = words[1]
    if kw == "option" and sub.value not in OPTIONS:
        return (sub.span, sub.value, _close(sub.value, OPTIONS))
    if kw == "timeout" and sub.value not in TIMEOUTS:
        return (sub.span, sub.value, _close(sub.value, TIMEOUTS))
    if kw == "bind" and kind != "defaults":
        return _first_unknown(words[2:], BIND_KEYWORDS)
    if kind == "frontend":
        return None  # HAProxy refuses server lines in a frontend before it reads their options
    if kw == "default-server":
        return _first_unknown(words[1:], SERVER_KEYWORDS)
    if kw == "server" and kind != "defaults":
        return _first_unknown(words[3:], SERVER_KEYWORDS)
    if kw == "server-template" and kind != "defaults":
        return _first_unknown(words[4:], SERVER_KEYWORDS)
    return None


def unknown_keywords(config: HaproxyConfig) -> list[Unknown]:
    """Keywords HAProxy 2.6 rejects as unknown: section keywords, option and timeout names, server and bind
    options. Directives outside any section are HP002, not reported here."""
    out: list[Unknown] = []
    for section in config.sections:
        table = section_keywords(section.kind)
        if table is None:
            continue
        for d in section.directives:
            found = _directive(section.kind, table, d)
            if found is not None:
                out.append(found)
    return out


__all__ = [
    "BIND_KEYWORDS", "GLOBAL_KEYWORDS", "OPTIONS", "OTHER_SECTION_KEYWORDS", "PROXY_KEYWORDS",
    "SERVER_KEYWORDS", "TIMEOUTS", "section_keywords", "suggest", "unknown_keywords",
]
