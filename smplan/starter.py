"""``smplan init``: a complete, valid starter plan and a config stub."""

from __future__ import annotations

import os
from pathlib import Path

from smplan.diagnostics import SmplanError

_CONFIG_STUB = """\
# smplan configuration: https://github.com/smplan/smplan#configuration
# select = ["ALL"]                 # rules or categories to run
# ignore = ["objective-vague"]     # rules or categories to skip
# fail-on = "error"                # lowest severity that fails `smplan lint`

# [severity]
# "posting-frequency-out-of-band" = "warning"

# [options."kpi-unrealistic-growth"]
# max-monthly-growth = 0.15
"""


def write_starter(directory: Path, name: str = "plan") -> list[Path]:
    """Create the files; refuse (before writing anything) if one already exists."""
    from importlib.resources import files

    # A name is a file name, never a path: `--name ../x` must not write outside DIRECTORY.
    if not name or name in {".", ".."} or "/" in name or "\\" in name or "\0" in name:
        raise SmplanError(f"invalid plan name {name!r}: use a file name without folders")

    plan_text = (files("smplan") / "starter" / "plan.smplan.yaml").read_text(encoding="utf-8")
    targets = {
        directory / f"{name}.smplan.yaml": plan_text,
        directory / ".smplan.toml": _CONFIG_STUB,
    }
    existing = [str(p) for p in targets if p.exists()]
    if existing:
        raise SmplanError(f"{existing[0]}: already exists; smplan init never overwrites files")
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for path, text in targets.items():
        _write_new(path, text)
        written.append(path)
    return written


def _write_new(path: Path, text: str) -> None:
    # O_EXCL: even a file created between our check and this write is kept.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise SmplanError(f"{path}: already exists; smplan init never overwrites files") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
