"""What a build may be asked for: output formats and a language tag.

Shared by the ``build`` command and the config reader, so ``formats = ["docx"]``
in a config is refused at its line just as ``-f docx`` is on the command line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smplan.diagnostics import SmplanError

FORMATS = ("md", "html", "pdf")
_ALIASES = {"markdown": "md", "htm": "html"}
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def parse_formats(text: str | Sequence[str]) -> tuple[str, ...]:
    """``md,html`` -> ``("md", "html")``; unknown names are a usage error."""
    items = text.split(",") if isinstance(text, str) else list(text)
    chosen: list[str] = []
    for item in items:
        name = item.strip().lower().lstrip(".")
        name = _ALIASES.get(name, name)
        if not name:
            continue
        if name not in FORMATS:
            raise SmplanError(f"unknown format '{item.strip()}'; choose from: {', '.join(FORMATS)}")
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise SmplanError(f"no output format given; choose from: {', '.join(FORMATS)}")
    return tuple(chosen)


def check_language(tag: str) -> str:
    """A BCP 47-like tag (``en``, ``ru``, ``es-MX``), else a usage error."""
    if not _LANGUAGE.match(tag):
        raise SmplanError(f"invalid language '{tag}'; use a tag like en, ru or es-MX")
    return tag
