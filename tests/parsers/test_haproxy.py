"""The HAProxy parser, its effective settings, the typed views and the unknown-keyword check."""

from __future__ import annotations

from pathlib import Path

import pytest

from kublint.model.haproxy import backends, frontends, parse_time_ms, proxies
from kublint.parsers.haproxy import HaproxyConfig, bind_addresses, parse_haproxy
from kublint.parsers.haproxy_keywords import unknown_keywords
from kublint.source import Pos, SourceFile, Span

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers" / "haproxy"


def load(name: str) -> HaproxyConfig:
    path = FIXTURES / name
    return parse_haproxy(SourceFile(f"lb/{name}", path, path.read_text(encoding="utf-8")))


def parse(text: str) -> HaproxyConfig:
    return parse_haproxy(SourceFile("h.cfg", Path("/nonexistent/h.cfg"), text))


def test_sections_by_keyword_not_indentation() -> None:
    c = load("k8s-api-lb.cfg")
    assert [s.label for s in c.sections] == [
        "global", "defaults", "frontend apiserver", "backend apiserverbackend", "listen stats",
    ]
    fe = c.named("frontend", "apiserver")
    assert fe is not None and fe.name is not None
    assert fe.name.span == Span("lb/k8s-api-lb.cfg", Pos(25, 10), Pos(25, 19))
    assert fe.header.span.start == Pos(25, 1)
    assert [d.keyword for d in fe.directives] == ["bind", "bind", "mode", "option", "default_backend"]
    assert fe.span == Span("lb/k8s-api-lb.cfg", Pos(25, 1), Pos(30, 37))
    assert not c.problems


def test_directive_helpers() -> None:
    c = parse("backend be\n    no option httplog\n    timeout connect 5s\n")
    no_opt, timeout = c.sections[0].directives
    assert no_opt.prefix == "no" and [w.value for w in no_opt.unprefixed] == ["option", "httplog"]
    assert no_opt.matches("no", "option") and not no_opt.matches("option")
    assert timeout.matches("timeout", "connect") and timeout.arg(1) is not None
    assert timeout.arg(5) is None


def test_directives_before_the_first_section_are_hp002() -> None:
    c = load("hostile-unterminated.cfg")
    hp002 = [(p.span.start, p.message) for rid, p in c.problems if rid == "HP002"]
    assert hp002 == [
        (Pos(1, 1), "'maxconn' is outside any section; HAProxy rejects it"),
        (Pos(2, 1), "'mode' is outside any section; HAProxy rejects it"),
    ]
    assert [d.keyword for d in c.orphans] == ["maxconn", "mode"]


def test_unterminated_quotes_and_condition_errors_are_sy001() -> None:
    c = load("hostile-unterminated.cfg")
    sy001 = [(p.span.start, p.message) for rid, p in c.problems if rid == "SY001"]
    assert sy001 == [
        (Pos(5, 17), "unterminated double quote"),
        (Pos(6, 9), "unterminated double quote"),
        (Pos(7, 14), "unterminated single quote"),
        (Pos(9, 1), "'.endif' without a matching '.if'"),
        (Pos(10, 1), "'.else' without a matching '.if'"),
        (Pos(27, 1), "'.elif' after '.else' in the same block"),
        (Pos(23, 1), "'.if' block is never closed with '.endif'"),
    ]
    glob = c.sections[0]
    assert [d.keyword for d in glob.directives] == ["setenv"]  # broken lines are left out, as HAProxy does


def test_conditions_recorded_and_every_branch_parsed() -> None:
    c = load("conditions.cfg")
    glob = c.sections[0]
    assert [d.keyword for d in glob.directives] == ["maxconn", "nbthread", "nbproc"]
    nbthread = glob.directives[1]
    assert [(k.keyword, [w.value for w in k.words]) for k in nbthread.conditions] == [
        (".if", ["version_atleast(2.4)"])
    ]
    assert nbthread.conditions[0].span == Span("lb/conditions.cfg", Pos(4, 1), Pos(4, 25))
    assert [k.keyword for k in glob.directives[2].conditions] == [".elif"]
    assert [m.keyword for m in c.messages] == [".notice", ".warning"]
    assert len(c.conditionals) == 3
    be = c.named("backend", "be")
    assert be is not None
    nested = next(d for d in be.directives if d.keyword == "server")
    assert [k.keyword for k in nested.conditions] == [".if", ".if"]
    assert not c.problems


