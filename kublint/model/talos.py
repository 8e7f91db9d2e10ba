"""What Talos will deploy, from talhelper's ``talconfig.yaml`` or from Talos machine configs (``version:
v1alpha1`` with ``machine`` and ``cluster``): the nodes and their roles (every control-plane node runs an etcd
member), the endpoint, the names on the API server certificate, the VIPs, the component flags and the
versions.

A talconfig is read as talhelper reads it: ``${VAR}`` from a plain ``talenv.yaml`` (or ``talenv.yml``) beside
it, and its strategic-merge ``patches`` (inline, ``@./file.yaml`` when that file is among the files read) over
the cluster-wide facts, in talhelper's order (global patches, then the control-plane group's, then each
control-plane node's). A value that names a variable kublint does not know (a SOPS-encrypted talenv, the
shell's environment) is unknown: the fact is left out, never guessed. RFC6902 (JSON) patches are not read.

Talos's own behaviour modelled here (siderolabs/talos): the API server certificate always carries the
endpoint's host, the kubernetes service names, ``localhost``, ``127.0.0.1`` and every node's hostname and
addresses (``controllers/secrets/kubernetes_cert_sans.go``); a missing ``machine.type`` means worker, ``init``
is a control plane (``config/machine/machine.go``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import kublint.net as net
from kublint.model.endpoints import kubernetes_service_names
from kublint.model.facts import NodeFact
from kublint.model.files import Kind, ParsedFile
from kublint.model.inventory import InventoryFacts
from kublint.model.types import (
    CONTROL_PLANE,
    ETCD,
    WORKER,
    CertSANs,
    Endpoint,
    Flag,
    InstallerComponent,
    InstallerFacts,
    Setting,
    Sourced,
)
from kublint.parsers.yaml import YamlDocument, parse_yaml
from kublint.source import SourceFile, Span

TALOS = "talos"
TALCONFIG_NAMES = ("talconfig.yaml", "talconfig.yml")
TALENV_NAMES = ("talenv.yaml", "talenv.yml")
OUT_DIR = "clusterconfig"  # talhelper's default output directory (genconfig -o)
DEFAULT_DNS_DOMAIN = "cluster.local"
DEFAULT_SERVICE_SUBNET = "10.96.0.0/12"
COMPONENTS = {  # the cluster section -> the component its extraArgs go to
    "apiServer": "kube-apiserver",
    "controllerManager": "kube-controller-manager",
    "scheduler": "kube-scheduler",
    "etcd": "etcd",
}
CONTROL_PLANE_TYPES = frozenset({"controlplane", "init"})
MAX_PATCH_CHARS = 1 << 20  # an inline patch larger than this is not parsed
PathKey = tuple[str | int, ...]


# --- recognition --------------------------------------------------------------------------------------------


def is_talconfig(data: object, name: str = "") -> bool:
    """talhelper's talconfig: a ``nodes`` list of ``hostname``/``ipAddress`` entries, with ``clusterName`` or
    ``endpoint`` (the file name talconfig.yaml is enough with the list alone)."""
    if not isinstance(data, dict):
        return False
    nodes = data.get("nodes")
    if not isinstance(nodes, list) or not any(
        isinstance(n, dict) and ("hostname" in n or "ipAddress" in n) for n in nodes
    ):
        return False
    return "clusterName" in data or "endpoint" in data or name.lower() in TALCONFIG_NAMES


def is_machine_config(data: object) -> bool:
    return (
        isinstance(data, dict)
        and data.get("version") == "v1alpha1"
        and isinstance(data.get("machine"), dict)
        and (isinstance(data.get("cluster"), dict) or "type" in data["machine"])
    )


def is_talos_document(doc: YamlDocument) -> bool:
    """A document of Talos's multi-document config (``apiVersion: v1alpha1`` and a kind)."""
    return doc.api_version == "v1alpha1" and bool(doc.kind)


# --- values -------------------------------------------------------------------------------------------------

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_OTHER_VAR = re.compile(r"\$\{|\$[A-Za-z_]")


