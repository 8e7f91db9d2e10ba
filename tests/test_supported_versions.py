"""The packaged version tables: dated, read from the package (the wheel carries them), not from today."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

from kublint.model import supported


def test_tables_are_dated_package_data() -> None:
    for name in ("kubernetes-versions.json", "etcd-versions.json"):
        raw = json.loads(resources.files("kublint.data").joinpath(name).read_text(encoding="utf-8"))
        dt.date.fromisoformat(raw["as_of"])
        assert raw["maintained"] and raw["sources"]


def test_kubernetes_table() -> None:
    k8s = supported.kubernetes()
    assert k8s.as_of == "2026-11-01"
    assert len(k8s.maintained) == 3 and k8s.maintained == tuple(sorted(k8s.maintained, reverse=True))
    assert k8s.supported(k8s.oldest_maintained) and not k8s.supported((1, k8s.oldest_maintained[1] - 1))
    assert k8s.supported((1, k8s.newest[1] + 1))  # newer than the table: not judged


def test_etcd_table() -> None:
    etcd = supported.etcd()
    assert etcd.supported((3, 6)) and etcd.supported((3, 5)) and not etcd.supported((3, 4))
    floor = etcd.minimum_for((3, 5))
    assert floor is not None and str(floor) == "3.5.11"
