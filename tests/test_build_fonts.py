"""Documents need no system font, and the same plan gives the same bytes.

The default theme carries its fonts (Inter, Noto Emoji): the PDF embeds
them, the HTML embeds the faces a page uses. A machine with no font at all
is simulated with a fontconfig file that lists no folder (FONTCONFIG_FILE),
in a subprocess, since fontconfig is read once per process.
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from build_support import FIXTURES, QUIET_CONFIG, ROOT, TODAY, example, require

from smplan.render.build import BuildOptions, build
from smplan.render.theme import Theme
from smplan.render.webfonts import font_faces, unicode_range

pypdf = pytest.importorskip("pypdf")
ttlib = pytest.importorskip("fontTools.ttLib")

BARE_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>{dirs}<cachedir>{cache}</cachedir></fontconfig>
"""
COLOUR_EMOJI = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
STOCK_RULES = Path("/etc/fonts/conf.d")  # fontconfig's own, with 45- and 60-generic.conf
EXAMPLES = ("cafe-verde", "sever-bike")
FACE = re.compile(r"@font-face \{(?P<body>[^}]*)\}")
DATA = re.compile(r'url\("data:[^;]+;base64,(?P<data>[^"]+)"\)')


def bare_build(
    tmp: Path, *plans: Path, fonts: tuple[Path, ...] = (), rules: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``smplan build`` on a machine without a single system font (but ``fonts``)."""
    conf = tmp / "fonts.conf"
    dirs = "".join(f"<dir>{folder}</dir>" for folder in fonts)
    if rules is not None:
        dirs += f"<include>{rules}</include>"
    conf.write_text(
        BARE_FONTCONFIG.format(dirs=dirs, cache=tmp / "fontconfig-cache"), encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["FONTCONFIG_FILE"] = str(conf)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "smplan", "build", *map(str, plans), "-o", str(tmp / "out")]
    command += ["--config", str(QUIET_CONFIG), "--today", TODAY.isoformat()]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("bare")
    done = bare_build(tmp, *(example(name) for name in EXAMPLES))
    assert done.returncode == 0, done.stderr
    return tmp / "out", done.stderr


def pdf_fonts(path: Path) -> set[str]:
    fonts: set[str] = set()
    for page in pypdf.PdfReader(path).pages:
        for font in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")).split("+")[-1])
    return fonts


def embedded_faces(page: str) -> list[tuple[str, set[int]]]:
    """(the @font-face rule, the code points of its embedded font) for each face."""
    faces = []
    for rule in FACE.finditer(page):
        found = DATA.search(rule["body"])
        assert found, rule[0][:200]
        font = ttlib.TTFont(io.BytesIO(base64.b64decode(found["data"])))
        faces.append((rule["body"], set(font.getBestCmap())))
    return faces


def test_a_machine_without_fonts_builds_without_a_warning(bare: tuple[Path, str]) -> None:
    out, stderr = bare
    assert stderr == ""  # no ".notdef glyph" note, no "No fonts configured" warning
    for name in EXAMPLES:
        assert (out / f"{name}.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_pdf_embeds_the_bundled_fonts_only(bare: tuple[Path, str], name: str) -> None:
    fonts = pdf_fonts(bare[0] / f"{name}.pdf")
    assert "emoji" in fonts  # the emoji of the posts: the theme's face named "emoji"
    bundled = ("Inter", "emoji", "smplan-Emoji")  # the emoji font has two names (fonts.css)
    assert {f for f in fonts if not f.startswith(bundled)} == set(), fonts


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_html_embeds_a_font_for_every_character(bare: tuple[Path, str], name: str) -> None:
    page = (bare[0] / f"{name}.html").read_text("utf-8")
    covered = set().union(*(cmap for _, cmap in embedded_faces(page)))
    shown = {ord(ch) for ch in html.unescape(page) if ch.isprintable() and ch != " "}
    assert {chr(cp) for cp in shown - covered} == set()


def test_the_html_embeds_only_the_faces_its_page_uses(bare: tuple[Path, str]) -> None:
    english = (bare[0] / "cafe-verde.html").read_text("utf-8")
    russian = (bare[0] / "sever-bike.html").read_text("utf-8")
    assert "U+0400-" not in english and "U+0400-" in russian  # the Cyrillic chunks
    for page in (english, russian):
        emoji = [cmap for body, cmap in embedded_faces(page) if "smplan Emoji" in body]
        assert len(emoji) == 1
        used = {ord(ch) for ch in html.unescape(page)}
        assert emoji[0] <= used  # cut down to the page's own emoji
        assert 0x1F447 in emoji[0]  # the pointing hand both examples use


def test_a_system_colour_emoji_font_does_not_replace_the_themes(tmp_path: Path) -> None:
    """fontconfig's stock rules prefer a colour emoji font to any family the CSS lists."""
    require(COLOUR_EMOJI.is_file(), "Noto Color Emoji (Debian package fonts-noto-color-emoji)")
    require((STOCK_RULES / "60-generic.conf").is_file(), "fontconfig's stock rules (fontconfig)")
    done = bare_build(
        tmp_path, example("cafe-verde"), fonts=(COLOUR_EMOJI.parent,), rules=STOCK_RULES
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    fonts = pdf_fonts(tmp_path / "out" / "cafe-verde.pdf")
    assert "emoji" in fonts
    assert not [f for f in fonts if "Color" in f], fonts


def test_one_note_names_every_character_no_font_has(tmp_path: Path) -> None:
    done = bare_build(tmp_path, FIXTURES / "unknown-scripts.smplan.yaml")
    assert done.returncode == 0, done.stderr
    notes = done.stderr.splitlines()
    assert len(notes) == 1, notes
    assert "3 characters in no font of the theme or the system" in notes[0]
    for char in ("ሀ (U+1200)", "ก (U+0E01)", "ᚠ (U+16A0)"):
        assert char in notes[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("U+0041", {0x41}),
        ("U+0041-0043, u+00e9", {0x41, 0x42, 0x43, 0xE9}),
        ("U+4?", set(range(0x40, 0x50))),
        ("U+1F447, nonsense", {0x1F447}),
    ],
)
def test_unicode_range(value: str, expected: set[int]) -> None:
    assert unicode_range(value) == expected


def test_a_theme_face_without_a_range_is_cut_to_the_page(tmp_path: Path) -> None:
    fonts = ROOT / "renderers" / "default" / "fonts"
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "emoji.ttf").write_bytes((fonts / "NotoEmoji-Regular.ttf").read_bytes())
    (tmp_path / "webfonts.css").write_text(
        '@font-face { font-family: "E"; src: url("fonts/emoji.ttf"); }\n'
        '@font-face { font-family: "Outside"; src: url("../secret.ttf"); }\n',
        encoding="utf-8",
    )
    (tmp_path.parent / "secret.ttf").write_bytes(b"\x00\x01\x00\x00 not read")
    emoji, outside = font_faces(Theme(tmp_path), "a ☕").split("\n")
    assert [cmap for _, cmap in embedded_faces(emoji)] == [{0x20, 0x2615}]  # its space, and ☕
    assert 'url("../secret.ttf")' in outside  # never read (and refused by the page's CSP)
    assert font_faces(Theme(tmp_path), "plain") == outside  # no glyph for the page: no face


