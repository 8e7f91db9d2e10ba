"""KA212: see rules/KA212.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.components import APISERVER, component_views
from kublint.rules.api import rule


@rule("KA212")
def no_encryption_at_rest(cluster: Cluster) -> Iterator[Problem]:
    for view in component_views(cluster, APISERVER):
        flag = view.explicit("encryption-provider-config")
        if flag is not None and flag.value.strip():
            continue
        if flag is not None:
            what = f"{view.component} sets an empty encryption-provider-config ({flag.origin})"
            where = flag.span
        elif view.managed:
            what = f"{view.where} sets no encryption-provider-config (kubeadm does not set one)"
            where = view.section
        elif not view.complete:
            continue  # an installer's unset flag: what it renders by default is not guessed
        else:
            what = f"the {view.component} static Pod sets no --encryption-provider-config"
            where = view.section
        yield Problem(
            f"{what}: Secrets are stored in etcd in plain text, so anyone with an etcd backup or disk has "
            "every credential in the cluster (CIS 1.2.27); write an EncryptionConfiguration with an aescbc, "
            "secretbox or kms provider first and add encryption-provider-config (plus an extraVolume for "
            f"the file) to {view.where}",
            where, anchor=view.flag_anchor("encryption-provider-config"),
        )
