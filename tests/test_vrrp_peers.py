"""Keepalived peers are grouped by what VRRP pairs (router id, interface, VIP, unicast peers), not by the
instances' names (model/vrrp.py)."""

from __future__ import annotations

from pathlib import Path

from kublint.discovery import discover
from kublint.engine import load_files
from kublint.model.build import build


def instance(name: str, vrid: int, vip: str, interface: str = "eth0", extra: str = "") -> str:
    return (f"vrrp_instance {name} {{\n    state BACKUP\n    interface {interface}\n"
            f"    virtual_router_id {vrid}\n    priority 100\n{extra}"
            f"    virtual_ipaddress {{\n        {vip}/24\n    }}\n}}\n")


def groups(tmp_path: Path, files: dict[str, str]) -> list[list[str]]:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (root,) = discover(["."], tmp_path)
    c = build(root.display, load_files(root, 5 << 20, 1))
    return sorted(sorted(f"{Path(m.path).name}:{m.name}" for m in g) for g in c.peering.groups)


def test_differently_named_instances_of_one_router_are_peers(tmp_path: Path) -> None:
    got = groups(tmp_path, {"a.conf": instance("VI_1", 61, "10.0.0.100"),
                            "b.conf": instance("VI_2", 61, "10.0.0.100")})
    assert got == [["a.conf:VI_1", "b.conf:VI_2"]]


def test_unicast_peers_with_other_names_are_peers(tmp_path: Path) -> None:
    a = instance("API_A", 61, "10.0.0.100", extra="    unicast_src_ip 10.0.0.5\n"
                 "    unicast_peer {\n        10.0.0.6\n    }\n")
    b = instance("API_B", 61, "10.0.0.101", extra="    unicast_src_ip 10.0.0.6\n"
                 "    unicast_peer {\n        10.0.0.5\n    }\n")
    assert groups(tmp_path, {"a.conf": a, "b.conf": b}) == [["a.conf:API_A", "b.conf:API_B"]]


def test_other_router_id_or_interface_is_no_evidence(tmp_path: Path) -> None:
    got = groups(tmp_path, {"a.conf": instance("VI_1", 61, "10.0.0.100"),
                            "b.conf": instance("VI_2", 62, "10.0.0.200"),
                            "c.conf": instance("VI_3", 61, "10.0.0.100", interface="eth1")})
    assert got == [["a.conf:VI_1"], ["b.conf:VI_2"], ["c.conf:VI_3"]]
