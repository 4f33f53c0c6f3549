"""Locate the data folders (schemas/, rules/, renderers/) shipped with smplan.

In a wheel they live inside the package under ``_data``; in a source checkout
(editable install, tests) they sit at the repository root. Both are read the
same way so a non-editable install behaves like the checkout.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

_KINDS = ("schemas", "rules", "renderers")


@cache
def data_dir(kind: str) -> Traversable:
    """Return the folder holding one kind of shipped data."""
    if kind not in _KINDS:
        raise ValueError(f"unknown data kind {kind!r}")
    packaged = files("smplan") / "_data" / kind
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / kind
    return checkout


def read_text(kind: str, name: str) -> str:
    """Read one shipped text file, e.g. ``read_text("schemas", "plan.schema.json")``."""
    return (data_dir(kind) / name).read_text(encoding="utf-8")
