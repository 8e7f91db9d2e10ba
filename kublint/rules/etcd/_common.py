"""What the etcd rules share: who the voting members are, and where their list is written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple
from urllib.parse import urlsplit

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster, Node
from kublint.model.etcd import FLAG_TO_KEY, PEER, EtcdConfig, EtcdSetting, truthy
from kublint.model.versions import Version, etcd_target
from kublint.source import Pos, Span


class Members(NamedTuple):
    names: tuple[str, ...]
    related: tuple[Related, ...]  # one location a member
    where: Span  # the list to change


def voting_members(cluster: Cluster) -> Members | None:
    """The voting members, or None when their number is not known exactly.

    Stacked etcd runs one member on each control-plane node. A control-plane JoinConfiguration that names no
    node (a template used for several joins) leaves the count unknown unless an inventory lists the nodes.
    """
    where = cluster.etcd_member_list
    if where is None:
        return None
    if cluster.etcd_stacked:
        if cluster.anonymous_cp_joins and cluster.inventory_span is None:
            return None
        nodes = cluster.control_plane
        return Members(
            tuple(n.name for n in nodes),
            tuple(Related(n.span, f"member {n.name} (stacked on this control-plane node)") for n in nodes),
            where,
        )
    ms = cluster.etcd_members
    return Members(tuple(m.name for m in ms), tuple(Related(m.span, f"member {m.name}") for m in ms), where)


def member_phrase(m: Members) -> str:
    return ", ".join(m.names)


# --- settings of the members (kublint.model.etcd.EtcdConfig) -----------------------------------------------

FILE = "etcd config file"
ENV = "etcd env file"
POD = "etcd static Pod"
KUBEADM = "kubeadm etcd.local"
MEMBER_ORIGINS = (FILE, ENV, POD)

_KEY_TO_FLAG = {
    key: flag for flag, key in FLAG_TO_KEY.items() if not (key.startswith(PEER) and flag == key[len(PEER) :])
}


def member_configs(cluster: Cluster) -> list[EtcdConfig]:
    """One config a member: etcd config files, env files and static Pods (kubeadm's etcd.local is shared)."""
    return [c for c in cluster.etcd_configs if c.origin in MEMBER_ORIGINS]


def text(value: object) -> str | None:
    """A scalar as etcd reads it into a string; None for booleans, null, lists and maps."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value)
    return None




def blank(s: EtcdSetting | None) -> bool:
    """Not set, or set to nothing (``cert-file:`` with no value, ``""``)."""
    return s is None or s.value is None or (isinstance(s.value, str) and not s.value.strip())


def flag_name(key: str) -> str:
    """The flag for a config-file key (``peer-transport-security.cert-file`` -> ``peer-cert-file``)."""
    return _KEY_TO_FLAG.get(key, key)


def spelled(cfg: EtcdConfig, key: str) -> str:
    """How ``key`` is written where ``cfg`` comes from: a config-file key, an ETCD_ variable or a flag."""
    if cfg.origin == FILE:
        return key
    flag = flag_name(key)
    if cfg.origin == ENV:
        return "ETCD_" + flag.upper().replace("-", "_")
    if cfg.origin == POD:
        return f"--{flag}"
    return f"etcd.local.extraArgs {flag}"


def assignment(cfg: EtcdConfig, key: str, value: str) -> str:
    """``key: value`` in the form of ``cfg``'s origin, for messages that say what to write."""
    if cfg.origin == FILE:
        if "." in key:
            block, sub = key.split(".", 1)
            return f"{block}: {{{sub}: {value}}}"
        return f"{key}: {value}"
    flag = flag_name(key)
    if cfg.origin == ENV:
        return f"ETCD_{flag.upper().replace('-', '_')}={value}"
    if cfg.origin == POD:
        return f"--{flag}={value}"
    if cfg.document is not None and cfg.document.api_version.endswith("/v1beta3"):
        return f'{flag}: "{value}" in etcd.local.extraArgs'
    return f'{{name: {flag}, value: "{value}"}} in etcd.local.extraArgs'


def section_span(cluster: Cluster, cfg: EtcdConfig, key: str | None = None) -> Span:
    """Where a missing setting goes: the TLS block of a config file, the etcd container's command, kubeadm's
    etcd.local extraArgs, else the settings as a whole. Never a value the user did not write."""
    doc = cfg.document
    if cfg.origin == FILE and doc is not None:
        if key and "." in key:
            block = key.split(".", 1)[0]
            if doc.has(block):
                return doc.loc(block, key=True)
        return cfg.span
    if cfg.origin == POD and doc is not None:
        for pod in cluster.static_pods:
            if pod.document is doc and pod.component == "etcd":
                base = ("spec", "containers", pod.container)
                for part in ("command", "args"):
                    if doc.has(*base, part):
                        return doc.loc(*base, part, key=True)
                return doc.loc(*base)
        return cfg.span
    if cfg.origin == KUBEADM and doc is not None and doc.has("etcd", "local", "extraArgs"):
        return doc.loc("etcd", "local", "extraArgs", key=True)
    if cfg.origin == ENV and cfg.settings:
        return min((x.key_span for x in cfg.settings.values()), key=lambda sp: (sp.start.line, sp.start.col))
    return cfg.span


def anchor(cfg: EtcdConfig, key: str) -> str:
    owner = cfg.document.anchor if cfg.document is not None else "env"
    return f"{owner}/etcd/{key}"


def value_part(s: EtcdSetting, start: int, end: int) -> Span:
    """The span of ``s.value[start:end]`` when the value is plain or quoted on one line, else the value."""
    value = s.value if isinstance(s.value, str) else None
    sp = s.span
    if value is None or sp.start.line != sp.end.line:
        return sp
    width = sp.end.col - sp.start.col
    if width == len(value):
        off = 0
    elif width == len(value) + 2:
        off = 1
    else:
        return sp
    col = sp.start.col + off
    return Span(sp.path, Pos(sp.start.line, col + start), Pos(sp.start.line, col + end))


def items(s: EtcdSetting) -> list[tuple[str, Span]]:
    """The comma-separated items of a setting (URL lists, initial-cluster), each with its own span."""
    value = s.value if isinstance(s.value, str) else None
    if value is None:
        return []
    out: list[tuple[str, Span]] = []
    pos = 0
    for raw in value.split(","):
        stripped = raw.strip()
        if stripped:
            begin = pos + (len(raw) - len(raw.lstrip()))
            out.append((stripped, value_part(s, begin, begin + len(stripped))))
        pos += len(raw) + 1
    return out


def is_loopback(host: str) -> bool:
    h = host.strip().strip("[]").rstrip(".").lower()
    if h == "localhost" or h.endswith(".localhost"):
        return True
    addr = net.ip(h)
    return addr is not None and addr.is_loopback


def is_unspecified(host: str) -> bool:
    addr = net.ip(host)
    return addr is not None and addr.is_unspecified


class ClusterEntry(NamedTuple):
    name: str
    url: str
    span: Span


def initial_cluster(s: EtcdSetting | None) -> list[ClusterEntry]:
    """``name=url`` entries of an ``initial-cluster`` setting (entries without ``=`` are dropped, as by etcd's
    parser, which would reject them)."""
    if s is None:
        return []
    out = []
    for item, span in items(s):
        name, sep, url = item.partition("=")
        if sep and name.strip():
            out.append(ClusterEntry(name.strip(), url.strip(), span))
    return out


def same_url(a: str, b: str) -> bool | None:
    """Whether two peer URLs are the same (scheme, host, port); None when only DNS could tell (a name and an
    address, or two different names, which etcd resolves before comparing)."""
    pa, pb = urlsplit(a.strip()), urlsplit(b.strip())
    try:
        ha, hb, porta, portb = pa.hostname or "", pb.hostname or "", pa.port, pb.port
    except ValueError:
        return None
    if pa.scheme.lower() != pb.scheme.lower() or porta != portb:
        return False
    if net.same_host(ha, hb):
        return True
    if net.ip(ha) is not None and net.ip(hb) is not None:
        return False
    return None


def member_zones(cluster: Cluster) -> list[tuple[str, Node | None]] | None:
    """Each voting member with the node it runs on (None when not known), or None when the members are not
    known exactly."""
    m = voting_members(cluster)
    if m is None:
        return None
    if cluster.etcd_stacked:
        return [(n.name, n) for n in cluster.control_plane]
    return [(em.name, cluster.node(em.node) if em.node else None) for em in cluster.etcd_members]


def config_nodes(cluster: Cluster, cfg: EtcdConfig) -> list[Node]:
    """The nodes a member config runs on: every control-plane node for kubeadm's stacked etcd, else the node
    named by the member's ``name`` or one of its advertised or listening addresses."""
    if cfg.origin == KUBEADM:
        return list(cluster.control_plane) if cluster.etcd_stacked else []
    name = cfg.get("name")
    hosts: list[str] = []
    for key in (
        "initial-advertise-peer-urls",
        "advertise-client-urls",
        "listen-peer-urls",
        "listen-client-urls",
    ):
        s = cfg.get(key)
        if s is None or s.implicit:
            continue
        for url, _ in items(s):
            hp = net.url_host_port(url)
            if hp and not is_loopback(hp.host) and not is_unspecified(hp.host):
                hosts.append(hp.host)
    out = []
    for n in cluster.nodes:
        if (name is not None and text(name.value) == n.name) or any(
            net.same_host(h, a.value) for h in hosts for a in n.addresses
        ):
            out.append(n)
    return out


def active_configs(cluster: Cluster) -> list[EtcdConfig]:
    """Every etcd config that runs: kubeadm's etcd.local only where it is the cluster's etcd (stacked) or the
    user wrote it, not the defaults the model adds for a ClusterConfiguration whose etcd is elsewhere."""
    out = []
    for c in cluster.etcd_configs:
        if (
            c.origin == KUBEADM
            and not cluster.etcd_stacked
            and not (c.document is not None and c.document.has("etcd", "local"))
        ):
            continue
        out.append(c)
    return out


def member_count(cluster: Cluster) -> int | None:
    m = voting_members(cluster)
    return len(m.names) if m is not None else None


class VersionOptions(NamedTuple):
    etcd_version: Annotated[
        str,
        "the etcd version the members run, such as 3.6; empty: from the etcd image tag, the "
        "inventory or the etcd that kubeadm pairs with the Kubernetes version",
    ] = ""


class Target(NamedTuple):
    version: Version
    table: tuple[int, int]  # the key table that applies (_keys.table_version)
    evidence: Related

    @property
    def text(self) -> str:
        return f"{self.version.major}.{self.version.minor}"


def etcd_version(cluster: Cluster, opts: VersionOptions) -> Target | None:
    """The target etcd version, from the option or the inputs, with where it comes from."""
    from kublint.rules.etcd._keys import table_version

    t = etcd_target(cluster, opts.etcd_version.strip() or None)
    if t is None:
        return None
    table = table_version(t.value)
    assert table is not None
    label = (
        f"etcd_version option {opts.etcd_version.strip()}"
        if opts.etcd_version.strip()
        else f"target etcd version {t.value.major}.{t.value.minor}"
    )
    return Target(t.value, table, Related(t.span, label))


# ET302 and ET303: client certificate authentication on the client and peer side.
def cert_auth_problems(
    cluster: Cluster, cfg: EtcdConfig, block: str, cis: str, who: str
) -> Iterator[Problem]:
    key = f"{block}.client-cert-auth"
    s = cfg.get(key)
    if s is not None and truthy(s.value) is True:
        return
    ca = cfg.get(f"{block}.trusted-ca-file")
    has_ca = not blank(ca)
    name = spelled(cfg, key)
    fix = f"set {assignment(cfg, key, 'true')} with a trusted-ca-file ({cis})"
    if has_ca and who == "peers":
        assert ca is not None
        consequence = (
            f"etcd's TLS listener still asks peers for a certificate because "
            f"{spelled(cfg, ca.key)} {text(ca.value)} is set, but {cis} requires the setting "
            "itself, and peer authentication then hangs on the CA file alone"
        )
    elif has_ca:
        assert ca is not None
        consequence = (
            f"etcd still asks clients for a certificate because "
            f"{spelled(cfg, ca.key)} {text(ca.value)} is set, but {cis} checks client-cert-auth "
            "itself, and etcd maps certificate names to etcd users only when it is on"
        )
    elif who == "peers":
        consequence = (
            "any machine that reaches the peer port can talk Raft to this member as if it were a "
            "peer, reading and injecting replicated data, the cluster's Secrets included"
        )
    else:
        consequence = (
            "any client that reaches the client port is served without a certificate, with full "
            "access to every key, including the cluster's Secrets"
        )
    if s is None or s.implicit:
        yield Problem(
            f"{name} is not set, and etcd's default is false: {consequence}; {fix}",
            section_span(cluster, cfg, key),
            anchor=anchor(cfg, key),
        )
    elif blank(s):
        yield Problem(
            f"{name} is empty, which etcd reads as false: {consequence}; {fix}",
            s.key_span,
            anchor=anchor(cfg, key),
        )
    elif truthy(s.value) is False:
        yield Problem(f"{name} is false: {consequence}; {fix}", s.span, anchor=anchor(cfg, key))


def key_span(cfg: EtcdConfig, s: EtcdSetting) -> Span:
    """The span of a setting's name: the config-file key, the ETCD_ variable, the ``--flag`` of a static Pod
    item, or the ``name`` (v1beta4) or key (v1beta3) of a kubeadm extraArgs entry."""
    doc = cfg.document
    flag = flag_name(s.key)
    if cfg.origin == POD and doc is not None:
        sp = s.span
        line = doc.source.line_text(sp.start.line)
        start = sp.start.col - 1 - len(flag) - 3
        if start >= 0 and line[start : sp.start.col - 1] == f"--{flag}=":
            return Span(sp.path, Pos(sp.start.line, start + 1), Pos(sp.start.line, start + 3 + len(flag)))
        return sp
    if cfg.origin == KUBEADM and doc is not None:
        path = ("etcd", "local", "extraArgs")
        raw = doc.get(*path)
        if isinstance(raw, dict) and flag in raw:
            return doc.loc(*path, flag, key=True)
        if isinstance(raw, list):
            for i in range(len(raw) - 1, -1, -1):
                item = raw[i]
                name = item.get("name") if isinstance(item, dict) else None
                if isinstance(name, str) and name.lstrip("-") == flag:
                    return doc.loc(*path, i, "name")
        return s.span
    return s.key_span


def replacement_text(cfg: EtcdConfig, key: str) -> str | None:
    """What to write instead of a deprecated or removed key, in the form of ``cfg``'s origin."""
    from kublint.rules.etcd._keys import replacement

    new = replacement(key)
    if new is None:
        return None
    new_key, value = new
    return spelled(cfg, new_key) if value is None else assignment(cfg, new_key, value)
