"""Fonts embedded in the HTML, so that a page looks the same on every machine.

The theme's ``webfonts.css`` declares the faces (the default theme: Inter cut
into WOFF2 chunks by script, and Noto Emoji), each with a ``unicode-range``.
A page embeds, as ``data:`` URLs, only the faces whose range holds one of its
characters: an English plan carries no Cyrillic chunk, a plan without emoji
no emoji font. A face in a plain TrueType or OpenType file (the emoji font is
900 kB) is first cut down to the page's characters with fontTools; a WOFF or
WOFF2 face is embedded as it is (the chunks are small, and cutting Inter
costs half a second a face). The PDF does not use this: WeasyPrint embeds
``fonts.css`` and subsets the fonts itself.
"""

from __future__ import annotations

import base64
import html as html_module
import io
import re
from collections.abc import Iterable

from smplan.render.theme import Theme, inline_urls, read_theme_text

_FONT_FACE = re.compile(r"@font-face\s*\{(?P<body>[^{}]*)\}", re.I)
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_RANGE = re.compile(r"^u\+(?P<low>[0-9a-f?]{1,6})(?:-(?P<high>[0-9a-f]{1,6}))?$", re.I)
_DATA_FONT = re.compile(
    r"""url\(\s*["']?data:(?P<media>[^;,"')]*);base64,(?P<data>[A-Za-z0-9+/=]+)"""
)
_SFNT = (b"\x00\x01\x00\x00", b"OTTO", b"true")
_KEPT_NAMES = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # family and style, copyright, licence


def embed_fonts(page: str, theme: Theme) -> str:
    """``page`` with the faces it uses in a ``<style>`` at the end of its head."""
    css = font_faces(theme, page_text(page))
    if not css or "</head>" not in page:
        return page
    return page.replace("</head>", f"<style>\n{css}\n</style>\n</head>", 1)


def page_text(page: str) -> str:
    """Every character the page can show (markup included: a superset is enough)."""
    return html_module.unescape(page)


def font_faces(theme: Theme, text: str) -> str:
    """The ``@font-face`` rules of the theme's ``webfonts.css`` that ``text`` needs."""
    found = theme.find("webfonts.css")
    if found is None:
        return ""
    folder, entry = found
    used = {ord(ch) for ch in text}
    rules: list[str] = []
    for match in _FONT_FACE.finditer(_COMMENT.sub("", read_theme_text(entry))):
        body = match["body"]
        declared = _descriptor(body, "unicode-range")
        wanted = used if declared is None else used & unicode_range(declared)
        if not wanted:
            continue
        rule = _cut(inline_urls(match[0], folder), wanted)
        if rule:
            rules.append(" ".join(rule.split()))
    return "\n".join(rules)


def _descriptor(body: str, name: str) -> str | None:
    for part in body.split(";"):
        key, _, value = part.partition(":")
        if key.strip().lower() == name:
            return value.strip()
    return None


def unicode_range(value: str) -> set[int]:
    """The code points of a ``unicode-range`` value (``U+0-7F, U+4??``)."""
    points: set[int] = set()
    for token in value.split(","):
        found = _RANGE.match(token.strip())
        if found is None:
            continue
        low = found["low"]
        if "?" in low:
            points.update(range(int(low.replace("?", "0"), 16), int(low.replace("?", "F"), 16) + 1))
        else:
            high = found["high"] or low
            points.update(range(int(low, 16), int(high, 16) + 1))
    return points


def _cut(rule: str, wanted: set[int]) -> str | None:
    """The rule with each TrueType/OpenType source cut to ``wanted``; None if no glyph is left."""
    kept = True

    def replace(match: re.Match[str]) -> str:
        nonlocal kept
        data = base64.b64decode(match["data"])
        if data[:4] not in _SFNT:
            return match[0]
        small = subset(data, wanted)
        if small is None:
            kept = False
            return match[0]
        return f'url("data:{match["media"]};base64,{base64.b64encode(small).decode("ascii")}'

    rule = _DATA_FONT.sub(replace, rule)
    return rule if kept else None


def subset(font: bytes, codepoints: Iterable[int]) -> bytes | None:
    """The font with only the glyphs of ``codepoints`` (and what shaping them needs).

    None when the font has none of them. Timestamps are kept, so the same
    page gives the same bytes.
    """
    from fontTools import subset as ft_subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    parsed = TTFont(io.BytesIO(font), recalcTimestamp=False, lazy=True)
    present = set(parsed.getBestCmap()) & set(codepoints)
    if not present:
        return None
    options = ft_subset.Options()
    options.layout_features = ["*"]  # flags, keycaps, ZWJ sequences and skin tones are GSUB
    options.name_IDs = _KEPT_NAMES
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(present))
    subsetter.subset(parsed)
    out = io.BytesIO()
    parsed.save(out)
    return out.getvalue()
