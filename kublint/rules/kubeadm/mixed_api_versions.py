"""KA004: see rules/KA004.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.embedded import written
from kublint.parsers.yaml import YamlDocument
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import API_VERSION_RANK, kubeadm_api_version


@rule("KA004")
def mixed_api_versions(cluster: Cluster) -> Iterator[Problem]:
    by_file: dict[str, list[tuple[YamlDocument, str]]] = {}
    for doc in written(cluster.kubeadm_docs):
        version = kubeadm_api_version(doc)
        if version is not None:
            by_file.setdefault(doc.source.path, []).append((doc, version))
    for docs in by_file.values():
        if len({v for _, v in docs}) < 2:
            continue
        newest_doc, newest = max(docs, key=lambda dv: API_VERSION_RANK.get(dv[1], -2))
        for doc, version in docs:
            if version == newest:
                continue
            yield Problem(
                f"{doc.kind or 'document'} uses kubeadm.k8s.io/{version} while this file's {newest_doc.kind} "
                f"uses kubeadm.k8s.io/{newest}: a half-finished migration, in which each document follows "
                "another schema (map or list extraArgs, moved fields) and the older one breaks when its "
                f"version is removed; migrate it to {newest} (`kubeadm config migrate`)",
                doc.loc("apiVersion"),
                (Related(newest_doc.loc("apiVersion"), f"kubeadm.k8s.io/{newest} here"),),
                anchor=f"{doc.anchor}/apiVersion",
            )
