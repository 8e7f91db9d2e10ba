"""KA205: see rules/KA205.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.components import APISERVER, component_views
from kublint.rules.api import rule


@rule("KA205")
def token_auth_file(cluster: Cluster) -> Iterator[Problem]:
    for view in component_views(cluster, APISERVER):
        flag = view.explicit("token-auth-file")
        if flag is None or not flag.value.strip():
            continue
        yield Problem(
            f"{view.component} sets {flag.describe()}: static bearer tokens are kept in clear text on the "
            "control plane, never expire and can only be changed by restarting the API server (CIS 1.2.2); "
            "remove the flag and use client certificates, service-account tokens or an OIDC provider",
            flag.span, anchor=view.flag_anchor("token-auth-file"),
        )
