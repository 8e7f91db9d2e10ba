"""Views of kubeadm documents: control-plane nodes they declare, and component flags in one "
    "normalised form."""

from __future__ import annotations

from kublint.model.facts import NodeFact
from kublint.model.types import CONTROL_PLANE, WORKER, Flag, Sourced
from kublint.parsers.yaml import YamlDocument

COMPONENTS = {
    "apiServer": "kube-apiserver",
    "controllerManager": "kube-controller-manager",
    "scheduler": "kube-scheduler",
}


def flag_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def extra_args(doc: YamlDocument, path: tuple[str, ...], component: str) -> list[Flag]:
    """v1beta3 ``map[string]string`` and v1beta4 ``[{name, value}]`` (repeats allowed) as one list "
        "of flags."""
    raw = doc.get(*path)
    origin = ".".join(path)
    flags: list[Flag] = []
    if isinstance(raw, dict):
        for name, value in raw.items():
            if isinstance(name, str):
                flags.append(
                    Flag(component, name.lstrip("-"), flag_text(value), doc.loc(*path, name), origin)
                )
    elif isinstance(raw, list):
        for i, item in enumerate(raw):
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                span = doc.loc(*path, i, "value") if "value" in item else doc.loc(*path, i)
                flags.append(
                    Flag(component, item["name"].lstrip("-"), flag_text(item.get("value")), span, origin)
                )
    return flags


def component_flags(doc: YamlDocument) -> list[Flag]:
    flags: list[Flag] = []
    if doc.kind == "ClusterConfiguration":
        for key, component in COMPONENTS.items():
            flags.extend(extra_args(doc, (key, "extraArgs"), component))
        flags.extend(extra_args(doc, ("etcd", "local", "extraArgs"), "etcd"))
    elif doc.kind in ("InitConfiguration", "JoinConfiguration"):
        flags.extend(extra_args(doc, ("nodeRegistration", "kubeletExtraArgs"), "kubelet"))
    elif doc.kind == "KubeSchedulerConfiguration":
        le = doc.get("leaderElection", "leaderElect")
        if le is not None:
            flags.append(
                Flag(
                    "kube-scheduler",
                    "leader-elect",
                    flag_text(le),
                    doc.loc("leaderElection", "leaderElect"),
                    "KubeSchedulerConfiguration.leaderElection.leaderElect",
                )
            )
    return flags


def _str(doc: YamlDocument, *path: str) -> Sourced[str] | None:
    v = doc.get(*path)
    if isinstance(v, str) and v.strip():
        return Sourced(v.strip(), doc.loc(*path))
    return None


def node_fact(doc: YamlDocument) -> NodeFact | None:
    """The node an Init or Join configuration sets up; control-plane unless it is a worker join."""
    if doc.kind == "InitConfiguration":
        name = _str(doc, "nodeRegistration", "name")
        addr = _str(doc, "localAPIEndpoint", "advertiseAddress")
        return NodeFact(name, [addr] if addr else [], {CONTROL_PLANE}, doc.kind_span(), "InitConfiguration")
    if doc.kind == "JoinConfiguration":
        name = _str(doc, "nodeRegistration", "name")
        if doc.get("controlPlane") is not None or doc.has("controlPlane"):
            addr = _str(doc, "controlPlane", "localAPIEndpoint", "advertiseAddress")
            span = doc.loc("controlPlane", key=True)
            return NodeFact(
                name, [addr] if addr else [], {CONTROL_PLANE}, span, "control-plane JoinConfiguration"
            )
        return NodeFact(name, [], {WORKER}, doc.kind_span(), "JoinConfiguration") if name else None
    return None