class Env:
    """talhelper's environment: the plain talenv values. Anything else is unknown."""

    __slots__ = ("values",)

    def __init__(self, values: Mapping[str, str] | None = None) -> None:
        self.values = dict(values or {})

    def text(self, value: object) -> str | None:
        """The value as talhelper substitutes it; None when not a scalar or it names an unknown variable."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if not isinstance(value, str | int | float):
            return None
        s = str(value)
        if "$" not in s:
            return s

        def known(m: re.Match[str]) -> str:
            v = self.values.get(m.group(1))
            return v if v is not None else m.group(0)

        out = _VAR.sub(known, s)
        return None if _OTHER_VAR.search(out) else out


def talenv(files: Sequence[ParsedFile], talconfig: ParsedFile) -> Env:
    """The plain ``talenv.yaml`` beside the talconfig; SOPS-encrypted values (``ENC[...]``) stay unknown."""
    here = talconfig.source.abspath.parent
    values: dict[str, str] = {}
    for f in files:
        if f.source.abspath.parent != here or f.source.abspath.name.lower() not in TALENV_NAMES:
            continue
        for d in f.documents:
            if not isinstance(d.data, dict) or "sops" in d.data:
                continue
            for k, v in d.data.items():
                scalar = isinstance(v, str | int | float) and not isinstance(v, bool)
                if isinstance(k, str) and scalar and not str(v).startswith("ENC["):
                    values[k] = str(v)
    return Env(values)


# --- layers: the talconfig, each patch, a machine config ----------------------------------------------------


class Layer(NamedTuple):
    """One source of Talos config values: a machine config, or a patch at its place in the machine config.
    ``fixed`` is the span every value of the layer reports (a quoted patch string kublint cannot place line
    by line)."""

    doc: YamlDocument
    base: PathKey
    origin: str  # for messages: "cluster.etcd.extraArgs" is prefixed with it ("patches[0]: ")
    fixed: Span | None = None

    def get(self, *path: str | int) -> Any:
        return self.doc.get(*self.base, *path)

    def loc(self, *path: str | int, key: bool = False) -> Span:
        return self.fixed if self.fixed is not None else self.doc.loc(*self.base, *path, key=key)

    def dict(self, *path: str | int) -> dict[Any, Any]:
        v = self.get(*path)
        return v if isinstance(v, dict) else {}

    def list(self, *path: str | int) -> list[Any]:
        v = self.get(*path)
        return v if isinstance(v, list) else []


def _patch_layers(
    f: ParsedFile, doc: YamlDocument, path: PathKey, files: Sequence[ParsedFile], label: str
) -> Iterator[Layer]:
    """The strategic-merge patches listed at ``path`` of the talconfig: inline YAML, or ``@file``."""
    items = doc.get(*path)
    for i, item in enumerate(items if isinstance(items, list) else []):
        where = f"{label}[{i}]"
        if isinstance(item, dict):  # not talhelper's form ([]string), but a mapping patch reads the same
            yield Layer(doc, (*path, i), where)
        elif isinstance(item, str) and item.strip().startswith("@"):
            target = _patch_file(f, item.strip()[1:], files)
            for d in target.documents if target is not None else ():
                if isinstance(d.data, dict) and not is_talos_document(d):
                    yield Layer(d, (), f"{where} {item.strip()}")
        elif isinstance(item, str) and len(item) <= MAX_PATCH_CHARS:
            yield from _inline(f, doc, (*path, i), item, where)


def _patch_file(f: ParsedFile, name: str, files: Sequence[ParsedFile]) -> ParsedFile | None:
    """talhelper resolves a relative ``@`` path against the talconfig's directory."""
    try:
        target = (f.source.abspath.parent / name.strip()).resolve()
    except (OSError, ValueError, RuntimeError):
        return None
    return next((p for p in files if p is not f and _resolved(p.source.abspath) == target), None)


def _resolved(p: Path) -> Path:
    try:
        return p.resolve()
    except (OSError, RuntimeError):
        return p


def _inline(f: ParsedFile, doc: YamlDocument, path: PathKey, text: str, where: str) -> Iterator[Layer]:
    """An inline patch string. A literal block (``|``) is parsed in place, so its values keep their own
    lines; any other string reports every value at the string."""
    span = doc.loc(*path)
    line = f.source.line_text(span.start.line) if 1 <= span.start.line <= f.source.line_count else ""
    literal = line[span.start.col - 1 :].startswith("|")
    if literal and span.end.line > span.start.line:
        last = min(span.end.line, f.source.line_count)
        body = [f.source.line_text(n) for n in range(span.start.line + 1, last + 1)]
        shadow = SourceFile(f.source.path, f.source.abspath, "\n" * span.start.line + "\n".join(body) + "\n")
        parsed, fixed = parse_yaml(shadow), None
    else:
        parsed, fixed = parse_yaml(SourceFile(f.source.path, f.source.abspath, text)), span
    if parsed.errors:
        return
    for d in parsed.documents:
        if isinstance(d.data, dict) and not is_talos_document(d):  # a list is an RFC6902 patch: not read
            yield Layer(d, (), where, fixed)


