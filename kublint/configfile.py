"""Find, read and check ``.kublint.yaml`` (or ``[tool.kublint]`` in pyproject.toml) into a Config.

Errors name the file, line and column, with a "did you mean" for misspelled keys and rule references.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from kublint.config import FAIL_ON, Config, ConfigError
from kublint.suggest import did_you_mean as _suggest

CONFIG_NAMES = (".kublint.yaml", ".kublint.yml")
TOP_KEYS = (
    "select",
    "ignore",
    "fail-on",
    "rules",
    "per-file-ignores",
    "exclude",
    "kinds",
    "inventory",
    "environment",
    "etcd-version",
    "max-file-size",
)
RULE_KEYS = ("severity", "options")
LEVELS = ("error", "warning", "info")
ENVIRONMENTS = ("production", "staging", "development")


class Origin(NamedTuple):
    """Where a resolved setting came from, for ``kublint config``."""

    key: str
    source: str  # "default", a file path with line, or "command line"


class Loaded:
    __slots__ = ("config", "origins", "path")

    config: Config
    path: Path | None
    origins: dict[str, str]

    def __init__(self, config: Config, path: Path | None, origins: dict[str, str] | None = None) -> None:
        self.config = config
        self.path = path
        self.origins = {} if origins is None else origins


def find_config(start: Path) -> Path | None:
    """``.kublint.yaml`` in ``start`` or above, else a pyproject.toml with ``[tool.kublint]``."""
    d = start if start.is_dir() else start.parent
    for cand in (d, *d.parents):
        for name in CONFIG_NAMES:
            if (cand / name).is_file():
                return cand / name
        py = cand / "pyproject.toml"
        if py.is_file() and _has_tool_section(py):
            return py
        if (cand / ".git").exists():
            break
    return None


def _has_tool_section(path: Path) -> bool:
    try:
        return "[tool.kublint" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


class _Where:
    """Positions for error messages: YAML configs have spans; pyproject values only their file."""

    def __init__(self, path: Path, doc: Any = None) -> None:
        self.path = path
        self.doc = doc

    def __call__(self, *keys: str | int, key: bool = False) -> str:
        if self.doc is None:
            return f"{self.path}"
        span = self.doc.loc(*keys, key=key)
        return f"{self.path}:{span.line}:{span.col}"


def load_config(path: Path, base: Config | None = None) -> Loaded:
    """Read a config file; raises ConfigError with the position of the first problem."""
    base = base or Config()
    where: _Where
    if path.name == "pyproject.toml":
        import tomllib

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("kublint", {})
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read [tool.kublint]: {exc}") from None
        where = _Where(path)
    else:
        from kublint.parsers.yaml import parse_yaml
        from kublint.source import SourceFile

        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the configuration: {exc}") from None
        parsed = parse_yaml(SourceFile(str(path), path, text))
        if parsed.errors:
            e = parsed.errors[0]
            raise ConfigError(f"{path}:{e.span.line}:{e.span.col}: {e.message}")
        if parsed.duplicates:
            e = parsed.duplicates[0]
            raise ConfigError(f"{path}:{e.span.line}:{e.span.col}: {e.message}")
        doc = parsed.documents[0] if parsed.documents else None
        data = doc.data if doc is not None and doc.data is not None else {}
        where = _Where(path, doc)
    if not isinstance(data, dict):
        raise ConfigError(f"{where()}: the configuration must be a mapping of settings")
    loaded = _check(data, where, base, path)
    _schema_backstop(data, where)
    return loaded


def _schema_backstop(data: dict[str, Any], where: _Where) -> None:
    """The checks above give the precise messages; schemas/kublint-config.schema.json is the contract that
    editors and other tools read, and a configuration passes only when it also meets it."""
    from kublint.schema import is_valid, schema_problems

    if is_valid(data, "kublint-config"):
        return
    if where.doc is not None:
        problems = schema_problems(where.doc, "kublint-config")
        if problems:
            p = problems[0]
            raise ConfigError(f"{where.path}:{p.span.line}:{p.span.col}: {p.message}")
    raise ConfigError(f"{where()}: the configuration does not match schemas/kublint-config.schema.json")


def _str_list(value: Any, where: str, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {name} must be a list of strings")
    return tuple(value)


def _check(data: dict[str, Any], where: _Where, base: Config, path: Path) -> Loaded:
    from kublint.catalogue import catalogue
    from kublint.selection import UnknownReferenceError, resolve

    cards = catalogue()
    origins: dict[str, str] = {}
    updates: dict[str, Any] = {}

    def check_refs(refs: tuple[str, ...], *keys: str | int) -> None:
        for i, ref in enumerate(refs):
            try:
                resolve(ref, cards)
            except UnknownReferenceError as exc:
                raise ConfigError(f"{where(*keys, i)}: {exc}") from None

    for key, value in data.items():
        if key not in TOP_KEYS:
            raise ConfigError(
                f'{where(key, key=True)}: unknown setting "{key}"{_suggest(str(key), TOP_KEYS)}'
            )
        origins[key] = where(key)
        if key in ("select", "ignore", "exclude"):
            refs = _str_list(value, where(key), key)
            if key != "exclude":
                check_refs(refs, key)
            updates[key] = refs
        elif key == "fail-on":
            if value not in FAIL_ON:
                choices = ", ".join(FAIL_ON)
                hint = _suggest(str(value), FAIL_ON)
                raise ConfigError(f"{where(key)}: fail-on must be one of {choices}{hint}")
            updates["fail_on"] = value
        elif key == "environment":
            if value not in ENVIRONMENTS:
                raise ConfigError(
                    f"{where(key)}: environment must be one of {', '.join(ENVIRONMENTS)}"
                    f"{_suggest(str(value), ENVIRONMENTS)}"
                )
            updates["environment"] = value
        elif key == "etcd-version":
            updates["etcd_version"] = str(value)
        elif key == "max-file-size":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{where(key)}: max-file-size is a number of bytes")
            updates["max_file_bytes"] = value
        elif key == "rules":
            updates.update(_rules(value, where, cards))
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where(key)}: per-file-ignores maps a glob to a list of rules")
            pfi = {}
            for glob, refs in value.items():
                ids = _str_list(refs, where(key, glob), f"per-file-ignores[{glob}]")
                check_refs(ids, key, glob)
                pfi[str(glob)] = ids
            updates["per_file_ignores"] = pfi
        elif key == "kinds":
            updates["kinds"] = _kinds(value, where)
        elif key == "inventory":
            updates["inventory_groups"] = _inventory(value, where)
    cfg = base._replace(**updates)
    return Loaded(cfg, path, origins)


def _rules(value: Any, where: _Where, cards: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where('rules')}: rules maps a rule id to {{severity, options}}")
    severity: dict[str, str] = {}
    options: dict[str, dict[str, Any]] = {}
    names = {c.name: c.id for c in cards.values()}
    for ref, body in value.items():
        rid = str(ref).upper() if str(ref).upper() in cards else names.get(str(ref))
        if rid is None:
            from kublint.selection import suggest

            hint = suggest(str(ref), cards)
            raise ConfigError(
                f'{where("rules", ref, key=True)}: unknown rule "{ref}"'
                + (f'; did you mean "{hint}"?' if hint else "")
            )
        if not isinstance(body, dict):
            raise ConfigError(
                f"{where('rules', ref)}: a rule's settings are {{severity: LEVEL, options: {{...}}}}"
            )
        for k, v in body.items():
            if k not in RULE_KEYS:
                pos = where("rules", ref, k, key=True)
                raise ConfigError(f'{pos}: unknown rule setting "{k}"{_suggest(str(k), RULE_KEYS)}')
            if k == "severity":
                if v not in LEVELS:
                    raise ConfigError(f"{where('rules', ref, k)}: severity must be error, warning or info")
                severity[rid] = v
            elif k == "options":
                if not isinstance(v, dict):
                    raise ConfigError(f"{where('rules', ref, k)}: options is a mapping")
                options[rid] = _check_options(rid, cards[rid].name, v, where, ref)
    return {"severity": severity, "options": options}


def _check_options(rid: str, name: str, values: dict[str, Any], where: _Where, ref: Any) -> dict[str, Any]:
    """The rule's own check (config.build_options, which the engine runs too), placed at the option's key."""
    from kublint.config import OptionError, build_options
    from kublint.rules.api import load

    try:
        build_options(rid, load(rid, name).options, values)
    except OptionError as exc:
        bad = exc.option
        pos = where("rules", ref, "options", bad, key=True) if bad else where("rules", ref, "options")
        raise ConfigError(f"{pos}: {exc}") from None
    return dict(values)


def _kinds(value: Any, where: _Where) -> tuple[tuple[str, str], ...]:
    from kublint.model.files import Kind

    allowed = tuple(k.value for k in Kind)
    out = []
    if not isinstance(value, list):
        raise ConfigError(f"{where('kinds')}: kinds is a list of {{glob, kind}}")
    for i, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != {"glob", "kind"}:
            raise ConfigError(f"{where('kinds', i)}: each entry is {{glob: PATTERN, kind: KIND}}")
        if item["kind"] not in allowed:
            kind = str(item["kind"])
            raise ConfigError(f'{where("kinds", i, "kind")}: unknown kind "{kind}"{_suggest(kind, allowed)}')
        out.append((str(item["glob"]), str(item["kind"])))
    return tuple(out)


def _inventory(value: Any, where: _Where) -> dict[str, list[str]]:
    roles = ("control-plane", "etcd", "worker", "lb")
    if not isinstance(value, dict) or set(value) - {"groups"}:
        bad = next(iter(set(value) - {"groups"}), "") if isinstance(value, dict) else ""
        raise ConfigError(
            f"{where('inventory', bad, key=True) if bad else where('inventory')}: inventory takes "
            f"groups: {{ROLE: [group, ...]}}" + (_suggest(bad, ("groups",)) if bad else "")
        )
    groups = value.get("groups") or {}
    out: dict[str, list[str]] = {}
    for role, names in groups.items():
        if role not in roles:
            raise ConfigError(
                f'{where("inventory", "groups", role, key=True)}: unknown role "{role}"'
                f"{_suggest(str(role), roles)} (one of {', '.join(roles)})"
            )
        out[role] = list(_str_list(names, where("inventory", "groups", role), role))
    return out
