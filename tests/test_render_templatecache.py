"""Compiled templates are cached between runs, and the cache never changes a document."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from build_support import FIXTURES, QUIET_CONFIG, TODAY, example
from jinja2.bccache import bc_magic

from smplan.render.build import BuildOptions, build
from smplan.resources import data_dir


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SMPLAN_NO_CACHE", raising=False)
    return tmp_path / "xdg" / "smplan" / "templates"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.jinja")) if folder.exists() else []


def html_of(plan: Path, out: Path, theme: Path | None = None) -> str:
    options = BuildOptions(
        formats=["md", "html"], output_dir=out, today=TODAY, config=QUIET_CONFIG, theme=theme
    )
    assert build([plan], options).refused is None
    return (out / f"{plan.name.split('.')[0]}.html").read_text(encoding="utf-8")


def test_a_second_build_reads_compiled_templates_and_writes_the_same(
    cache_home: Path, tmp_path: Path
) -> None:
    first = html_of(example("cafe-verde"), tmp_path / "a")
    cached = entries(cache_home)
    assert cached, "templates were not cached"
    stamps = {path: path.stat().st_mtime_ns for path in cached}
    second = html_of(example("cafe-verde"), tmp_path / "b")
    assert second == first
    assert {path: path.stat().st_mtime_ns for path in entries(cache_home)} == stamps
    # HTML (autoescaped) and Markdown compile differently: separate folders
    assert len({path.parent for path in cached}) == 2


def test_an_edited_theme_template_is_compiled_again(cache_home: Path, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "section").mkdir(parents=True)
    template = theme / "section" / "summary.html.j2"
    template.write_text('<p class="brand-note">First note.</p>\n', encoding="utf-8")
    assert "First note." in html_of(example("cafe-verde"), tmp_path / "a", theme)
    template.write_text('<p class="brand-note">Second note.</p>\n', encoding="utf-8")
    html = html_of(example("cafe-verde"), tmp_path / "b", theme)
    assert "Second note." in html and "First note." not in html


def test_a_corrupt_entry_is_compiled_again(cache_home: Path, tmp_path: Path) -> None:
    first = html_of(example("cafe-verde"), tmp_path / "a")
    for number, path in enumerate(entries(cache_home)):
        # right header, broken body; or not even the header
        path.write_bytes((bc_magic if number % 2 else b"") + b"\x80\x05garbage" + os.urandom(16))
    assert html_of(example("cafe-verde"), tmp_path / "b") == first


def test_an_unwritable_cache_only_costs_speed(cache_home: Path, tmp_path: Path) -> None:
    cache_home.parent.mkdir(parents=True)
    cache_home.write_text("a file where the folder should be", encoding="utf-8")
    html = html_of(FIXTURES / "minimal.smplan.yaml", tmp_path / "out")
    assert html.startswith("<!DOCTYPE html>")


def test_no_cache_writes_nothing(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMPLAN_NO_CACHE", "1")
    html_of(FIXTURES / "minimal.smplan.yaml", tmp_path / "out")
    assert entries(cache_home) == []


def test_shipped_templates_are_not_touched(cache_home: Path, tmp_path: Path) -> None:
    """The cache lives in the user's cache folder, never beside the templates."""
    default = Path(str(data_dir("renderers") / "default"))
    before = sorted(p.name for p in default.rglob("*"))
    html_of(FIXTURES / "minimal.smplan.yaml", tmp_path / "out")
    assert sorted(p.name for p in default.rglob("*")) == before
