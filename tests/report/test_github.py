"""The GitHub Actions reporter: workflow commands escaped exactly as @actions/core escapes them."""

from __future__ import annotations

import io

import pytest

from kublint.engine import Report
from kublint.findings import Finding, Related, Severity
from kublint.report import github
from kublint.source import Pos, Span


def span(path: str, line: int, col: int, end_line: int, end_col: int) -> Span:
    return Span(path, Pos(line, col), Pos(end_line, end_col))


def finding(sp: Span, message: str, severity: Severity = Severity.ERROR, *, rule: str = "SY001",
            name: str = "syntax.parse-error", related: tuple[Related, ...] = (),
            suppressed_by: str | None = None) -> Finding:
    return Finding(rule, name, severity, message, sp, related, "0" * 32, suppressed_by)


def lines(report: Report) -> list[str]:
    out = io.StringIO()
    github.render(report, out, color=False, verbose=True)
    text = out.getvalue()
    assert text.endswith("\n")
    return text.split("\n")[:-1]


def test_annotations_line_by_line() -> None:
    report = Report(
        findings=[
            finding(span("clusters/prod east/kube,adm.yaml", 3, 5, 3, 12), "100% bad\r\nsecond: line, here",
                    related=(Related(span("lb/haproxy.cfg", 12, 3, 12, 9), "the backend"),
                             Related(span("c d/x,y.conf", 4, 1, 4, 2), ""))),
            finding(span("clusters/a.yaml", 5, 2, 8, 3), "spans lines", Severity.WARNING,
                    rule="ET101", name="etcd.two:member,cluster"),
            finding(span("clusters/a.yaml", 9, 4, 9, 4), "%0A is not a newline", Severity.INFO),
            finding(span("clusters/a.yaml", 10, 1, 10, 5), "hidden", suppressed_by="inline"),
            finding(span("dir:x/a,b.yaml", 1, 1, 1, 2), "::warning::injected?"),
        ],
        files=3, clusters=1,
    )
    assert lines(report) == [
        "::error file=clusters/prod east/kube%2Cadm.yaml,line=3,endLine=3,col=5,endColumn=11,"
        "title=SY001 syntax.parse-error::100%25 bad%0D%0Asecond: line, here"
        "%0A(see lb/haproxy.cfg:12) the backend%0A(see c d/x,y.conf:4)",
        "::warning file=clusters/a.yaml,line=5,endLine=8,"
        "title=ET101 etcd.two%3Amember%2Ccluster::spans lines",
        "::notice file=clusters/a.yaml,line=9,endLine=9,col=4,endColumn=4,"
        "title=SY001 syntax.parse-error::%250A is not a newline",
        "::error file=dir%3Ax/a%2Cb.yaml,line=1,endLine=1,col=1,endColumn=1,"
        "title=SY001 syntax.parse-error::::warning::injected?",
        "kublint: 4 problems (2 errors, 1 warning, 1 info) in 3 files of 1 cluster (1 suppressed).",
    ]


@pytest.mark.parametrize(("raw", "data", "prop"), [
    ("plain", "plain", "plain"),
    ("a%b", "a%25b", "a%25b"),
    ("%0A", "%250A", "%250A"),
    ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
    ("k: v, w", "k: v, w", "k%3A v%2C w"),
    ("%:,\n", "%25:,%0A", "%25%3A%2C%0A"),
])
def test_escaping(raw: str, data: str, prop: str) -> None:
    assert github.escape_data(raw) == data
    assert github.escape_property(raw) == prop


def test_no_findings() -> None:
    assert lines(Report(files=1, clusters=1)) == ["kublint: no problems found in 1 file of 1 cluster."]


def test_more_than_ten_of_a_level() -> None:
    findings = [finding(span("a.yaml", i, 1, i, 3), f"e{i}") for i in range(1, 12)]
    findings += [finding(span("b.yaml", i, 1, i, 3), f"w{i}", Severity.WARNING) for i in range(1, 11)]
    findings += [finding(span("c.yaml", i, 1, i + 1, 3), f"n{i}", Severity.INFO) for i in range(1, 13)]
    out = lines(Report(findings=findings, files=3, clusters=2))
    assert len(out) == 33 + 2
    assert out[0] == (
        "::error file=a.yaml,line=1,endLine=1,col=1,endColumn=2,title=SY001 syntax.parse-error::e1"
    )
    assert out[32] == "::notice file=c.yaml,line=12,endLine=13,title=SY001 syntax.parse-error::n12"
    assert out[33] == "kublint: 33 problems (11 errors, 10 warnings, 12 info) in 3 files of 2 clusters."
    assert out[34] == (
        "kublint: GitHub shows only 10 annotations of each level per step, and this run has 11 errors "
        "and 12 notices. Upload the SARIF report (-f sarif:kublint.sarif, then "
        "github/codeql-action/upload-sarif) to see every finding in code scanning."
    )


def test_ten_of_a_level_needs_no_note() -> None:
    findings = [finding(span("a.yaml", i, 1, i, 3), f"e{i}") for i in range(1, 11)]
    findings += [finding(span("a.yaml", 20, 1, 20, 3), "hidden", suppressed_by="baseline")]
    out = lines(Report(findings=findings, files=1, clusters=1))
    assert out[-1] == (
        "kublint: 10 problems (10 errors, 0 warnings, 0 info) in 1 file of 1 cluster (1 suppressed)."
    )
    assert all(line.startswith("::error ") for line in out[:-1])


def test_every_annotation_is_one_line() -> None:
    f = finding(span("a.yaml", 1, 1, 1, 2), "a\nb\rc\r\n", related=(Related(span("b", 2, 1, 2, 2), "x\ny"),))
    (command, _summary) = lines(Report(findings=[f]))
    assert "\n" not in command and "\r" not in command
    assert command.endswith("::a%0Ab%0Dc%0D%0A%0A(see b:2) x%0Ay")
