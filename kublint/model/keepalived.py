"""Typed views of a keepalived config: VRRP instances, vrrp_script blocks and global_defs.

Values are the words as keepalived reads them after ``$NAME`` substitution, each with the span of its word.
Numbers stay text (``Sourced[str]``); ``as_int`` reads them, so a rule can report a value that is no number.
When a keyword repeats in a block, the last one wins, as in keepalived.
"""

from __future__ import annotations

from typing import NamedTuple

from kublint.model.types import Sourced
from kublint.parsers.keepalived import Block, KeepalivedConfig, Stmt
from kublint.source import Span
from kublint.text import is_digits


def as_int(value: Sourced[str] | None) -> int | None:
    if value is None:
        return None
    text = value.value.strip()
    return int(text) if is_digits(text.lstrip("-")) else None


def as_float(value: Sourced[str] | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.value)
    except ValueError:
        return None


def _arg(stmt: Stmt | None, index: int = 0) -> Sourced[str] | None:
    if stmt is None:
        return None
    word = stmt.arg(index)
    value = stmt.value(index)
    return Sourced(value, word.span) if word is not None and value is not None else None


def _setting(block: Block, keyword: str) -> Sourced[str] | None:
    return _arg(block.stmt(keyword))


def _flag(block: Block, keyword: str) -> Sourced[bool] | None:
    stmt = block.stmt(keyword)
    return Sourced(True, stmt.words[0].span) if stmt else None


def _rest(stmt: Stmt | None) -> Sourced[str] | None:
    """All arguments as one text (``script /usr/bin/check arg``), spanning the first to the last."""
    if stmt is None or not stmt.args:
        return None
    first, last = stmt.args[0].span, stmt.args[-1].span
    return Sourced(" ".join(stmt.values[1:]), Span(first.path, first.start, last.end))


class Vip(NamedTuple):
    stmt: Stmt
    address: Sourced[str]  # without the prefix length
    prefix: int | None
    dev: Sourced[str] | None

    @property
    def text(self) -> str:
        return self.address.value if self.prefix is None else f"{self.address.value}/{self.prefix}"


def _vip(stmt: Stmt) -> Vip:
    word = stmt.words[0]
    addr, _, plen = stmt.values[0].partition("/")
    prefix = int(plen) if is_digits(plen) else None
    dev = None
    for i, v in enumerate(stmt.values[:-1]):
        if v == "dev":
            dev = Sourced(stmt.values[i + 1], stmt.words[i + 1].span)
    return Vip(stmt, Sourced(addr, word.span), prefix, dev)


class TrackRef(NamedTuple):
    name: Sourced[str]
    weight: Sourced[str] | None
    stmt: Stmt


def block_tracks(block: Block | None) -> tuple[TrackRef, ...]:
    if block is None:
        return ()
    out = []
    for s in block.items():
        weight = None
        for i, v in enumerate(s.values[:-1]):
            if v == "weight":
                weight = Sourced(s.values[i + 1], s.words[i + 1].span)
        out.append(TrackRef(Sourced(s.values[0], s.words[0].span), weight, s))
    return tuple(out)


class Auth(NamedTuple):
    block: Block
    type: Sourced[str] | None
    password: Sourced[str] | None


