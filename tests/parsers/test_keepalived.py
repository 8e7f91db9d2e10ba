"""The keepalived parser: block tree, includes, definitions, problems, views, unknown-keyword replay."""

from __future__ import annotations

from pathlib import Path

from kublint.model.keepalived import as_float, as_int, global_defs, vrrp_instances, vrrp_scripts
from kublint.parsers.keepalived import Block, KeepalivedConfig, Stmt, parse_keepalived
from kublint.parsers.keepalived_keywords import unknown_keywords
from kublint.source import Pos, SourceFile, Span

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers" / "keepalived"


def load(name: str, root: Path | None = None) -> KeepalivedConfig:
    path = FIXTURES / name
    return parse_keepalived(SourceFile(f"c/{name}", path, path.read_text(encoding="utf-8")), root=root)


def parse(text: str) -> KeepalivedConfig:
    return parse_keepalived(SourceFile("k.conf", Path("/nonexistent-kublint/k.conf"), text))


def test_block_tree_and_spans() -> None:
    c = load("k8s-master.conf")
    assert [(b.keyword, b.name.value if b.name else None) for b in c.blocks()] == [
        ("global_defs", None), ("vrrp_script", "check_apiserver"), ("vrrp_track_process", "track_haproxy"),
        ("vrrp_instance", "VI_1"),
    ]
    vi = c.blocks("vrrp_instance").__next__()
    assert vi.span == Span("c/k8s-master.conf", Pos(28, 1), Pos(54, 2))
    assert vi.open == Span("c/k8s-master.conf", Pos(28, 20), Pos(28, 21))
    assert vi.close == Span("c/k8s-master.conf", Pos(54, 1), Pos(54, 2))
    assert [b.keyword for b in vi.blocks()] == [
        "unicast_peer", "authentication", "virtual_ipaddress", "track_script", "track_process",
    ]
    notify = vi.stmt("notify_master")
    assert notify is not None and notify.values[1] == "/etc/keepalived/notify.sh MASTER"
    assert not c.problems


def test_views_of_a_master() -> None:
    c = load("k8s-master.conf")
    (vi,) = vrrp_instances(c)
    assert vi.name is not None and vi.name.value == "VI_1"
    assert vi.state is not None and vi.state.value == "MASTER"
    assert vi.state.span == Span("c/k8s-master.conf", Pos(29, 11), Pos(29, 17))
    assert as_int(vi.priority) == 150 and as_int(vi.virtual_router_id) == 51
    assert as_float(vi.advert_int) == 1.0
    assert vi.interface is not None and vi.interface.value == "eth0"
    assert vi.nopreempt is not None and vi.nopreempt.value
    assert vi.unicast_src_ip is not None and vi.unicast_src_ip.value == "10.0.0.11"
    assert [p.value for p in vi.unicast_peers] == ["10.0.0.12", "10.0.0.13"]
    (vip,) = vi.vips
    assert (vip.address.value, vip.prefix, vip.text) == ("10.0.0.100", 24, "10.0.0.100/24")
    assert vip.dev is not None and vip.dev.value == "eth0"
    assert vip.address.span == Span("c/k8s-master.conf", Pos(45, 9), Pos(45, 22))
    auth = vi.auth
    assert auth is not None and auth.type is not None and auth.password is not None
    assert (auth.type.value, auth.password.value) == ("PASS", "K8sVip01")
    (track,) = vi.track_scripts
    assert track.name.value == "check_apiserver" and track.weight is not None and track.weight.value == "-30"
    assert [t.name.value for t in vi.track_processes] == ["track_haproxy"]
    (script,) = vrrp_scripts(c)
    assert script.script is not None and script.script.value == "/etc/keepalived/check_apiserver.sh 6443"
    assert script.script.span == Span("c/k8s-master.conf", Pos(12, 12), Pos(12, 53))
    values = (script.interval, script.weight, script.fall, script.rise, script.timeout)
    assert [as_int(x) for x in values] == [3, -20, 10, 2, 2]
    assert script.user is not None and script.user.value == "keepalived_script"
    g = global_defs(c)
    assert g is not None and g.enable_script_security is not None
    assert g.script_user is not None and g.script_user.value == "keepalived_script"
    assert g.router_id is not None and g.router_id.value == "cp1"


