"""A calendar longer than the PDF's limit is counted month by month in the PDF,
and only there: the HTML and the Markdown still list every post."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from build_support import QUIET_CONFIG, TODAY, example

from smplan.api import Session, lint_plan_file
from smplan.render import view
from smplan.render.build import BuildOptions, build
from smplan.render.fmt import Formatter
from smplan.render.i18n import load_labels
from smplan.render.theme import Theme
from smplan.render.view import Document

pypdf = pytest.importorskip("pypdf")

PLAN = example("cafe-verde")
POSTS: list[dict[str, Any]] = yaml.safe_load(PLAN.read_text(encoding="utf-8"))["calendar"]
TITLES = [post["title"] for post in POSTS]
NOTE = "too many to list on paper"


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def document(language: str = "en") -> Document:
    result = lint_plan_file(PLAN, Session(QUIET_CONFIG, today=TODAY))
    assert result.plan is not None
    theme = Theme()
    labels = load_labels(language, theme.label_folders())
    return Document(result.plan, labels, Formatter(language, result.plan.plan.currency, labels))


def build_all(out: Path) -> dict[str, Path]:
    options = BuildOptions(
        formats=["md", "html", "pdf"], output_dir=out, today=TODAY, config=QUIET_CONFIG
    )
    assert build([PLAN], options).refused is None
    return {fmt: out / f"cafe-verde.{fmt}" for fmt in ("md", "html", "pdf")}


def test_the_limit_is_a_post_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view, "PDF_CALENDAR_LIMIT", len(POSTS))
    assert not document().calendar_summarised  # at the limit: listed in full
    monkeypatch.setattr(view, "PDF_CALENDAR_LIMIT", len(POSTS) - 1)
    assert document().calendar_summarised


def test_the_default_limit_lists_the_examples_in_full() -> None:
    assert view.PDF_CALENDAR_LIMIT >= 200
    assert not document().calendar_summarised


def test_the_overview_counts_every_post_once() -> None:
    doc = document()
    months = doc.calendar_overview()
    total = doc.calendar_total()
    assert [m.month for m in months][:2] == ["February 2027", "April 2027"]
    assert sum(m.posts for m in months) == total.posts == len(POSTS)
    for row in [*months, total]:
        assert sum(n for _, n in row.channels) == row.posts
        assert sum(n for _, n in row.statuses) == row.posts  # every example post has one
    # the plan's own order, every month: channels as declared, statuses by progress
    assert [name for name, _ in total.statuses] == ["Idea", "Planned", "Approved"]
    assert dict(total.statuses) == {"Idea": 1, "Planned": 10, "Approved": 2}
    assert [name for name, _ in months[0].channels] == ["Instagram", "Facebook"]


def test_a_long_calendar_is_counted_in_the_pdf_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(view, "PDF_CALENDAR_LIMIT", len(POSTS) - 1)
    files = build_all(tmp_path)
    text = pdf_text(files["pdf"])
    assert f"The calendar has {len(POSTS)} posts, {NOTE}" in text
    assert "HTML and Markdown versions of this document" in text
    assert "Whole calendar" in text and "February 2027" in text
    assert "Instagram" in text
    assert not [title for title in TITLES if title in text]  # posts are counted, not listed
    html = files["html"].read_text(encoding="utf-8")
    markdown = files["md"].read_text(encoding="utf-8")
    assert NOTE not in html and NOTE not in markdown
    for title in TITLES:
        assert title in html and title in markdown, title


def test_a_calendar_within_the_limit_is_listed_in_the_pdf(tmp_path: Path) -> None:
    text = pdf_text(build_all(tmp_path)["pdf"])
    assert NOTE not in text
    assert [title for title in TITLES if title not in text] == []


def test_the_note_is_in_the_document_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(view, "PDF_CALENDAR_LIMIT", 1)
    plan = example("sever-bike")
    options = BuildOptions(formats=["pdf"], output_dir=tmp_path, today=TODAY, config=QUIET_CONFIG)
    assert build([plan], options).refused is None
    text = pdf_text(tmp_path / "sever-bike.pdf")
    assert "Публикаций в календаре: 12 — слишком много для бумаги" in text
    assert "Весь календарь" in text


def test_the_config_sets_the_pdf_s_limit(tmp_path: Path) -> None:
    config = tmp_path / ".smplan.toml"
    config.write_text(f"select = []\npdf-calendar-limit = {len(POSTS) - 1}\n", encoding="utf-8")
    options = BuildOptions(formats=["pdf"], output_dir=tmp_path, today=TODAY, config=config)
    assert build([PLAN], options).refused is None
    assert f"The calendar has {len(POSTS)} posts, {NOTE}" in pdf_text(tmp_path / "cafe-verde.pdf")
    config.write_text(f"select = []\npdf-calendar-limit = {len(POSTS)}\n", encoding="utf-8")
    assert build([PLAN], options).refused is None
    assert NOTE not in pdf_text(tmp_path / "cafe-verde.pdf")
