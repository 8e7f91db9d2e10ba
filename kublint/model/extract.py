"""One extractor per input kind: each reads the facts of one parsed file into ``Extracted``, and nothing
else. The assembler (``model/build.py``) joins them. A new input kind (an installer dialect) is one new
extractor registered in ``EXTRACTORS``, and the rules then fire on that input's own lines."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

from kublint.model import ansible
from kublint.model import backups as backup_facts
from kublint.model import etcd as etcd_view
from kublint.model import inventory as inv
from kublint.model.files import Kind, ParsedFile
from kublint.model.staticpod import StaticPod, static_pods
from kublint.model.types import Backup, InstallerFacts
from kublint.parsers.certs import Certificate
from kublint.parsers.ini import IniInventory
from kublint.parsers.yaml import YamlDocument


class Context(NamedTuple):
    """What an extractor may need beyond its own file."""

    files: tuple[ParsedFile, ...]
    extra_groups: Mapping[str, list[str]] | None  # config inventory_groups: more names for the roles


class Extracted:
    """The facts of every file, by kind, before they are joined."""

    __slots__ = (
        "backups",
        "certificates",
        "certificates_readable",
        "component_docs",
        "etcd_configs",
        "etcd_docs",
        "installers",
        "inventories",
        "kubeadm_docs",
        "pods",
    )

    def __init__(self) -> None:
        self.inventories: list[inv.InventoryFacts] = []
        self.kubeadm_docs: list[YamlDocument] = []
        self.component_docs: list[YamlDocument] = []  # KubeSchedulerConfiguration and the like
        self.etcd_docs: list[YamlDocument] = []  # etcd config files
        self.etcd_configs: list[etcd_view.EtcdConfig] = []  # from env files (config files join later)
        self.backups: list[Backup] = []
        self.pods: list[StaticPod] = []
        self.certificates: list[Certificate] = []
        self.certificates_readable = True
        self.installers: list[InstallerFacts] = []  # installer dialects: kubespray variables, Talos


Extractor = Callable[[ParsedFile, Context, Extracted], None]


def _native_inventory(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    out.inventories.extend(inv.native(d) for d in f.documents if d.kind == "Inventory")


def _ansible_inventory(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    vars_files = ansible_vars_files(ctx.files, f)
    if isinstance(f.content, IniInventory):
        out.inventories.append(
            ansible.ansible_ini(f.content, f.source.start_span(), ctx.extra_groups, vars_files)
        )
        return
    for d in f.documents:
        if isinstance(d.data, dict) and ansible.is_ansible_yaml(d.data):
            out.inventories.append(ansible.ansible_yaml(d, ctx.extra_groups, vars_files))


def _talos(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    from kublint.model import talos

    out.inventories.extend(talos.extract(f, ctx.files))


def _kubekey(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    from kublint.model import kubekey

    out.inventories.extend(kubekey.cluster_facts(d) for d in f.documents if kubekey.is_cluster(d))
    configs = [d for g in ctx.files if g.kind is Kind.KUBEKEY
               for d in g.documents if kubekey.is_v4(d, "Config")]
    out.inventories.extend(
        kubekey.inventory_facts(d, configs) for d in f.documents if kubekey.is_v4(d, "Inventory")
    )


def _k3s(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    """All k3s and RKE2 files of the root are one cluster: read once, at the first of them."""
    from kublint.model import k3s

    group = [g for g in ctx.files if g.kind is Kind.K3S]
    if group and group[0] is f and (facts := k3s.extract(group)) is not None:
        out.inventories.append(facts)


def _cluster_api(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    from kublint.model import capi

    configs, inventories = capi.extract(f, (g for g in ctx.files if g.kind is Kind.CAPI))
    out.kubeadm_docs.extend(configs)
    out.inventories.extend(inventories)


def _kubeadm(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    for d in f.documents:
        if d.api_version.startswith("kubeadm.k8s.io/"):
            out.kubeadm_docs.append(d)
        elif d.kind == "KubeSchedulerConfiguration":
            out.component_docs.append(d)


def _component_config(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    out.component_docs.extend(f.documents)


def _etcd_config(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    out.etcd_docs.extend(d for d in f.documents if isinstance(d.data, dict))


def _etcd_env(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    if isinstance(f.content, list):
        out.etcd_configs.append(etcd_view.from_env(f.source.start_span(), f.content))


def _cronjob(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    for d in f.documents:
        out.backups.extend(backup_facts.cronjob_backups(d))


def _crontab(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    if isinstance(f.content, list):
        out.backups.extend(backup_facts.crontab_backups(f.content))


def _static_pod(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    for d in f.documents:
        out.pods.extend(static_pods(d))


def _certificate(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    if isinstance(f.content, list):
        out.certificates.extend(f.content)
    else:
        out.certificates_readable = False


def _kubeconfig(f: ParsedFile, ctx: Context, out: Extracted) -> None:
    from kublint.parsers.certs import available, parse_embedded

    if not available():
        return
    for d in f.documents:
        users = d.get("users")
        for i, u in enumerate(users if isinstance(users, list) else []):
            user = u.get("user") if isinstance(u, dict) else None
            data = user.get("client-certificate-data") if isinstance(user, dict) else None
            if isinstance(data, str):
                where = d.loc("users", i, "user", "client-certificate-data")
                certs, _ = parse_embedded(data, where, f"{f.path} user {u.get('name', i)}")
                out.certificates.extend(certs)


# Systemd units are read together (a timer and its service): see backups.systemd_backups in the assembler.
# HAProxy and Keepalived files are read by the load-balancer view, which needs the joined nodes.
EXTRACTORS: dict[Kind, Extractor] = {
    Kind.INVENTORY: _native_inventory,
    Kind.ANSIBLE_INVENTORY: _ansible_inventory,
    Kind.KUBEADM: _kubeadm,
    Kind.COMPONENT_CONFIG: _component_config,
    Kind.ETCD_CONFIG: _etcd_config,
    Kind.ETCD_ENV: _etcd_env,
    Kind.CRONJOB: _cronjob,
    Kind.CRONTAB: _crontab,
    Kind.STATIC_POD: _static_pod,
    Kind.CERTIFICATE: _certificate,
    Kind.KUBECONFIG: _kubeconfig,
    Kind.KUBEKEY: _kubekey,
    Kind.CAPI: _cluster_api,
    Kind.TALOS: _talos,
    Kind.K3S: _k3s,
}


def extract(files: tuple[ParsedFile, ...], extra_groups: Mapping[str, list[str]] | None) -> Extracted:
    ctx, out = Context(files, extra_groups), Extracted()
    for f in files:
        extractor = EXTRACTORS.get(f.kind) if f.kind is not None else None
        if extractor is not None:
            extractor(f, ctx, out)
    out.backups.extend(backup_facts.systemd_backups(list(files)))
    out.installers.extend(i.installer for i in out.inventories if i.installer is not None)
    return out


def ansible_vars_files(files: tuple[ParsedFile, ...], inventory: ParsedFile) -> list[ParsedFile]:
    """``group_vars/`` and ``host_vars/`` YAML beside the inventory file or one directory up (Ansible's
    layout)."""
    here = inventory.source.abspath.parent
    out = []
    for f in files:
        parts = f.source.abspath.parts
        for marker in ("group_vars", "host_vars"):
            if marker in parts:
                base = Path(*parts[: parts.index(marker)])
                if base in (here, here.parent) and f.documents:
                    out.append(f)
                break
    return out