def test_env_refs() -> None:
    c = load("conditions.cfg")
    refs = [(r.name, r.expanded) for r in c.env_refs]
    assert ("HAPROXY_BIND_ADDR", True) in refs
    assert ("HAPROXY_LOCALPEER", True) in refs


def test_quoting_fixture_values() -> None:
    c = load("quoting.cfg")
    setenv = {d.args[0].value: d.args[1].value for d in c.sections[0].find("setenv") if len(d.args) > 1}
    assert setenv["GREETING"] == "hello world"
    assert setenv["HEX"] == "tab\there A and $ literal"
    assert setenv["STRONG"] == "single $NOT_A_VAR \\t stays"
    assert setenv["JOINED"] == "abcdef ghijkl mnopqr"
    assert setenv["EMPTY"] == ""
    assert setenv["PASS"] == "s3cr3t"
    assert [(x.kept, x.lost, x.span.start) for x in c.cuts] == [("s3cr3t", "#oops", Pos(11, 23))]
    desc = c.sections[0].last("description")
    assert desc is not None and desc.args[0].value == "HAProxy # not a comment"


def test_inheritance_from_named_and_implicit_defaults() -> None:
    c = load("inheritance.cfg")
    web, app, _api_fe, api, implicit = list(c.proxies())
    assert c.effective_mode(web) == "http"
    opts = c.effective_options(web)
    assert opts["forwardfor"].enabled is False and opts["httplog"].enabled
    assert opts["httplog"].section.name is not None and opts["httplog"].section.name.value == "http-base"
    assert [s.label for s in c.chain(api)] == ["defaults tcp-base", "defaults tuned", "backend api"]
    timeouts = c.effective_timeouts(api)
    assert timeouts["server"].args[1].value == "2h" and timeouts["connect"].args[1].value == "2s"
    check = c.check_option(api)
    assert check is not None and check.name == "ssl-hello-chk"  # its own beats tcp-check from defaults
    assert c.defaults_for(implicit) is c.named("defaults", "tuned")  # the last defaults before it, any name
    assert c.effective_mode(implicit) == "tcp"
    balance = c.effective_balance(app)
    assert balance is not None and balance.args[0].value == "leastconn"


def test_defaults_without_from_start_afresh() -> None:
    c = parse("defaults\n  mode http\ndefaults\n  timeout client 1s\nbackend b\n  server s 1.2.3.4:80\n")
    assert c.effective_mode(c.sections[2]) == "tcp"


def test_from_cycles_are_cut() -> None:
    c = parse("defaults a from b\n  mode http\ndefaults b from a\n  mode tcp\nbackend x from a\n")
    assert [s.label for s in c.chain(c.sections[2])] == ["defaults b", "defaults a", "backend x"]


def test_server_lines_and_addresses() -> None:
    c = load("hostile-garbage.cfg")
    be = c.named("backend", "be")
    assert be is not None
    servers = {s.name.value: s.parsed for s in c.servers(be) if s.name and s.parsed}
    assert (servers["s2"].host, servers["s2"].port) == ("fd00::1", 6443)
    assert (servers["s3"].host, servers["s3"].port) == ("fd00::2", 6443)  # last colon: the port
    assert (servers["s4"].host, servers["s4"].port) == ("127.0.0.1", 6443)


def test_bind_addresses_have_their_own_spans() -> None:
    c = load("k8s-api-lb.cfg")
    fe = c.named("frontend", "apiserver")
    assert fe is not None
    second = list(fe.find("bind"))[1]
    addrs = bind_addresses(second)
    assert [(a.host, a.port) for a in addrs] == [("10.0.0.100", 6443), ("fd00::100", 6443)]
    assert addrs[1].span == Span("lb/k8s-api-lb.cfg", Pos(27, 26), Pos(27, 42))
    assert c.source.line_text(27)[25:41] == "[fd00::100]:6443"