def _variable_font() -> bytes:
    """A font with a weight axis: WeasyPrint instantiates it with fontTools."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables.TupleVariation import TupleVariation

    builder = FontBuilder(1000, isTTF=True)
    names = [".notdef", "box"]
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({cp: "box" for cp in range(0x41, 0x5B)})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        pen.moveTo((100, 0))
        for point in ((100, 700), (500, 700), (500, 0)):
            pen.lineTo(point)
        pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (600, 100) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Test Variable", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.setupFvar([("wght", 100, 400, 900, "Weight")], [])
    wider = [(0, 0), (0, 0), (200, 0), (200, 0), (0, 0), (200, 0), (0, 0), (0, 0)]  # + phantoms
    builder.setupGvar({name: [TupleVariation({"wght": (0, 1.0, 1.0)}, wider)] for name in names})
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


@pytest.mark.parametrize("theme", ["default", "variable font"])
def test_the_same_plan_gives_the_same_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme: str
) -> None:
    """Without SOURCE_DATE_EPOCH too: a font WeasyPrint rewrites keeps its timestamp."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    folder = None
    if theme == "variable font":
        folder = tmp_path / "theme"
        (folder / "fonts").mkdir(parents=True)
        (folder / "fonts" / "var.ttf").write_bytes(_variable_font())
        (folder / "brand.css").write_text(
            '@font-face { font-family: "Test Variable"; src: url("fonts/var.ttf"); }\n'
            '.cover-title { font-family: "Test Variable", var(--font); }\n',
            encoding="utf-8",
        )
    plan = example("cafe-verde") if folder is None else FIXTURES / "minimal.smplan.yaml"
    outputs = []
    for run in ("first", "second"):
        out = tmp_path / run
        options = BuildOptions(
            formats=["pdf"], output_dir=out, today=TODAY, config=QUIET_CONFIG, theme=folder
        )
        outcome = build([plan], options)
        assert outcome.notes == []
        outputs.append((out / f"{plan.name.split('.')[0]}.pdf").read_bytes())
        if run == "first":
            time.sleep(1.1)  # font timestamps count seconds
    assert "SOURCE_DATE_EPOCH" not in os.environ
    if folder is not None:
        fonts = pdf_fonts(tmp_path / "first" / "minimal.pdf")
        assert any(font.startswith("Test-Variable") for font in fonts), fonts
    assert outputs[0] == outputs[1]
