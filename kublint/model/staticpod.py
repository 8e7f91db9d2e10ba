"""Static Pod manifests of the control-plane components: the command's ``--flag=value`` items, each "
    "with its span."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import NamedTuple

from kublint.model.types import Flag
from kublint.parsers.yaml import YamlDocument
from kublint.source import Pos, Span

COMPONENTS = ("kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd")


class StaticPod(NamedTuple):
    component: str
    document: YamlDocument
    container: int
    image: str | None
    flags: tuple[Flag, ...]


def _component(container: dict[str, object]) -> str | None:
    cmd = container.get("command")
    first = cmd[0] if isinstance(cmd, list) and cmd and isinstance(cmd[0], str) else ""
    for candidate in (PurePosixPath(first).name, str(container.get("name", ""))):
        if candidate in COMPONENTS:
            return candidate
    return None


def is_static_pod(doc: YamlDocument) -> bool:
    return doc.kind == "Pod" and bool(static_pods(doc))


def static_pods(doc: YamlDocument) -> list[StaticPod]:
    if doc.kind != "Pod":
        return []
    containers = doc.get("spec", "containers")
    out: list[StaticPod] = []
    for i, c in enumerate(containers if isinstance(containers, list) else []):
        if not isinstance(c, dict):
            continue
        comp = _component(c)
        if comp is None:
            continue
        flags: list[Flag] = []
        for part in ("command", "args"):
            items = c.get(part)
            for j, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, str) and item.startswith("--"):
                    name, sep, value = item[2:].partition("=")
                    span = _value_span(
                        doc, ("spec", "containers", i, part, j), item, len(name) + 3 if sep else 0
                    )
                    flags.append(Flag(comp, name, value if sep else "true", span, f"static Pod {part}"))
        image = c.get("image")
        out.append(StaticPod(comp, doc, i, image if isinstance(image, str) else None, tuple(flags)))
    return out


def _value_span(doc: YamlDocument, path: tuple[str | int, ...], item: str, offset: int) -> Span:
    """The span of the value after ``--name=`` inside a one-line list item, else the whole item."""
    whole = doc.loc(*path)
    if offset == 0 or whole.start.line != whole.end.line:
        return whole
    width = whole.end.col - whole.start.col
    quote = 1 if width == len(item) + 2 else 0
    if width not in (len(item), len(item) + 2):
        return whole  # escapes or folding: keep the item
    start = whole.start.col + quote + offset
    return Span(whole.path, Pos(whole.start.line, start), Pos(whole.start.line, whole.end.col - quote))