def test_views_of_the_apiserver_backend() -> None:
    c = load("k8s-api-lb.cfg")
    be = backends(c)[0]
    assert be.mode.value == "tcp" and be.mode.span.start == Pos(35, 10)
    hc = be.health_check
    assert hc.kind == "http" and hc.http_request == ("GET", "/readyz")
    assert [d.words[1].value for d in hc.http_check] == ["expect"]
    cp1, _cp2, cp3 = be.servers
    assert cp1.checked and cp1.check_ssl
    assert cp1.settings.param("verify") is not None and cp1.settings.params["verify"].value == "none"
    assert cp1.check_param("inter") == "3s" and cp1.check_param("fall") == "2"
    assert cp3.host is not None and cp3.host.value == "cp3.k8s.example.com"
    assert cp3.port is not None and cp3.port.value == 6443
    assert be.timeouts["check"].ms == 10_000
    assert be.balance is not None and be.balance.value == "roundrobin"
    fe = frontends(c)[0]
    assert fe.default_backend is not None and fe.default_backend.value == "apiserverbackend"
    assert [a.port for b in fe.binds for a in b.addresses] == [8443, 6443, 6443]
    stats = proxies(c, "listen")[0]
    assert stats.mode.value == "http" and not stats.servers


def test_mode_default_points_at_the_header() -> None:
    c = parse("backend b\n  server s 1.2.3.4:80 check\n")
    p = proxies(c)[0]
    assert p.mode.value == "tcp" and p.mode.span == p.section.header.span
    assert p.health_check.kind == "tcp" and p.servers[0].check_param("rise") == "2"


def test_server_settings_negation_and_default_server() -> None:
    c = parse(
        "defaults\n  default-server check inter 5s\nbackend b\n"
        "  server a 1.1.1.1:1 no-check\n  server b 1.1.1.2:1 ssl port 8080 source 10.0.0.1 usesrc client\n"
    )
    a, b = proxies(c)[0].servers
    assert not a.checked and a.check_param("inter") == "5s"
    assert b.checked and not b.check_ssl  # ssl with another check port: the check is plain
    assert b.settings.params["usesrc"].value == "client"


@pytest.mark.parametrize(
    ("text", "ms"),
    [("5s", 5000.0), ("100", 100.0), ("2m", 120_000.0), ("1h", 3_600_000.0), ("250us", 0.25), ("x", None),
     ("5 s", None)],
)
def test_parse_time_ms(text: str, ms: float | None) -> None:
    assert parse_time_ms(text) == ms


def test_unknown_keywords_with_suggestions() -> None:
    found = [(s.start.line, s.start.col, kw, sug) for s, kw, sug in unknown_keywords(load("typos.cfg"))]
    assert found == [
        (5, 5, "maxconnn", "maxconn"),
        (12, 13, "serveur", "server"),
        (13, 12, "tcplogg", "tcplog"),
        (16, 21, "acept-proxy", "accept-proxy"),
        (17, 5, "balanse", "balance"),
        (21, 12, "httpchck", "httpchk"),
        (23, 15, "bogus-option", None),
        (24, 29, "fal", "fall"),
        (25, 31, "chekc", "check"),
        (26, 60, "backupp", "backup"),
        (27, 66, "bogus1", None),  # HAProxy stops at the first unknown server keyword
        (31, 5, "peerr", "peer"),
        (35, 5, "usr", "user"),
        (40, 5, "nameservr", "nameserver"),
    ]


def test_known_keywords_are_quiet() -> None:
    for name in ("k8s-api-lb.cfg", "inheritance.cfg", "conditions.cfg", "quoting.cfg"):
        assert unknown_keywords(load(name)) == [], name


def test_missing_final_newline() -> None:
    assert load("missing-final-newline.cfg").missing_final_newline
    assert not load("k8s-api-lb.cfg").missing_final_newline


def test_garbage_does_not_raise() -> None:
    c = load("hostile-garbage.cfg")
    assert [s.kind for s in c.sections] == ["global", "defaults", "frontend", "backend"]
    messages = [p.message for _, p in c.problems]
    assert "invalid hexadecimal escape sequence" in messages
    defaults = c.sections[1]
    timeout = defaults.last("timeout", "connect")
    assert timeout is not None and [w.value for w in timeout.words] == ["timeout", "connect", "5s"]
    assert "ünïcødé-keyword" in [kw for _, kw, _ in unknown_keywords(c)]
