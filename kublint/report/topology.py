"""Draw ``kublint topology`` for people: one tree a cluster, load balancers -> control plane -> etcd ->
workers, grouped by zone, each fact with its source file:line. Uses rich."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from kublint.topology import Fact, Machine, Topology

NO_ZONE = "(no zone)"


def _src(source: str | None) -> str:
    from rich.markup import escape

    return f" [dim]({escape(source)})[/]" if source else ""


def _fact(label: str, fact: Fact | None) -> str:
    from rich.markup import escape

    if fact is None:
        return f"{label} [dim]unknown[/]"
    return f"{label} [bold]{escape(str(fact.value))}[/]{_src(fact.source)}"


def _machine(m: Machine) -> str:
    from rich.markup import escape

    addrs = f" {escape(', '.join(m.addresses))}" if m.addresses else ""
    return f"[bold]{escape(m.name)}[/]{addrs}{_src(m.source)}"


def _by_zone(machines: Iterable[Machine]) -> dict[str, list[Machine]]:
    out: dict[str, list[Machine]] = {}
    for m in machines:
        out.setdefault(m.zone or NO_ZONE, []).append(m)
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == NO_ZONE, kv[0])))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def tree(t: Topology) -> object:
    from rich.markup import escape
    from rich.tree import Tree

    name = escape(str(t.name.value)) if t.name else escape(t.root)
    head = f"[bold underline]{name}[/] [dim]{escape(t.root)}[/]  {_plural(t.node_count, 'node')}"
    root = Tree(head)
    root.add(_fact("environment", t.environment))
    root.add(_fact("Kubernetes", t.kubernetes_version))
    for inst in t.installers:
        branch = root.add(f"[bold]installer[/] {escape(inst.name)}")
        for what, fact in inst.facts:
            branch.add(_fact(escape(what), fact))

    api = root.add("[bold]API[/]")
    for endpoint in t.endpoints:
        api.add(_fact("controlPlaneEndpoint", endpoint))
    if not t.endpoints:
        api.add("controlPlaneEndpoint [dim]not set[/]")
    if t.lb_dns:
        api.add(_fact("DNS name", t.lb_dns))
    if t.lb_vip:
        api.add(_fact("VIP", t.lb_vip))
    lbs = api.add(f"load balancers: {len(t.load_balancers)}" if t.load_balancers
                  else "load balancers: [dim]none in the inventory[/]")
    for zone, ms in _by_zone(t.load_balancers).items():
        z = lbs.add(f"zone {escape(zone)}")
        for m in ms:
            z.add(_machine(m))

    cp = root.add(f"[bold]control plane[/]: {_plural(t.control_plane_count, 'node')}")
    for zone, ms in _by_zone(t.control_plane).items():
        z = cp.add(f"zone {escape(zone)}")
        for m in ms:
            z.add(_machine(m))
    for source in t.anonymous_control_plane_joins:
        cp.add(f"[dim]a control-plane JoinConfiguration that names no node[/]{_src(source)}")

    e = t.etcd
    et = root.add(
        f"[bold]etcd[/]: {e.topology}, {_plural(e.size, 'member')}; quorum {e.quorum}, tolerates "
        f"{_plural(e.tolerates_failures, 'failure')}{_src(e.source)}"
    )
    zones: dict[str, list[str]] = {}
    for member in e.members:
        zones.setdefault(member.zone or NO_ZONE, []).append(
            f"[bold]{escape(member.name)}[/]" + (f" {escape(member.host)}" if member.host else "")
            + (f" on node {escape(member.node)}" if member.node and member.node != member.name else "")
            + _src(member.source)
        )
    for zone, lines in sorted(zones.items(), key=lambda kv: (kv[0] == NO_ZONE, kv[0])):
        z = et.add(f"zone {escape(zone)}")
        for line in lines:
            z.add(line)
    if e.zone_losses:
        parts = [f"{escape(str(z.zone))} " + ("[green]survives[/]" if z.survives else "[red]loses quorum[/]")
                 for z in e.zone_losses]
        et.add("losing one zone: " + ", ".join(parts)
               + (f" [dim]({e.unzoned_members} member(s) without a zone)[/]" if e.unzoned_members else ""))

    w = t.workers
    spread = ", ".join(f"{escape(z)}: {n}" for z, n in w.by_zone.items())
    if w.unzoned:
        spread = (spread + ", " if spread else "") + f"{NO_ZONE}: {w.unzoned}"
    root.add(f"[bold]workers[/]: {w.total}" + (f" ({spread})" if spread and w.total else "") + _src(w.source))

    a = t.architecture
    arch = root.add("[bold]architecture[/] (the decision matrix, RULES.md family CL)")
    arch.add(f"has: {escape(a.current.summary)}")
    arch.add(f"recommended: {escape(a.recommended.summary)}")
    arch.add(f"because: {escape('; '.join(a.reasons))}")
    if a.matches is None:
        arch.add("[dim]not compared: no control-plane node known[/]")
    elif a.matches:
        arch.add("[green]the cluster matches the recommendation[/]")
    else:
        diff = arch.add("[yellow]differences[/]")
        for d in a.differences:
            diff.add(escape(d))
    for note in t.notes:
        root.add(f"[dim]note: {escape(note)}[/]")
    return root


def render(topologies: list[Topology], out: TextIO, *, color: bool | None = None) -> None:
    from rich.console import Console

    isatty = out.isatty() if hasattr(out, "isatty") else False
    console = Console(file=out, no_color=not (isatty if color is None else color), soft_wrap=True,
                      highlight=False, force_terminal=bool(color) if color else None,
                      width=200 if not isatty else None)
    if not topologies:
        console.print("No cluster found.")
        return
    for i, t in enumerate(topologies):
        if i:
            console.print()
        console.print(tree(t))
