"""The run's configuration: rule selection, severities, rule options and inputs."""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any, NamedTuple

from kublint.findings import Severity
from kublint.suggest import did_you_mean

FAIL_ON = ("error", "warning", "info", "never")


class ConfigError(ValueError):
    pass


class OptionError(ConfigError):
    """A rule option that is not one, or not of its type; ``option`` names it (None: the rule takes none)."""

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option


_EMPTY: Mapping[str, Any] = {}  # the shared default of the mappings: typed Mapping, so never written


class Config(NamedTuple):
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = _EMPTY  # reference -> error|warning|info
    options: Mapping[str, Mapping[str, Any]] = _EMPTY  # rule id -> option values
    fail_on: str = "error"
    exclude: tuple[str, ...] = ()
    environment: str | None = None
    inventory_groups: Mapping[str, list[str]] = _EMPTY
    max_file_bytes: int = 5 * 1024 * 1024
    jobs: int | None = None
    per_file_ignores: Mapping[str, tuple[str, ...]] = _EMPTY  # glob -> rule references
    kinds: tuple[tuple[str, str], ...] = ()  # (glob, kind) classification overrides
    etcd_version: str | None = None
    inline_suppressions: bool = True
    baseline: str | None = None  # path of a baseline file


def fail_threshold(fail_on: str) -> Severity | None:
    if fail_on == "never":
        return None
    return Severity.parse(fail_on)


def build_options(rule_id: str, options_cls: type[Any] | None, values: Mapping[str, Any] | None) -> Any:
    """Instantiate a rule's options record (a NamedTuple whose fields carry their help in ``Annotated``),
    checking names and types: the one check of rule options, for the configuration file (which places an
    OptionError at its key) and for the engine (Config built in code). The values are the user's only: the
    engine adds nothing (run-wide settings reach a rule as its RunContext)."""
    if options_cls is None:
        if values:
            raise OptionError(f"rule {rule_id} takes no options (got {', '.join(sorted(values))})")
        return None
    if not values:
        return options_cls()
    fields = options_cls._fields
    hints = typing.get_type_hints(options_cls)  # Annotated stripped: the plain types
    for name, value in values.items():
        if name not in fields:
            raise OptionError(f'rule {rule_id} has no option "{name}"{did_you_mean(name, fields)}', name)
        if not _type_ok(value, hints[name]):
            raise OptionError(
                f"rule {rule_id} option {name} must be {_type_name(hints[name])}, not {value!r}", name
            )
    return options_cls(**values)


def _type_ok(value: Any, hint: Any) -> bool:
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(hint, type):
        return isinstance(value, hint)
    origin = typing.get_origin(hint)
    if origin in (tuple, list):
        return isinstance(value, list | tuple)
    if origin in (typing.Union, types.UnionType):
        return any(_type_ok(value, a) for a in typing.get_args(hint))
    return True


def _type_name(hint: Any) -> str:
    return {float: "a number", int: "an integer", str: "a string", bool: "true or false"}.get(hint, str(hint))


def describe_options(options_cls: type[Any] | None) -> list[tuple[str, str, Any, str]]:
    """(name, type, default, help) for ``kublint explain``."""
    if options_cls is None:
        return []
    hints = typing.get_type_hints(options_cls)
    full = typing.get_type_hints(options_cls, include_extras=True)
    return [
        (name, _type_name(hints[name]), options_cls._field_defaults.get(name), _help(full[name]))
        for name in options_cls._fields
    ]


def _help(hint: Any) -> str:
    meta = getattr(hint, "__metadata__", ())
    return str(meta[0]) if meta else ""
