"""TL002: see rules/TL002.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.talos import TALOS
from kublint.rules.api import rule


@rule("TL002")
def vip_not_endpoint(cluster: Cluster) -> Iterator[Problem]:
    for installer in cluster.installers:
        if installer.installer != TALOS:
            continue
        vips = [s for s in installer.settings if s.name == "vip" and isinstance(s.value, str)]
        if not vips:
            continue
        for e in installer.endpoints:
            if e.host is None or net.ip(e.host) is None:
                continue  # unknown, or a DNS name (which may well point at the VIP)
            if any(net.same_host(e.host, str(v.value)) for v in vips):
                continue
            vip = str(vips[0].value)
            node = cluster.find_node(e.host)
            what = f"control-plane node {node.name}'s own address" if node is not None else "not that VIP"
            target = f"[{vip}]" if ":" in vip else vip
            port = f":{e.port}" if e.port else ""
            yield Problem(
                f"the control-plane nodes share the VIP {vip}, but {e.setting} is {e.raw.value} ({what}): "
                "clients reach the API "
                f"through {e.host} alone and do not follow the VIP when it moves to a healthy node; set "
                f"{e.setting} to https://{target}{port} (or to a DNS name that resolves to it)",
                e.raw.span,
                tuple(Related(v.span, "VIP on a control-plane interface") for v in vips),
                anchor=f"{e.owner}/endpoint-vip",
            )
