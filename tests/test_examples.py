"""The bundled examples: the clean HA cluster gives no error or warning; the broken one shows the "
    "typical mistakes."""

from __future__ import annotations

from kublint.config import Config
from kublint.engine import lint
from kublint.findings import Severity
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"


def test_clean_ha_cluster_has_no_error_or_warning() -> None:
    report = lint(["ha-cluster"], Config(jobs=1), cwd=EXAMPLES)
    loud = [f for f in report.findings if f.severity >= Severity.WARNING]
    assert loud == []
    assert report.clusters == 1 and report.files >= 5


def test_broken_cluster_shows_the_typical_mistakes() -> None:
    report = lint(["broken-cluster"], Config(jobs=1), cwd=EXAMPLES)
    got = {(f.rule_id, f.span.path, f.span.line) for f in report.findings}
    inv, kube = "broken-cluster/inventory.yaml", "broken-cluster/kubeadm-config.yaml"
    for expected in [
        ("ET101", inv, 9),
        ("OP101", inv, 4),
        ("IV102", inv, 15),
        ("IV104", inv, 15),
        ("IV201", inv, 25),
        ("ET202", inv, 25),
        ("KA104", kube, 13),
        ("KA201", kube, 18),
        ("HP101", "broken-cluster/lb/haproxy.cfg", 19),
        ("HP110", "broken-cluster/lb/haproxy.cfg", 22),
        ("KP106", "broken-cluster/lb/keepalived-master-1.conf", 1),
        ("KP110", "broken-cluster/lb/keepalived-master-2.conf", 1),
        ("KP002", "broken-cluster/lb/keepalived-master-1.conf", 9),
    ]:
        assert expected in got, expected
