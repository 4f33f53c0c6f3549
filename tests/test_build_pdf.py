"""PDF output: every heading readable (Latin and Cyrillic), metadata, safety."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from build_support import FIXTURES, QUIET_CONFIG, TODAY, example

from smplan.render.build import BuildOptions, build
from smplan.render.i18n import flatten
from smplan.resources import data_dir

pypdf = pytest.importorskip("pypdf")


def headings(language: str) -> list[str]:
    labels = flatten(
        yaml.safe_load((data_dir("renderers") / "i18n" / f"{language}.yaml").read_text("utf-8"))
    )
    return [v for k, v in labels.items() if k.startswith("section.") and k != "section.appendix"]


def normalise(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    options = BuildOptions(formats=["pdf"], output_dir=out, today=TODAY, config=QUIET_CONFIG)
    outcome = build([example("cafe-verde"), example("sever-bike")], options)
    assert outcome.refused is None
    assert outcome.notes == []  # nothing refused by the URL fetcher, no CSS warning
    return {"en": out / "cafe-verde.pdf", "ru": out / "sever-bike.pdf"}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_section_heading_is_in_the_text(pdfs: dict[str, Path], language: str) -> None:
    reader = pypdf.PdfReader(pdfs[language])
    text = normalise(" ".join(page.extract_text() for page in reader.pages))
    missing = [h for h in headings(language) if normalise(h) not in text]
    assert missing == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_bundled_font_is_embedded(pdfs: dict[str, Path], language: str) -> None:
    reader = pypdf.PdfReader(pdfs[language])
    fonts: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert any("Inter" in name for name in fonts), fonts
    # nothing else is needed but the bundled emoji font (named "emoji" in fonts.css),
    # for the emoji in post copy, even where the system has an emoji font of its own
    assert any(name.endswith("+emoji") for name in fonts), fonts
    bundled = ("Inter", "+emoji", "+smplan-Emoji")
    assert [f for f in fonts if not any(name in f for name in bundled)] == [], fonts


def test_metadata_and_structure(pdfs: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(pdfs["ru"])
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "«Север Байк» — план работы в соцсетях на 2027 год"
    assert meta.author and "ООО «Север Байк»" in meta.author
    assert meta.subject and meta.subject.startswith("Довести число онлайн-бронирований")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "ru"
    assert "/StructTreeRoot" in root  # tagged PDF
    first = reader.pages[2].extract_text()
    assert "Содержание" in reader.pages[1].extract_text()
    assert "«Север Байк»" in first  # running header


def test_contents_have_page_numbers(pdfs: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(pdfs["en"])
    contents = reader.pages[1].extract_text()
    lines = [line for line in contents.splitlines() if "Budget" in line]
    assert lines and lines[0].rstrip().split()[-1].isdigit(), contents


def test_url_fetcher_refuses_network_and_outside_files(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "inside.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', encoding="utf-8"
    )
    (theme / "print.css").write_text(
        "body { background: url(http://198.51.100.7/track.png); }\n"
        ".cover { background: url(file:///etc/passwd); }\n"
        ".toc { background: url(inside.svg); }\n",
        encoding="utf-8",
    )
    options = BuildOptions(
        formats=["pdf"], output_dir=tmp_path / "out", today=TODAY, config=QUIET_CONFIG, theme=theme
    )
    outcome = build([FIXTURES / "minimal.smplan.yaml"], options)
    assert (tmp_path / "out" / "minimal.pdf").read_bytes().startswith(b"%PDF")
    refused = "\n".join(outcome.notes)
    assert "http://198.51.100.7/track.png" in refused
    assert "file:///etc/passwd" in refused
    assert "inside.svg" not in refused  # inlined from the theme folder


def test_payload_renders_without_running_anything(tmp_path: Path) -> None:
    options = BuildOptions(formats=["pdf"], output_dir=tmp_path, today=TODAY, force=True)
    outcome = build([FIXTURES / "payload.smplan.yaml"], options)
    assert not [n for n in outcome.notes if "evil.example" in n]
    data = (tmp_path / "payload.pdf").read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "".join(reader.pages[0].extract_text().split())
    assert "<script>window.__xss=1</script>Payload" in text
    assert b"/JavaScript" not in data and b"/JS " not in data


def test_bundled_font_has_every_glyph_of_every_label() -> None:
    """Headings and labels never fall back to another font (or to empty boxes)."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    fonts = data_dir("renderers") / "default" / "fonts"
    for face in ("Inter-Regular.otf", "Inter-SemiBold.otf", "Inter-Bold.otf"):
        with (fonts / face).open("rb") as stream:
            cmap = ttlib.TTFont(stream).getBestCmap()
        for language in ("en", "ru", "es"):
            labels = flatten(
                yaml.safe_load(
                    (data_dir("renderers") / "i18n" / f"{language}.yaml").read_text("utf-8")
                )
            )
            missing = {ch for text in labels.values() for ch in text if ord(ch) not in cmap}
            missing.discard("\n")
            assert missing == set(), f"{face} lacks {sorted(missing)} used in {language}.yaml"


def _pdf_fonts(path: Path) -> set[str]:
    reader = pypdf.PdfReader(path)
    fonts: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    return fonts


def test_theme_fonts_are_read_from_the_theme_folder(tmp_path: Path) -> None:
    """fonts.css names font files by relative URL; WeasyPrint reads them from the theme."""
    theme = tmp_path / "theme"
    (theme / "fonts").mkdir(parents=True)
    shipped = data_dir("renderers") / "default" / "fonts" / "Inter-Italic.otf"
    (theme / "fonts" / "brand.otf").write_bytes(shipped.read_bytes())
    (theme / "fonts.css").write_text(
        '@font-face { font-family: "Brand Sans"; src: url("fonts/brand.otf"); }\n'
        '@font-face { font-family: "Outside"; src: url("../secret.otf"); }\n',
        encoding="utf-8",
    )
    (tmp_path / "secret.otf").write_bytes(b"not a font")
    (theme / "brand.css").write_text(':root { --font: "Brand Sans"; }\n', encoding="utf-8")
    options = BuildOptions(
        formats=["pdf"], output_dir=tmp_path / "out", today=TODAY, config=QUIET_CONFIG, theme=theme
    )
    outcome = build([FIXTURES / "minimal.smplan.yaml"], options)
    fonts = _pdf_fonts(tmp_path / "out" / "minimal.pdf")
    assert any("Brand-Sans" in name for name in fonts), fonts  # loaded from the theme's file
    assert not any("Inter" in name for name in fonts), fonts  # the default is replaced
    assert [n for n in outcome.notes if "secret.otf" in n], outcome.notes  # outside the theme
