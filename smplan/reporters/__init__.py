"""Output formats, looked up by name behind one interface.

Each format is one module exposing ``render(report, context) -> str``; it is
imported only when asked for, so ``smplan lint`` pays for the format it uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from smplan.diagnostics import SmplanError

if TYPE_CHECKING:
    from smplan.api import Report
    from smplan.rules.registry import Registry

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "markdown")


@dataclass(slots=True)
class ReportContext:
    """What a reporter may need beyond the findings."""

    color: bool = False
    show_suppressed: bool = False
    registry: Registry | None = None
    # SARIF: leave waived findings out (GitHub code scanning ignores suppressions).
    drop_suppressed: bool = False
    extra: dict[str, object] = field(default_factory=dict)


Render = Callable[["Report", ReportContext], str]


def get_reporter(name: str) -> Render:
    if name not in FORMATS:
        raise SmplanError(f"unknown output format '{name}'; choose from: {', '.join(FORMATS)}")
    module = importlib.import_module(f"smplan.reporters.{name}_format")
    render: Render = module.render
    return render


def parse_output(spec: str) -> tuple[str, Path | None]:
    """``NAME[:PATH]`` -> (format, file or None for stdout); the name is checked."""
    name, sep, path = spec.partition(":")
    name = name.strip()
    get_reporter(name)
    if sep and not path:
        raise SmplanError(f"--output-format {spec}: give a file after ':' or leave it out")
    return name, Path(path) if path else None