def test_brace_on_the_next_line_belongs_to_the_keyword() -> None:
    c = load("k8s-backup.conf")
    (vi,) = vrrp_instances(c)
    assert [v.text for v in vi.vips] == ["10.0.0.100/24", "fd00::100/64"]
    assert vi.auth is not None and vi.auth.password is not None
    assert [t.name.value for t in vi.track_scripts] == ["chk_haproxy"]
    assert vi.block.span == Span("c/k8s-backup.conf", Pos(14, 1), Pos(35, 2))
    assert not c.problems


def test_glued_braces_and_comments_anywhere() -> None:
    c = load("glued-braces.conf")
    assert [b.keyword for b in c.blocks()] == ["global_defs", "vrrp_instance", "vrrp_script"]
    g = global_defs(c)
    assert g is not None and g.router_id is not None and g.router_id.value == "lb-glued"
    email = g.block.block("notification_email")
    assert email is not None and [s.keyword for s in email.items()] == ["ops@example.com"]
    (vi,) = vrrp_instances(c)
    assert vi.state is not None and vi.state.value == "BACKUP"
    assert vi.auth is not None and vi.auth.password is not None and vi.auth.password.value == "P@"
    assert [(x.kept, x.lost, x.span.start) for x in c.cuts] == [("P@", "##D", Pos(12, 21))]
    assert [v.text for v in vi.vips] == ["10.0.2.100/24"]
    assert [v.text for v in vi.excluded_vips] == ["10.0.2.101"]
    notify = vi.block.stmt("notify")
    assert notify is not None and notify.values[1] == "/usr/local/bin/notify #1 !two"
    assert vi.block.stmt("smtp_alert") is not None
    (script,) = vrrp_scripts(c)
    assert script.script is not None and script.script.value == "'check"  # single quotes are not quotes
    assert not c.problems


def test_definitions_and_conditions() -> None:
    c = load("definitions.conf")
    assert [(d.name, d.value) for d in c.definitions] == [
        ("VIP", "10.0.3.100"), ("IFACE", "eth0"), ("PEERS", "10.0.3.12 10.0.3.13"),
    ]
    assert c.definitions[0].span == Span("c/definitions.conf", Pos(2, 1), Pos(2, 16))
    (vi,) = vrrp_instances(c)
    assert vi.interface is not None and vi.interface.value == "eth0"
    assert [v.text for v in vi.vips] == ["10.0.3.100/24"]
    assert vi.vips[0].dev is not None and vi.vips[0].dev.value == "eth0"
    states = [(s.condition, s.values[1]) for s in vi.block.stmts("state")]
    assert states == [("lb1", "MASTER"), ("^lb1", "BACKUP")]
    assert c.undefined_refs() == []
    assert unknown_keywords(c, "lb1") == [] and unknown_keywords(c) == []


def test_includes_keep_their_own_paths() -> None:
    c = load("includes/keepalived.conf", root=FIXTURES)
    assert [f.path for f in c.files] == [
        "c/includes/keepalived.conf", "c/includes/conf.d/10-script.conf",
        "c/includes/conf.d/20-instance.conf", "c/includes/conf.d/peers.inc", "c/includes/conf.d/vips.inc",
    ]
    patterns = [(i.pattern, len(i.files)) for i in c.includes]
    assert patterns == [("conf.d/*.conf", 2), ("conf.d/{peers,vips}.inc", 2)]
    (vi,) = vrrp_instances(c)
    assert vi.block.span.path == "c/includes/conf.d/20-instance.conf"
    assert vi.block.close is not None and vi.block.close.path == "c/includes/conf.d/vips.inc"
    assert vi.unicast_src_ip is not None and vi.unicast_src_ip.span.path == "c/includes/conf.d/peers.inc"
    assert [v.address.span for v in vi.vips] == [Span("c/includes/conf.d/vips.inc", Pos(2, 9), Pos(2, 23))]
    found = [(s.path, s.start.line, kw) for s, kw, _ in unknown_keywords(c)]
    assert found == [("c/includes/conf.d/vips.inc", 4, "bogus_included_keyword")]
    assert not c.problems


def test_include_cycle_is_a_problem() -> None:
    c = load("include-cycle/a.conf", root=FIXTURES)
    assert [(rid, p.span.path, p.span.start.line) for rid, p in c.problems] == [
        ("SY001", "c/include-cycle/b.conf", 4),
    ]
    assert "a.conf -> b.conf -> a.conf" in c.problems[0][1].message
    assert [b.keyword for b in c.blocks()] == ["global_defs", "vrrp_script"]