class VrrpInstance(NamedTuple):
    block: Block

    @property
    def name(self) -> Sourced[str] | None:
        return _arg(self.block.header)

    def setting(self, keyword: str) -> Sourced[str] | None:
        return _setting(self.block, keyword)

    @property
    def state(self) -> Sourced[str] | None:
        return self.setting("state")

    @property
    def interface(self) -> Sourced[str] | None:
        return self.setting("interface")

    @property
    def virtual_router_id(self) -> Sourced[str] | None:
        return self.setting("virtual_router_id")

    @property
    def priority(self) -> Sourced[str] | None:
        return self.setting("priority")

    @property
    def advert_int(self) -> Sourced[str] | None:
        return self.setting("advert_int")

    @property
    def unicast_src_ip(self) -> Sourced[str] | None:
        return self.setting("unicast_src_ip")

    @property
    def nopreempt(self) -> Sourced[bool] | None:
        return _flag(self.block, "nopreempt")

    @property
    def preempt_delay(self) -> Sourced[str] | None:
        return self.setting("preempt_delay")

    @property
    def vips(self) -> tuple[Vip, ...]:
        return tuple(_vip(s) for b in self.block.blocks("virtual_ipaddress") for s in b.items())

    @property
    def excluded_vips(self) -> tuple[Vip, ...]:
        return tuple(_vip(s) for b in self.block.blocks("virtual_ipaddress_excluded") for s in b.items())

    @property
    def unicast_peers(self) -> tuple[Sourced[str], ...]:
        items = (s for b in self.block.blocks("unicast_peer") for s in b.items())
        return tuple(Sourced(s.values[0], s.words[0].span) for s in items)

    @property
    def auth(self) -> Auth | None:
        b = self.block.block("authentication")
        if b is None:
            return None
        return Auth(b, _setting(b, "auth_type"), _setting(b, "auth_pass"))

    @property
    def track_scripts(self) -> tuple[TrackRef, ...]:
        return tuple(t for b in self.block.blocks("track_script") for t in block_tracks(b))

    @property
    def track_processes(self) -> tuple[TrackRef, ...]:
        return tuple(t for b in self.block.blocks("track_process") for t in block_tracks(b))

    @property
    def track_interfaces(self) -> tuple[TrackRef, ...]:
        return tuple(t for b in self.block.blocks("track_interface") for t in block_tracks(b))


class VrrpScript(NamedTuple):
    block: Block

    @property
    def name(self) -> Sourced[str] | None:
        return _arg(self.block.header)

    @property
    def script(self) -> Sourced[str] | None:
        return _rest(self.block.stmt("script"))

    def setting(self, keyword: str) -> Sourced[str] | None:
        return _setting(self.block, keyword)

    @property
    def interval(self) -> Sourced[str] | None:
        return self.setting("interval")

    @property
    def weight(self) -> Sourced[str] | None:
        return self.setting("weight")

    @property
    def fall(self) -> Sourced[str] | None:
        return self.setting("fall")

    @property
    def rise(self) -> Sourced[str] | None:
        return self.setting("rise")

    @property
    def timeout(self) -> Sourced[str] | None:
        return self.setting("timeout")

    @property
    def user(self) -> Sourced[str] | None:
        return self.setting("user")


class GlobalDefs(NamedTuple):
    block: Block

    @property
    def router_id(self) -> Sourced[str] | None:
        return _setting(self.block, "router_id")

    @property
    def enable_script_security(self) -> Sourced[bool] | None:
        return _flag(self.block, "enable_script_security")

    @property
    def script_user(self) -> Sourced[str] | None:
        return _setting(self.block, "script_user")

    @property
    def vrrp_version(self) -> Sourced[str] | None:
        return _setting(self.block, "vrrp_version")


def vrrp_instances(config: KeepalivedConfig) -> list[VrrpInstance]:
    return [VrrpInstance(b) for b in config.blocks("vrrp_instance")]


def vrrp_scripts(config: KeepalivedConfig) -> list[VrrpScript]:
    return [VrrpScript(b) for b in config.blocks("vrrp_script")]


def global_defs(config: KeepalivedConfig) -> GlobalDefs | None:
    """The global_defs block; keepalived merges repeated ones, kublint gives the first."""
    return next((GlobalDefs(b) for b in config.blocks("global_defs")), None)


__all__ = [
    "Auth", "GlobalDefs", "TrackRef", "Vip", "VrrpInstance", "VrrpScript", "as_float", "as_int",
    "global_defs", "vrrp_instances", "vrrp_scripts",
]
