"""KA109: see rules/KA109.md."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.placeholders import has_kubeadm_placeholder
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import docs_of_kind

PATH = ("discovery", "file", "kubeConfigPath")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


@rule("KA109")
def discovery_file_not_https(cluster: Cluster) -> Iterator[Problem]:
    for doc in docs_of_kind(cluster, "JoinConfiguration"):
        value = doc.get(*PATH)
        if not isinstance(value, str) or has_kubeadm_placeholder(value):
            continue
        m = _SCHEME.match(value.strip())
        if m is None or len(m.group(1)) == 1:  # a file path (a one-letter "scheme" is a Windows drive)
            continue
        scheme = m.group(1)
        if scheme.lower() == "https":
            continue
        yield Problem(
            f"discovery.file.kubeConfigPath is a {scheme}:// URL ({value.strip()}): kubeadm join refuses it "
            "(\"if an URL is used, the scheme must be https\"), and a discovery file fetched without TLS "
            "could be swapped for one that points the node at another cluster; serve it over https or copy "
            "it to the node and give its path",
            doc.loc(*PATH), anchor=f"{doc.anchor}/discovery/file/kubeConfigPath",
        )
