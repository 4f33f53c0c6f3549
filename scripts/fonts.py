"""The default theme's font files derived from the upstream fonts, never made by hand.

    python scripts/fonts.py [NOTO_EMOJI_VARIABLE_TTF]

- ``renderers/default/fonts/web/*.woff2`` and ``renderers/default/webfonts.css``:
  the Inter faces the PDF embeds (``fonts/Inter-*.otf``), cut into WOFF2
  chunks by script (Latin, Latin Extended, Cyrillic, Greek, symbols), each
  with its ``unicode-range``. The HTML embeds only the chunks a page uses, as
  they are: no subsetting at build time, so a build stays fast and the same
  bytes come out on every machine.
- ``renderers/default/fonts/NotoEmoji-Regular.ttf``, when given the upstream
  variable ``NotoEmoji[wght].ttf`` (SIL OFL 1.1; PyPI's ``manimgx-fonts``
  ships it unmodified): its static Regular instance. A static font skips
  WeasyPrint's variable-font path, and is half the size.

The output is deterministic (no timestamps are rewritten): running it again
changes no byte.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "renderers" / "default"
FONTS = THEME / "fonts"
WEB = FONTS / "web"

FACES = (  # (file, font-weight, font-style)
    ("Inter-Regular", 400, "normal"),
    ("Inter-Italic", 400, "italic"),
    ("Inter-SemiBold", 600, "normal"),
    ("Inter-Bold", 700, "normal"),
)

# Each of Inter's code points goes to the first chunk whose blocks hold it,
# else to "symbols". Basic Latin travels with what nearly every page uses:
# Latin-1, punctuation, currency signs, No, TM, the simple arrows.
CHUNKS: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = (
    (
        "latin",
        (
            (0x0000, 0x00FF),
            (0x0131, 0x0131),
            (0x0152, 0x0153),
            (0x02C6, 0x02C6),
            (0x02DA, 0x02DA),
            (0x02DC, 0x02DC),
            (0x2000, 0x206F),
            (0x20A0, 0x20CF),
            (0x2116, 0x2116),
            (0x2122, 0x2122),
            (0x2190, 0x2199),
            (0x2212, 0x2212),
            (0xFEFF, 0xFEFF),
            (0xFFFD, 0xFFFD),
        ),
    ),
    (
        "latin-ext",
        (
            (0x0100, 0x036F),
            (0x1D00, 0x1DFF),
            (0x1E00, 0x1EFF),
            (0x2C60, 0x2C7F),
            (0xA720, 0xA7FF),
        ),
    ),
    ("cyrillic", ((0x0400, 0x052F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F))),
    ("greek", ((0x0370, 0x03FF), (0x1F00, 0x1FFF))),
)
ORDER = ("latin", "latin-ext", "cyrillic", "greek", "symbols")

# What a theme's CSS asks of Inter, on top of fontTools' default shaping features.
FEATURES = ["tnum", "case", "kern", "liga"]


def chunk_of(codepoint: int) -> str:
    for name, blocks in CHUNKS:
        if any(low <= codepoint <= high for low, high in blocks):
            return name
    return "symbols"


def ranges(codepoints: list[int]) -> str:
    """``U+0041-005A, U+00C0`` for sorted code points."""
    spans: list[list[int]] = []
    for cp in codepoints:
        if spans and cp == spans[-1][1] + 1:
            spans[-1][1] = cp
        else:
            spans.append([cp, cp])
    return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in spans)


def woff2(source: Path, codepoints: list[int]) -> bytes:
    options = subset.Options()
    options.layout_features = [*options.layout_features, *FEATURES]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and the licence
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def web_fonts() -> None:
    WEB.mkdir(exist_ok=True)
    for old in WEB.glob("*.woff2"):
        old.unlink()
    rules: list[str] = []
    for name, weight, style in FACES:
        source = FONTS / f"{name}.otf"
        cmap = TTFont(source, lazy=True).getBestCmap()
        groups: dict[str, list[int]] = {}
        for cp in sorted(cmap):
            groups.setdefault(chunk_of(cp), []).append(cp)
        for chunk in ORDER:
            codepoints = groups.get(chunk)
            if not codepoints:
                continue
            file = f"{name}-{chunk}.woff2"
            (WEB / file).write_bytes(woff2(source, codepoints))
            rules.append(
                f'@font-face {{ font-family: "Inter"; font-weight: {weight}; '
                f'font-style: {style}; src: url("fonts/web/{file}") format("woff2"); '
                f"unicode-range: {ranges(codepoints)}; }}"
            )
    emoji = (
        '@font-face { font-family: "smplan Emoji"; font-weight: 400; font-style: normal; '
        'src: url("fonts/NotoEmoji-Regular.ttf") format("truetype"); '
        "unicode-range: U+00A9, U+00AE, U+200D, U+203C-3299, U+FE0F, U+1F000-1FAFF, "
        "U+E0020-E007F; }"
    )
    header = (
        "/* Fonts embedded in the HTML: the same faces as the PDF's (fonts.css), so a\n"
        "   page looks the same on every machine. Generated by scripts/fonts.py.\n"
        "   A face is embedded only when the page uses a character of its\n"
        "   unicode-range; a .ttf or .otf face is cut down to the page's characters,\n"
        "   a .woff2 one is embedded as it is. Inter and Noto Emoji: SIL Open Font\n"
        "   License 1.1, see fonts/LICENSE-Inter.txt and fonts/LICENSE-NotoEmoji.txt. */\n"
    )
    (THEME / "webfonts.css").write_text(
        header + "\n".join([*rules, emoji]) + "\n", encoding="utf-8", newline="\n"
    )


def static_emoji(variable: Path) -> None:
    from fontTools.varLib import instancer

    font = TTFont(variable, recalcTimestamp=False)
    static = instancer.instantiateVariableFont(font, {"wght": 400}, static=True)
    static.save(FONTS / "NotoEmoji-Regular.ttf")


def main(argv: list[str]) -> int:
    if argv:
        static_emoji(Path(argv[0]))
    web_fonts()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