def test_includes_outside_the_root_are_not_followed() -> None:
    c = load("include-outside/nested/keepalived.conf")  # root: the file's own directory
    problems = [(rid, p.span.start.line) for rid, p in c.problems]
    assert problems == [("SY004", 4), ("SY004", 5), ("SY004", 6)]
    assert [f.path for f in c.files] == ["c/include-outside/nested/keepalived.conf"]
    wider = load("include-outside/nested/keepalived.conf", root=FIXTURES / "include-outside")
    assert [f.path for f in wider.files] == [
        "c/include-outside/nested/keepalived.conf", "c/include-outside/sibling.conf",
    ]
    assert [i.files for i in wider.includes][3] == ()  # missing-*.conf matches nothing


def test_unbalanced_braces() -> None:
    c = load("hostile-unbalanced.conf")
    got = sorted((p.span.start, p.message) for _, p in c.problems)
    assert got == [
        (Pos(11, 1), "'}' closes no block: keepalived reports an extra '}' and mis-reads what follows"),
        (Pos(12, 22), "'vrrp_script' block opened here is never closed"),
        (Pos(15, 20), "'vrrp_instance' block opened here is never closed"),
    ]
    assert all(rid == "SY001" for rid, _ in c.problems)
    script = c.blocks("vrrp_script").__next__()
    assert script.close is None
    assert [n.keyword for n in script.children] == ["script", "interval", "vrrp_instance"]


def test_unterminated_quotes() -> None:
    c = load("hostile-unterminated.conf")
    assert [(rid, p.span.start) for rid, p in c.problems] == [
        ("SY001", Pos(2, 12)), ("SY001", Pos(4, 10)), ("SY001", Pos(13, 25)),
    ]
    (script,) = vrrp_scripts(c)
    assert script.script is None and as_int(script.interval) == 2  # keepalived drops the rest of the line


def test_garbage_and_long_lines() -> None:
    c = load("hostile-garbage.conf")
    assert [s.start.line for s in c.long_lines] == [3, 5, 13]
    kws = [kw for _, kw, _ in unknown_keywords(c)]
    assert "r" * 491 in kws and "x" * 1023 in kws and "x" * 956 in kws


def test_nesting_is_bounded() -> None:
    c = parse("a {\n" * 5000 + "}\n" * 5000)
    assert not c.problems
    depth, node = 0, c.nodes[0]
    while isinstance(node, Block) and node.children:
        depth += 1
        node = node.children[0]
    assert depth < 200


def test_stray_open_brace_has_no_header() -> None:
    c = parse("{\n  foo 1\n}\n")
    (block,) = c.nodes
    assert isinstance(block, Block) and block.header is None
    assert isinstance(block.children[0], Stmt)


def test_unknown_keywords_replay_keepalived() -> None:
    found = [(s.start.line, kw, sug) for s, kw, sug in unknown_keywords(load("typos.conf"))]
    assert found == [
        (4, "enable_script_securty", "enable_script_security"),
        (8, "intervall", "interval"),
        (14, "prority", "priority"),
        (17, "auth_passwd", "auth_pass"),
        (22, "track_scripts", "track_script"),
        (23, "chk_api", None),  # keepalived reads the unknown block's content in vrrp_instance ...
        (25, "}", None),  # ... and its '}' closes vrrp_instance early
        (26, "vrrp_instanse", "vrrp_instance"),
        (27, "state", None),
        (28, "}", None),
    ]


def test_known_keywords_are_quiet() -> None:
    for name in ("k8s-master.conf", "k8s-backup.conf", "glued-braces.conf"):
        assert unknown_keywords(load(name)) == [], name


def test_conditional_lines_follow_the_config_id() -> None:
    c = parse("@lb1 bogus_one 1\n@^lb1 bogus_two 1\n")
    assert [kw for _, kw, _ in unknown_keywords(c, "lb1")] == ["bogus_one"]
    assert [kw for _, kw, _ in unknown_keywords(c, "lb2")] == ["bogus_two"]
    assert [kw for _, kw, _ in unknown_keywords(c)] == ["bogus_one", "bogus_two"]
