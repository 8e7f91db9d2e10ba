"""The SARIF reporter: schema-valid output that meets GitHub code scanning's rules (peers.md 4 and 9)."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from kublint.catalogue import RuleCard, catalogue
from kublint.engine import Report
from kublint.findings import Finding, Related, Severity
from kublint.report import sarif
from kublint.source import Pos, Span

SCHEMA_NAME = "sarif-schema-2.1.0.json"
SRCROOT = "/repo"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "info": "2.0"}
# RFC 3986 URI-reference: only these characters, and every '%' starts a percent-encoded octet
_URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")


def _schema_path() -> Path | None:
    repo = Path(__file__).resolve().parents[2]
    candidates = [repo / ".." / "shared" / "schemas-external" / SCHEMA_NAME]
    env = os.environ.get("KUBLINT_SHARED")
    if env:
        candidates.append(Path(env) / "schemas-external" / SCHEMA_NAME)
    return next((c for c in candidates if c.is_file()), None)


@pytest.fixture(scope="module")
def validate() -> Any:
    import jsonschema

    path = _schema_path()
    if path is None:
        pytest.skip(f"{SCHEMA_NAME} is not present (../shared or $KUBLINT_SHARED)")
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # the schema's own $schema (draft-04 for SARIF 2.1.0)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)

    def check(log: dict[str, Any]) -> None:
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
        for uri in _uris(log):  # the installed jsonschema has no uri-reference format checker
            assert _URI_CHARS.match(uri), uri

    return check


def _uris(node: Any) -> list[str]:
    if isinstance(node, dict):
        here = [node["uri"]] if isinstance(node.get("uri"), str) else []
        return here + [u for v in node.values() for u in _uris(v)]
    if isinstance(node, list):
        return [u for v in node for u in _uris(v)]
    return []


def span(path: str, line: int, col: int, end_line: int, end_col: int) -> Span:
    return Span(path, Pos(line, col), Pos(end_line, end_col))


def finding(
    card: RuleCard, sp: Span, message: str = "something is wrong", *, severity: Severity | None = None,
    related: tuple[Related, ...] = (), fp: str = "0" * 32, suppressed_by: str | None = None,
) -> Finding:
    return Finding(card.id, card.name, severity or card.severity, message, sp, related, fp, suppressed_by)


@pytest.fixture(scope="module")
def cards() -> dict[str, RuleCard]:
    return catalogue()


@pytest.fixture(scope="module")
def card(cards: dict[str, RuleCard]) -> RuleCard:
    return cards["SY001"] if "SY001" in cards else next(iter(cards.values()))


@pytest.fixture
def report(cards: dict[str, RuleCard], card: RuleCard) -> Report:
    security = [c for c in cards.values() if "security" in c.tags]
    findings = [
        finding(card, span("clusters/prod east/kube,adm.yaml", 3, 5, 3, 12), "100% bad\r\nsecond line",
                related=(Related(span("lb/haproxy.cfg", 12, 3, 12, 9), "the backend is here"),), fp="a" * 32),
        finding(card, span("clusters/a.yaml", 5, 1, 8, 3), "spans lines", severity=Severity.WARNING,
                fp="b" * 32),
        finding(card, span("clusters/a.yaml", 9, 4, 9, 4), "empty span", severity=Severity.INFO,
                fp="c" * 32),
        finding(card, span("clusters/a.yaml", 10, 1, 10, 5), "hidden", fp="d" * 32,
                suppressed_by="inline: known and accepted"),
        finding(card, span("clusters/a.yaml", 11, 1, 11, 5), "baselined", fp="e" * 32,
                suppressed_by="baseline"),
    ]
    findings += [finding(c, span("clusters/sec.yaml", 1, 1, 1, 9), "security problem", fp="f" * 32)
                 for c in security[:1]]
    return Report(findings=findings, files=3, clusters=1, selected=sorted(cards))


def _run(log: dict[str, Any]) -> dict[str, Any]:
    assert len(log["runs"]) == 1
    run: dict[str, Any] = log["runs"][0]
    return run


def test_valid_and_nothing_else_on_the_stream(report: Report, validate: Any) -> None:
    out = io.StringIO()
    sarif.render(report, out, srcroot=SRCROOT, color=False, verbose=True)
    text = out.getvalue()
    log = json.loads(text)
    assert text.lstrip().startswith("{") and text.endswith("}\n")
    assert log == sarif.as_dict(report, srcroot=SRCROOT)
    validate(log)
    validate(sarif.as_dict(report, include_suppressed=True, srcroot=SRCROOT))


def test_log_and_run_header(report: Report) -> None:
    log = sarif.as_dict(report, srcroot=SRCROOT)
    assert log["$schema"].startswith("https://") and log["version"] == "2.1.0"
    run = _run(log)
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == Path(SRCROOT).resolve().as_uri() + "/"
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert "properties" not in run
    driver = run["tool"]["driver"]
    assert driver["name"] == "kublint"
    assert driver["version"] == report.version == driver["semanticVersion"]
    assert driver["informationUri"] == "https://github.com/kublint/kublint"


def test_every_selected_rule_is_described(report: Report, cards: dict[str, RuleCard]) -> None:
    rules = _run(sarif.as_dict(report, srcroot=SRCROOT))["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == report.selected
    for rule in rules:
        c = cards[rule["id"]]
        assert rule["name"] == c.name
        assert rule["shortDescription"]["text"] == c.summary
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"] == {"text": c.body, "markdown": c.body}
        assert rule["defaultConfiguration"]["level"] == LEVELS[c.severity.label]
        props = rule["properties"]
        assert props["tags"] == list(c.tags) and props["precision"] == "high"
        if "security" in c.tags:
            assert props["security-severity"] == SECURITY_SEVERITY[c.severity.label]
        else:
            assert "security-severity" not in props


def test_full_description_is_the_first_paragraph_of_what_it_checks(cards: dict[str, RuleCard]) -> None:
    for c in cards.values():
        text = sarif.rule_descriptor(c)["fullDescription"]["text"]
        if "## What it checks" in c.body and len(text) < 1024:
            first = c.body.split("## What it checks", 1)[1].strip().split("\n\n", 1)[0]
            assert text == " ".join(first.split())


def test_security_severity_by_level(monkeypatch: pytest.MonkeyPatch, card: RuleCard) -> None:
    def make(rule_id: str, severity: Severity, tags: tuple[str, ...]) -> RuleCard:
        return RuleCard(rule_id, f"test.{rule_id.lower()}", "A summary.", severity, tags, "0.1.0", "stable",
                        card.path)

    fake = {"ZZ001": make("ZZ001", Severity.ERROR, ("security", "cis")),
            "ZZ002": make("ZZ002", Severity.WARNING, ("security",)),
            "ZZ003": make("ZZ003", Severity.INFO, ("security", "security")),
            "ZZ004": make("ZZ004", Severity.ERROR, ("correctness",))}
    monkeypatch.setattr(sarif, "catalogue", lambda: fake)
    log = sarif.as_dict(Report(selected=sorted(fake)), srcroot=SRCROOT)
    rules = _run(log)["tool"]["driver"]["rules"]
    props = {r["id"]: r["properties"] for r in rules}
    assert props["ZZ001"] == {"tags": ["security", "cis"], "precision": "high", "security-severity": "8.0"}
    assert props["ZZ002"]["security-severity"] == "5.0"
    assert props["ZZ003"] == {"tags": ["security"], "precision": "high", "security-severity": "2.0"}
    assert "security-severity" not in props["ZZ004"]
    assert {r["id"]: r["defaultConfiguration"]["level"] for r in rules} == {
        "ZZ001": "error", "ZZ002": "warning", "ZZ003": "note", "ZZ004": "error"}


def test_results(report: Report, card: RuleCard) -> None:
    run = _run(sarif.as_dict(report, srcroot=SRCROOT))
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    results = run["results"]
    assert len(results) == len(report.findings) - 2  # the two suppressed ones are left out
    for res in results:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        assert "suppressions" not in res
    first, multi, empty = results[:3]
    assert first["ruleId"] == card.id and first["level"] == "error"
    assert first["message"] == {"text": "100% bad\r\nsecond line"}
    assert first["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "clusters/prod%20east/kube%2Cadm.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 12},
    }}]
    assert first["relatedLocations"] == [{
        "id": 1,
        "physicalLocation": {
            "artifactLocation": {"uri": "lb/haproxy.cfg", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 12, "startColumn": 3, "endLine": 12, "endColumn": 9},
        },
        "message": {"text": "the backend is here"},
    }]
    assert first["partialFingerprints"] == {"kublint/v1": "a" * 32}
    assert multi["level"] == "warning"
    assert multi["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 5, "startColumn": 1, "endLine": 8, "endColumn": 3}
    assert "relatedLocations" not in multi
    assert empty["level"] == "note"
    assert empty["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 9, "startColumn": 4, "endLine": 9, "endColumn": 5}


def test_security_result_level(report: Report, cards: dict[str, RuleCard]) -> None:
    run = _run(sarif.as_dict(report, srcroot=SRCROOT))
    rules = run["tool"]["driver"]["rules"]
    for res in run["results"]:
        rule = rules[res["ruleIndex"]]
        if "security" in cards[res["ruleId"]].tags:
            assert "security-severity" in rule["properties"]


def test_suppressed_on_request(report: Report) -> None:
    results = _run(sarif.as_dict(report, include_suppressed=True, srcroot=SRCROOT))["results"]
    assert len(results) == len(report.findings)
    by_message = {r["message"]["text"]: r["suppressions"] for r in results}
    assert by_message["hidden"] == [{"kind": "inSource", "justification": "inline: known and accepted"}]
    assert by_message["baselined"] == [{"kind": "external", "justification": "baseline"}]
    assert by_message["spans lines"] == []  # every result carries suppressions once one does (SARIF 3.27.23)


@pytest.mark.parametrize(("path", "uri"), [
    ("a.yaml", {"uri": "a.yaml", "uriBaseId": "%SRCROOT%"}),
    ("x y/a,b;c#d?e.yaml", {"uri": "x%20y/a%2Cb%3Bc%23d%3Fe.yaml", "uriBaseId": "%SRCROOT%"}),
    ("100%/ü.yaml", {"uri": "100%25/%C3%BC.yaml", "uriBaseId": "%SRCROOT%"}),
    ("a:b/c.yaml", {"uri": "a%3Ab/c.yaml", "uriBaseId": "%SRCROOT%"}),
    ("../up/c.yaml", {"uri": "../up/c.yaml", "uriBaseId": "%SRCROOT%"}),
    ("/abs/p q.yaml", {"uri": "file:///abs/p%20q.yaml"}),
    ("C:/w/p q.yaml", {"uri": "file:///C:/w/p%20q.yaml"}),
])
def test_artifact_uris(path: str, uri: dict[str, str]) -> None:
    assert sarif.artifact_location(path) == uri
    assert _URI_CHARS.match(uri["uri"])


@pytest.mark.parametrize(("sp", "region"), [
    (span("a", 2, 3, 2, 3), (2, 3, 2, 4)),
    (span("a", 2, 3, 2, 1), (2, 3, 2, 4)),
    (span("a", 2, 3, 1, 1), (2, 3, 2, 4)),
    (span("a", 0, 0, 0, 0), (1, 1, 1, 2)),
    (span("a", 2, 7, 3, 1), (2, 7, 3, 1)),
])
def test_regions_are_never_empty(sp: Span, region: tuple[int, int, int, int]) -> None:
    r = sarif.Region.of(sp)
    assert (r.start_line, r.start_column, r.end_line, r.end_column) == region


def test_rules_outside_the_selection(card: RuleCard, validate: Any) -> None:
    report = Report(findings=[finding(card, span("a.yaml", 1, 1, 1, 2))], selected=["ZZ999"])
    run = _run(sarif.as_dict(report, srcroot=SRCROOT))
    # an unknown selected id is dropped; a rule with a result is described even when not listed as selected
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [card.id]
    assert run["results"][0]["ruleIndex"] == 0
    validate(sarif.as_dict(report, srcroot=SRCROOT))


def test_empty_report_is_valid(validate: Any) -> None:
    log = sarif.as_dict(Report(), srcroot=SRCROOT)
    validate(log)
    assert _run(log)["results"] == [] and _run(log)["tool"]["driver"]["rules"] == []


def test_truncated_to_githubs_limit_most_severe_first(card: RuleCard, validate: Any) -> None:
    n = sarif.MAX_RESULTS
    findings = [finding(card, span("a.yaml", 1, 1, 1, 2), "least severe", severity=Severity.INFO)]
    findings += [finding(card, span("a.yaml", i + 2, 1, i + 2, 2), f"w{i}", severity=Severity.WARNING)
                 for i in range(n - 1)]
    findings += [finding(card, span("z.yaml", 1, 1, 1, 2), "most severe", severity=Severity.ERROR)]
    findings += [finding(card, span("z.yaml", 2, 1, 2, 2), "suppressed", suppressed_by="baseline")]
    report = Report(findings=findings, selected=[card.id])
    log = sarif.as_dict(report, srcroot=SRCROOT)
    run = _run(log)
    results = run["results"]
    assert len(results) == n
    assert results[0]["message"]["text"] == "w0" and results[-1]["message"]["text"] == "most severe"
    assert "least severe" not in {r["message"]["text"] for r in results}
    assert run["properties"] == {"resultsTruncated": True, "resultLimit": n, "totalResults": n + 1,
                                 "omittedResults": 1}
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "warning" and "25000" in note["message"]["text"]
    validate(log)
    # with suppressed findings included, a suppressed one gives way before any unsuppressed one
    with_suppressed = _run(sarif.as_dict(report, include_suppressed=True, srcroot=SRCROOT))
    assert with_suppressed["properties"]["omittedResults"] == 2
    assert {r["message"]["text"] for r in with_suppressed["results"]} >= {"most severe", "w0"}
    assert "suppressed" not in {r["message"]["text"] for r in with_suppressed["results"]}


def test_exactly_at_the_limit_is_not_truncated(card: RuleCard) -> None:
    findings = [finding(card, span("a.yaml", i + 1, 1, i + 1, 2)) for i in range(sarif.MAX_RESULTS)]
    run = _run(sarif.as_dict(Report(findings=findings, selected=[card.id]), srcroot=SRCROOT))
    assert len(run["results"]) == sarif.MAX_RESULTS
    assert "properties" not in run and run["invocations"] == [{"executionSuccessful": True}]