# --- cluster-wide facts -------------------------------------------------------------------------------------


class _Facts:
    """The cluster-wide values as the layers set them, a later layer over an earlier one."""

    __slots__ = ("args", "domain", "endpoint", "env", "sans", "sans_key", "subnets", "version")

    def __init__(self, env: Env) -> None:
        self.env = env
        self.endpoint: tuple[str, Span, str] | None = None  # text, where, setting
        self.sans: list[Sourced[str]] = []
        self.sans_key: tuple[Span, str] | None = None
        self.args: dict[str, dict[str, tuple[str, Span, str]]] = {c: {} for c in COMPONENTS}
        self.domain: str | None = DEFAULT_DNS_DOMAIN
        self.subnets: list[str | None] = []
        self.version: Sourced[str] | None = None

    def scalar(self, layer: Layer, *path: str | int) -> Sourced[str] | None:
        """The substituted text and its span; None when not set or unknown (``layer.get`` tells which)."""
        v = layer.get(*path)
        text = self.env.text(v) if v is not None else None
        return Sourced(text.strip(), layer.loc(*path)) if text is not None and text.strip() else None

    def apply(self, layer: Layer) -> None:
        if layer.get("cluster", "controlPlane", "endpoint") is not None:
            ep = self.scalar(layer, "cluster", "controlPlane", "endpoint")
            setting = _setting(layer, "cluster.controlPlane.endpoint")
            self.endpoint = (ep.value, ep.span, setting) if ep else None
        self._sans(layer, ("cluster", "apiServer", "certSANs"), _setting(layer, "cluster.apiServer.certSANs"))
        for section in COMPONENTS:
            for name in layer.dict("cluster", section, "extraArgs"):
                if not isinstance(name, str):
                    continue
                v = self.scalar(layer, "cluster", section, "extraArgs", name)
                origin = _setting(layer, f"cluster.{section}.extraArgs")
                if v:
                    self.args[section][name] = (v.value, v.span, origin)
                else:
                    self.args[section].pop(name, None)  # unknown: the earlier value no longer holds
        if layer.get("cluster", "network", "dnsDomain") is not None:
            dom = self.scalar(layer, "cluster", "network", "dnsDomain")
            self.domain = dom.value if dom else None
        subnets = layer.get("cluster", "network", "serviceSubnets")
        if isinstance(subnets, list):  # merge: replace
            self.subnets = [self.env.text(s) for s in subnets]
        image = self.scalar(layer, "cluster", "apiServer", "image")
        if image:
            tag = image.value.rpartition(":")[2]
            if re.fullmatch(r"v?\d+\.\d+(\.\d+)?\S*", tag):
                self.version = Sourced(tag, image.span)

    def _sans(self, layer: Layer, path: PathKey, setting: str) -> None:
        raw = layer.get(*path)
        if not isinstance(raw, list):
            return
        self.sans_key = self.sans_key or (layer.loc(*path, key=True), setting)
        for k, s in enumerate(raw):
            text = self.env.text(s)
            if text and text.strip():
                self.sans.append(Sourced(text.strip(), layer.loc(*path, k)))

    def installer(
        self, anchor: str, path: str, where: Span, settings: list[Setting], vips: Sequence[str] = ()
    ) -> InstallerFacts:
        endpoints: tuple[Endpoint, ...] = ()
        host: str | None = None
        if self.endpoint is not None:
            text, span, setting = self.endpoint
            hp = net.url_host_port(text) if "://" in text else None
            host = hp.host if hp else None
            endpoints = (Endpoint(Sourced(text, span), host, hp.port if hp else None, anchor, setting),)
        implicit: list[str] = [host] if host else []
        if self.domain is not None and all(s is not None for s in self.subnets):
            for subnet in [s for s in self.subnets if s] or [DEFAULT_SERVICE_SUBNET]:
                implicit += kubernetes_service_names(self.domain, subnet)
        implicit += ["localhost", "127.0.0.1"]
        # Whether a VIP held by a node is among the node addresses Talos adds is not known: the VIPs are not
        # judged as missing names (they are the endpoint's host when Talos's VIP is used as it documents).
        implicit += vips
        key = self.sans_key
        sans = CertSANs(
            tuple(self.sans), key[0] if key else None, tuple(dict.fromkeys(n for n in implicit if n)),
            endpoints[0].raw.span if endpoints else where, anchor,
            setting=key[1] if key else _default_sans_setting(anchor), adder="Talos", node_names=True,
        )
        flags: list[Flag] = []
        components: list[InstallerComponent] = []
        for section, component in COMPONENTS.items():
            own = tuple(Flag(component, n, v, s, o) for n, (v, s, o) in self.args[section].items())
            flags.extend(own)
            components.append(InstallerComponent(
                component, TALOS, own, own[0].span if own else where, f"cluster.{section}.extraArgs", path,
                f"{anchor}/{section}",
            ))
        return InstallerFacts(
            TALOS, endpoints=endpoints, cert_sans=(sans,), components=tuple(components), flags=tuple(flags),
            kubernetes_version=self.version, settings=tuple(settings),
        )


