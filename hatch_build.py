"""Build hook: an editable install compiles kublint's modules to bytecode, as pip does for a regular one.

pip byte-compiles what it installs into site-packages, but an editable install leaves the sources in the
checkout, where nothing compiles them ahead of time. Where PYTHONDONTWRITEBYTECODE is set (many CI images
and containers), Python then never writes the cache and every ``kublint`` run compiles ~800 KB of source
again, which doubles its start-up. Compiling once here writes only ``kublint/**/__pycache__`` (ignored by
git); a module edited later is recompiled by Python as usual. A failure here never fails the install.
"""

from __future__ import annotations

import compileall
import contextlib
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileBytecode(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "editable":
            return
        with contextlib.suppress(Exception):  # bytecode is an optimisation, never a reason to fail
            compileall.compile_dir(Path(self.root) / "kublint", quiet=1)
