"""What k3s-ansible (github.com/k3s-io/k3s-ansible) will deploy, from its inventory: the ``server`` and
``agent`` groups under ``k3s_cluster`` and the variables its roles read. Each host becomes the node values a
k3s config file would hold (``kublint.model.k3s_config.Unit``), so the k3s model and the existing rules judge
them at the inventory's own lines.

From the roles (``roles/k3s_server/tasks/main.yml`` and its service templates): with more than one host in
``server_group`` (default ``server``) the first runs ``k3s server --cluster-init`` (embedded etcd) and every
other server, like every agent (``agent_group``, default ``agent``), joins with
``--server https://{{ api_endpoint }}:{{ api_port }}`` (``api_port`` 6443); a single server runs without
``--cluster-init`` and keeps its data in SQLite. ``api_endpoint`` is what the inventory sets; the sample's
``{{ hostvars[groups['server'][0]]['ansible_host'] | default(groups['server'][0]) }}``, an unset value, or
any expression of ``groups['server'][0]`` is the first server's own address. ``extra_server_args`` (a string
of flags, or a list) and ``server_config_yaml`` (the content of /etc/rancher/k3s/config.yaml) are read as
the server's flags, at the variable's line; other Jinja leaves a value unknown.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from typing import Protocol

from kublint.model import kubespray
from kublint.model.inventory import InventoryFacts
from kublint.model.k3s import API_PORT, extract_units
from kublint.model.k3s_config import K3S, KNOWN_KEYS, Unit, Value
from kublint.placeholders import has_placeholder
from kublint.source import Span

CLUSTER_GROUP = "k3s_cluster"
DEFAULT_SERVER_GROUP = "server"
DEFAULT_AGENT_GROUP = "agent"
LABEL = "in the k3s-ansible inventory"
# k3s server flags that take no value (docs.k3s.io/cli/server): a bare ``--flag`` is true.
_BOOL_FLAGS = frozenset({
    "cluster-init", "cluster-reset", "etcd-disable-snapshots", "etcd-expose-metrics", "etcd-s3",
    "etcd-s3-skip-ssl-verify", "etcd-s3-insecure", "etcd-snapshot-compress", "disable-etcd",
    "disable-apiserver", "disable-controller-manager", "disable-scheduler", "disable-cloud-controller",
    "disable-kube-proxy", "disable-network-policy", "disable-helm-controller", "secrets-encryption",
    "flannel-ipv6-masq", "flannel-external-ip", "embedded-registry", "supervisor-metrics", "enable-pprof",
    "debug", "selinux", "protect-kernel-defaults", "prefer-bundled-bin", "with-node-id",
    "node-name-from-cloud", "tls-san-security", "write-kubeconfig-group",
})
# Flags that k3s takes more than once (a list in its config file).
_LIST_FLAGS = frozenset({
    "tls-san", "node-ip", "node-external-ip", "node-label", "node-taint", "disable", "kube-apiserver-arg",
    "kube-controller-manager-arg", "kube-scheduler-arg", "kube-cloud-controller-manager-arg", "etcd-arg",
    "kubelet-arg", "kube-proxy-arg", "advertise-address",
})
_FIRST_SERVER = re.compile(r"groups\s*\[\s*(?:'server'|\"server\"|server_group)\s*\]\s*\[\s*0\s*\]")


class Var(Protocol):
    @property
    def value(self) -> object: ...
    @property
    def span(self) -> Span: ...
    def loc(self, *sub: str | int) -> Span: ...
    def key_loc(self) -> Span: ...


class Host(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def span(self) -> Span: ...
    @property
    def listed(self) -> Mapping[str, Span]: ...
    @property
    def vars(self) -> Mapping[str, Var]: ...


def _group_name(hosts: Sequence[Host], var: str, default: str) -> str:
    for h in hosts:
        v = kubespray.Vars(h.vars).literal(var)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return default


def _value(value: object, span: Span, key: Span | None = None) -> Value:
    return Value(value, (span,), key or span, None)


def _list_value(items: list[object], span: Span, key: Span) -> Value:
    return Value(items, tuple(span for _ in items) or (span,), key, None)


def _parse_args(raw: object, var: Var) -> dict[str, Value] | None:
    """``extra_server_args``: flags as k3s's command line takes them, each at the variable's line."""
    if isinstance(raw, list):
        words: list[str] = []
        for item in raw:
            if not isinstance(item, str):
                return None
            words += _split(item) or []
    elif isinstance(raw, str):
        words = _split(raw) or []
    else:
        return None
    out: dict[str, list[object]] = {}
    i = 0
    while i < len(words):
        w = words[i]
        i += 1
        if not w.startswith("--"):
            continue
        name, eq, value = w[2:].partition("=")
        if not eq:
            if name in _BOOL_FLAGS or i >= len(words) or words[i].startswith("--"):
                value = "true"
            else:
                value, i = words[i], i + 1
        if name in KNOWN_KEYS and not has_placeholder(value):
            out.setdefault(name, []).append(value)
    span, key = var.span, var.key_loc()
    return {
        name: _list_value(vals, span, key) if name in _LIST_FLAGS else _value(vals[-1], span, key)
        for name, vals in out.items()
    }


def _split(text: str) -> list[str] | None:
    try:
        return shlex.split(text)
    except ValueError:
        return None


def _config_yaml(raw: object, var: Var) -> dict[str, Value]:
    """``server_config_yaml``: the content of the server's config.yaml, its keys at the variable's line."""
    if not isinstance(raw, str) or len(raw) > 1 << 20:
        return {}
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe", pure=True).load(raw)
    except (YAMLError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    span, key = var.span, var.key_loc()
    out: dict[str, Value] = {}
    for k, v in data.items():
        if isinstance(k, str):
            name = k.removesuffix("+")
            out[name] = _list_value(list(v), span, key) if isinstance(v, list) else _value(v, span, key)
    return out


def _address(host: Host) -> tuple[str, Span] | None:
    v = kubespray.Vars(host.vars).get("ansible_host")
    if v is not None and isinstance(v.value, str) and v.known and v.value.strip():
        return v.value.strip(), v.span
    return None


def _endpoint(servers: Sequence[Host], first_listed: Span) -> tuple[str, Span] | None:
    """``api_endpoint``: the host the other nodes join through (None when unknown)."""
    first = servers[0]
    var = first.vars.get("api_endpoint")
    if var is not None:
        raw = var.value
        if isinstance(raw, str) and _FIRST_SERVER.search(raw):
            addr = _address(first)
            return (addr[0] if addr else first.name), var.span
        val = kubespray.Vars(first.vars).get("api_endpoint")
        if val is None or not val.known or not isinstance(val.value, str | int) or not str(val.value).strip():
            return None
        return str(val.value).strip(), var.span
    addr = _address(first)
    return (addr[0] if addr else first.name), first_listed


def _port(hosts: Sequence[Host]) -> int | None:
    v = kubespray.Vars(hosts[0].vars).get("api_port")
    if v is None:
        return API_PORT
    if isinstance(v.value, int) and not isinstance(v.value, bool):
        return v.value
    if isinstance(v.value, str) and v.value.strip().isdigit():
        return int(v.value.strip())
    return None


def _unit(host: Host, server: bool, values: dict[str, Value]) -> Unit:
    addr = _address(host)
    if addr is not None and "node-ip" not in values:
        values["node-ip"] = _value(addr[0], addr[1])
    values.setdefault("node-name", _value(host.name, host.span))
    return Unit(host.span.path, (), values, host.span, server)


def extract(hosts: Mapping[str, Host], members: Mapping[str, list[str]]) -> InventoryFacts | None:
    """The cluster of a k3s-ansible inventory; ``members`` maps each group to its hosts in listed order."""
    all_hosts = list(hosts.values())
    if not all_hosts:
        return None
    sg = _group_name(all_hosts, "server_group", DEFAULT_SERVER_GROUP)
    ag = _group_name(all_hosts, "agent_group", DEFAULT_AGENT_GROUP)
    servers = [hosts[n] for n in members.get(sg, []) if n in hosts]
    agents = [hosts[n] for n in members.get(ag, []) if n in hosts and n not in members.get(sg, [])]
    if not servers:
        return None
    first_listed = servers[0].listed.get(sg, servers[0].span)
    endpoint = _endpoint(servers, first_listed) if len(servers) > 1 or agents else None
    port = _port(servers)
    join = (f"https://[{endpoint[0]}]:{port}" if ":" in endpoint[0] else f"https://{endpoint[0]}:{port}"
            ) if endpoint is not None and port is not None else None
    us = []
    for i, h in enumerate([*servers, *agents]):
        server = i < len(servers)
        values: dict[str, Value] = {}
        if server:
            cfg = h.vars.get("server_config_yaml")
            if cfg is not None:
                values.update(_config_yaml(kubespray.Vars(h.vars).literal("server_config_yaml"), cfg))
            args = h.vars.get("extra_server_args")
            if args is not None:
                values.update(_parse_args(kubespray.Vars(h.vars).literal("extra_server_args"), args) or {})
        if i == 0 and len(servers) > 1:
            values.setdefault("cluster-init", _value(True, first_listed))
        elif i > 0 and join is not None and endpoint is not None:
            values["server"] = _value(join, endpoint[1])
        us.append(_unit(h, server, values))
    return extract_units(us, K3S, LABEL)