def _setting(layer: Layer, name: str) -> str:
    return name if not layer.origin else f"{name} ({layer.origin})"


def _default_sans_setting(anchor: str) -> str:
    return "additionalApiServerCertSans" if anchor.startswith("talconfig") else "cluster.apiServer.certSANs"


def _vips(layer: Layer, env: Env, *path: str | int) -> Iterator[Sourced[str]]:
    """``vip.ip`` of each interface (and of its VLANs) under ``path``."""
    for i, dev in enumerate(layer.list(*path)):
        if not isinstance(dev, dict):
            continue
        places: list[PathKey] = [(*path, i, "vip", "ip")]
        vlans = dev.get("vlans")
        places += [(*path, i, "vlans", j, "vip", "ip")
                   for j in range(len(vlans) if isinstance(vlans, list) else 0)]
        for p in places:
            text = env.text(layer.get(*p)) if layer.get(*p) is not None else None
            if text and net.ip(text) is not None:
                yield Sourced(text.strip(), layer.loc(*p))


def _addresses(layer: Layer, env: Env, *path: str | int) -> list[Sourced[str]]:
    """The static addresses of the interfaces under ``path`` (CIDR or plain), without the prefix length."""
    out: list[Sourced[str]] = []
    for i, dev in enumerate(layer.list(*path)):
        if not isinstance(dev, dict):
            continue
        for key in ("addresses", "cidr"):
            raw = dev.get(key)
            entries = raw if isinstance(raw, list) else [raw] if raw is not None else []
            for j, a in enumerate(entries):
                text = env.text(a)
                sub = (*path, i, key, j) if isinstance(raw, list) else (*path, i, key)
                if text and net.ip(text.split("/")[0]) is not None:
                    out.append(Sourced(text.split("/")[0].strip(), layer.loc(*sub)))
    return out


# --- talconfig ----------------------------------------------------------------------------------------------


def from_talconfig(f: ParsedFile, doc: YamlDocument, files: Sequence[ParsedFile]) -> InventoryFacts:
    env = talenv(files, f)
    top = Layer(doc, (), "")
    facts = _Facts(env)
    ep = facts.scalar(top, "endpoint")
    if ep:
        facts.endpoint = (ep.value, ep.span, "endpoint")
    if doc.get("domain") is not None:
        dom = facts.scalar(top, "domain")
        facts.domain = dom.value if dom else None
    svc = doc.get("clusterSvcNets")
    if isinstance(svc, list):
        facts.subnets = [env.text(s) for s in svc]
    facts._sans(top, ("additionalApiServerCertSans",), "additionalApiServerCertSans")
    version = facts.scalar(top, "kubernetesVersion")
    settings: list[Setting] = []
    for key in ("clusterName", "talosVersion"):
        v = facts.scalar(top, key)
        if v:
            settings.append(Setting(TALOS, key, v.value, v.span))
    layers = [*_patch_layers(f, doc, ("patches",), files, "patches"),
              *_patch_layers(f, doc, ("controlPlane", "patches"), files, "controlPlane.patches")]
    nodes: list[NodeFact] = []
    group_vips = list(_vips(top, env, "controlPlane", "networkInterfaces"))
    vip: Sourced[str] | None = next(iter(group_vips), None)
    settings += [Setting(TALOS, "vip", v.value, v.span) for v in group_vips]
    raw_nodes = doc.get("nodes")
    for i, raw in enumerate(raw_nodes if isinstance(raw_nodes, list) else []):
        if not isinstance(raw, dict):
            continue
        cp = raw.get("controlPlane") is True
        name = facts.scalar(top, "nodes", i, "hostname")
        addr_text = facts.scalar(top, "nodes", i, "ipAddress")
        addrs = [Sourced(a.strip(), addr_text.span) for a in addr_text.value.split(",") if a.strip()
                 ] if addr_text else []
        if not name and not addrs:
            continue
        node_vips = list(_vips(top, env, "nodes", i, "networkInterfaces"))
        if cp:
            for v in node_vips:
                settings.append(Setting(TALOS, "vip", v.value, v.span))
            vip = vip or next(iter(node_vips), None)
            layers += list(_patch_layers(f, doc, ("nodes", i, "patches"), files, f"nodes[{i}].patches"))
        nodes.append(NodeFact(
            name, addrs,
            {CONTROL_PLANE, ETCD} if cp else {WORKER}, doc.loc("nodes", i), "talconfig node",
            from_inventory=True,
        ))
    for layer in layers:
        facts.apply(layer)
    if version:  # talhelper's kubernetesVersion sets the images; a patched image is more specific
        facts.version = facts.version or version
    where = doc.loc("clusterName", key=True) if doc.has("clusterName") else doc.span
    vips = [s.value for s in settings if s.name == "vip" and isinstance(s.value, str)]
    installer = facts.installer(f"talconfig:{f.path}", f.path, where, settings, vips)
    return InventoryFacts(
        nodes=nodes, span=where, member_list=doc.loc("nodes", key=True) if doc.has("nodes") else None,
        lb_vip=vip, installer=installer,
    )


