"""kublint: a static linter for the configuration of a Kubernetes control plane."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kublint.version import __version__

if TYPE_CHECKING:
    from kublint.engine import Report

__all__ = ["__version__", "lint"]


def lint(paths: Any, config: Any = None) -> Report:
    """Lint ``paths`` (a path or a list of paths) and return the :class:`~kublint.engine.Report`.

    ``config`` is a :class:`kublint.config.Config` or ``None`` for the defaults.
    """
    from kublint.engine import lint as _lint

    return _lint(paths, config)
