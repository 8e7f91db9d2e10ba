"""Where the rule cards and schemas are: inside the wheel (force-included) or in the source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def resource_dir(name: str) -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "_resources" / name
    if packaged.is_dir():
        return packaged
    checkout = here.parent / name  # an editable install or a source checkout
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"kublint's {name}/ directory is missing from the installation")


def rules_dir() -> Path:
    return resource_dir("rules")


def schemas_dir() -> Path:
    return resource_dir("schemas")