# --- machine configs ----------------------------------------------------------------------------------------


def from_machine_config(f: ParsedFile, doc: YamlDocument) -> InventoryFacts:
    """One machine's config. Without a hostname it is a template applied to any number of machines, so it
    gives no node, only the cluster-wide facts."""
    env = Env()
    layer = Layer(doc, (), "")
    facts = _Facts(env)
    facts.apply(layer)
    kind = env.text(doc.get("machine", "type"))
    cp = (kind or "").strip() in CONTROL_PLANE_TYPES
    settings: list[Setting] = []
    vips = list(_vips(layer, env, "machine", "network", "interfaces"))
    if cp:
        settings += [Setting(TALOS, "vip", v.value, v.span) for v in vips]
    name = facts.scalar(layer, "machine", "network", "hostname")
    addrs = _addresses(layer, env, "machine", "network", "interfaces")
    for other in f.documents:
        if other is not doc and is_talos_document(other) and other.kind == "HostnameConfig" and not name:
            name = facts.scalar(Layer(other, (), ""), "hostname")
    nodes: list[NodeFact] = []
    if name:
        nodes.append(NodeFact(
            name, addrs, {CONTROL_PLANE, ETCD} if cp else {WORKER},
            doc.loc("machine", "type") if doc.has("machine", "type") else doc.loc("machine", key=True),
            "Talos machine config",
        ))
    where = doc.loc("machine", "type") if doc.has("machine", "type") else doc.loc("machine", key=True)
    return InventoryFacts(
        nodes=nodes, span=where, member_list=where if nodes and cp else None,
        lb_vip=vips[0] if cp and vips else None,
        installer=facts.installer(f"machineconfig:{f.path}", f.path, where, settings,
                                  [v.value for v in vips]) if cp else None,
    )


def generated(f: ParsedFile, files: Sequence[ParsedFile]) -> bool:
    """A machine config talhelper wrote (``clusterconfig/`` beside a talconfig that is read too): the
    talconfig already says what it holds."""
    parts = f.source.abspath.parts
    for t in files:
        if t.kind is Kind.TALOS and t.source.abspath.name.lower() in TALCONFIG_NAMES:
            base = t.source.abspath.parent
            inside = f.source.abspath.is_relative_to(base)
            if inside and (f.source.abspath.is_relative_to(base / OUT_DIR) or OUT_DIR in parts):
                return True
    return False


def extract(f: ParsedFile, files: Sequence[ParsedFile]) -> list[InventoryFacts]:
    out: list[InventoryFacts] = []
    for d in f.documents:
        if is_talconfig(d.data, f.source.abspath.name):
            out.append(from_talconfig(f, d, files))
        elif is_machine_config(d.data) and not generated(f, files):
            facts = from_machine_config(f, d)
            if facts.nodes or facts.installer is not None:
                out.append(facts)
    return out
