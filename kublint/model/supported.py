"""The packaged, dated tables of maintained Kubernetes and etcd versions (``kublint/data/*.json``).

The tables carry the date they describe (``as_of``) and are never compared with today's date, so the same
input gives the same findings on any day; a new kublint release refreshes them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from kublint.model.versions import Version, parse_version


class SupportTable(NamedTuple):
    product: str
    as_of: str
    maintained: tuple[tuple[int, int], ...]  # newest first
    patched: tuple[tuple[int, int], ...] = ()  # older minors that still get patch releases
    minimum_patch: tuple[tuple[tuple[int, int], Version], ...] = ()

    @property
    def oldest_maintained(self) -> tuple[int, int]:
        return min(self.maintained)

    @property
    def newest(self) -> tuple[int, int]:
        return max(self.maintained)

    def supported(self, minor: tuple[int, int]) -> bool:
        """Maintained or still patched; a minor newer than the table is not judged (the table is older)."""
        return minor in self.maintained or minor in self.patched or minor > self.newest

    def minimum_for(self, minor: tuple[int, int]) -> Version | None:
        return dict(self.minimum_patch).get(minor)

    def maintained_text(self) -> str:
        return ", ".join(f"{a}.{b}" for a, b in self.maintained)


def _minor(text: str) -> tuple[int, int]:
    v = parse_version(text)
    if v is None:
        raise ValueError(f"bad version {text!r} in a packaged version table")
    return v.minor_key


def _load(name: str, product: str) -> SupportTable:
    # the tables ship inside the package directory (wheel and checkout alike); a plain path read avoids
    # importing importlib.resources and zipfile on every run
    text = (Path(__file__).resolve().parent.parent / "data" / name).read_text(encoding="utf-8")
    raw: dict[str, Any] = json.loads(text)
    minimum = []
    for minor, version in dict(raw.get("minimum_patch", {})).items():
        v = parse_version(version)
        if v is not None:
            minimum.append((_minor(minor), v))
    return SupportTable(
        product,
        str(raw["as_of"]),
        tuple(sorted((_minor(m) for m in raw["maintained"]), reverse=True)),
        tuple(sorted((_minor(m) for m in raw.get("patched", [])), reverse=True)),
        tuple(minimum),
    )


@cache
def kubernetes() -> SupportTable:
    return _load("kubernetes-versions.json", "Kubernetes")


@cache
def etcd() -> SupportTable:
    return _load("etcd-versions.json", "etcd")
