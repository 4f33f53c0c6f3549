"""What a check reports: a document path and a message, never a position."""

from __future__ import annotations

from dataclasses import dataclass

from smplan.paths import DocPath


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at a node; the engine maps ``path`` to ``file:line:col``."""

    path: DocPath
    message: str
    # Point at the key (``objective:``) rather than its value, e.g. for a
    # missing or unknown key.
    key: bool = False
