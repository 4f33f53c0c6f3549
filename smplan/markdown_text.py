"""Plan values inside Markdown: shown as written, never markup.

Reports (``diff``, the lint ``markdown`` format, ``track --format markdown``)
land in pull-request comments and GitHub job summaries, where a value that
became a link, an image or raw HTML would be a live injection. Every value
goes through :func:`text` (plain words) or :func:`code` (an id or a file name
as a code span); the Markdown documents of ``smplan build`` share the same
escaping through :mod:`smplan.render.richtext`.
"""

from __future__ import annotations

import re

# Everything that can open emphasis, code, a link or image, raw HTML, a table
# cell, a strikethrough; ``&`` only where it would start an entity.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# GitHub turns bare ``https://...`` and ``www.`` into links; an escaped
# ``:`` or ``.`` keeps them text (the rendered text is unchanged).
_AUTOLINK = re.compile(r"(?<=[A-Za-z]):(?=//)|(?<=\bwww)\.", re.IGNORECASE)
_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d{1,9}(?=[.)]))")


def escape(text: str) -> str:
    """Inline text that renders as exactly ``text`` (no emphasis, links, HTML)."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _ENTITY_LIKE.sub("&amp;", text)


def inert(text: str) -> str:
    """Like :func:`escape`, and a bare ``https://`` or ``www.`` is no autolink either."""
    return _AUTOLINK.sub(lambda m: "\\" + m[0], escape(text))


def text(value: object) -> str:
    """A value as plain words on one line: no markup, no link, no autolink."""
    return inert(" ".join(str(value).split()))


def code(value: object, *, table: bool = False) -> str:
    """A value as a code span that shows it literally, whatever backticks it holds.

    ``table``: the span sits in a GFM table cell, where even a ``|`` inside a
    code span ends the cell unless it is escaped.
    """
    content = " ".join(str(value).split())
    ticks = "`"
    while ticks in content:
        ticks += "`"
    pad = " " if not content or content.startswith("`") or content.endswith("`") else ""
    if table:
        content = content.replace("|", "\\|")
    return f"{ticks}{pad}{content}{pad}{ticks}"


def line_start(markdown: str) -> str:
    """Escape what would turn a line of text into a heading, list or quote."""
    match = _BLOCK_START.match(markdown)
    if not match:
        return markdown
    if match[2][0].isdigit():
        end = match.end()
        return f"{markdown[:end]}\\{markdown[end:]}"
    return f"{match[1]}\\{markdown[len(match[1]) :]}"
