"""How the etcd rules phrase and place findings: a setting spelled as its origin writes it (config-file key,
``ETCD_`` variable, ``--flag``, kubeadm extraArgs) and where a missing one goes. Who the voting members are
is ``cluster.voting_members`` (``kublint.model.etcd_members``); the settings are ``kublint.model.etcd``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.etcd import (
    ENV,
    FILE,
    FLAG_TO_KEY,
    KUBEADM,
    PEER,
    POD,
    EtcdConfig,
    EtcdSetting,
    blank,
    text,
    truthy,
)
from kublint.model.etcd_members import Members
from kublint.model.versions import Version, etcd_target
from kublint.source import Pos, Span


def member_phrase(m: Members) -> str:
    return ", ".join(m.names)


_KEY_TO_FLAG = {
    key: flag for flag, key in FLAG_TO_KEY.items() if not (key.startswith(PEER) and flag == key[len(PEER) :])
}


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
