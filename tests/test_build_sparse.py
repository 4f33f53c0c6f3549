"""Thin and partial plans render too: drafts are what a plan looks like most of the time."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path
from typing import Any

import pytest
from build_support import FIXTURES, TODAY, example, markdownlint, vnu
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smplan.api import load_plan
from smplan.model import Plan
from smplan.render.build import BuildOptions, build
from smplan.render.fmt import Formatter
from smplan.render.html import render_html
from smplan.render.i18n import load_labels
from smplan.render.markdown import render_markdown
from smplan.render.theme import Theme
from smplan.render.view import Document


@pytest.fixture(scope="module")
def sparse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sparse")
    options = BuildOptions(formats=["md", "html", "pdf"], output_dir=out, today=TODAY, force=True)
    outcome = build([FIXTURES / "sparse.smplan.yaml"], options)
    assert outcome.refused is None
    return out


def test_sparse_plan_builds_every_format(sparse: Path) -> None:
    html = (sparse / "sparse.html").read_text("utf-8")
    assert '<html lang="es-MX"' in html
    assert "Guía de crisis" in html  # Spanish labels for a regional tag
    assert (sparse / "sparse.pdf").read_bytes().startswith(b"%PDF")


def test_sparse_markdown_passes_markdownlint(sparse: Path) -> None:
    result = subprocess.run(
        [*markdownlint(), str(sparse / "sparse.md")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_sparse_html_is_valid(sparse: Path) -> None:
    result = subprocess.run(
        [*vnu(), "--errors-only", str(sparse / "sparse.html")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


EXAMPLE: dict[str, Any] = load_plan(example("cafe-verde")).model_dump(
    mode="json", by_alias=True, exclude_none=True
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every optional place in the plan a draft might not have filled in yet."""
    found: list[tuple[Any, ...]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if prefix == () and key in ("smplan", "plan"):
                found += paths(value, (key,)) if key == "plan" else []
                continue
            if prefix == ("plan",) and key in ("id", "name", "period"):
                continue
            if key in ("id", "network", "statement", "text", "start", "end", "kpi", "as_of"):
                continue
            if key in ("count", "per", "amount"):
                continue
            found.append((*prefix, key))
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*prefix, index))
    return found


OPTIONAL = paths(EXAMPLE)


def without(data: dict[str, Any], drop: list[tuple[Any, ...]]) -> dict[str, Any]:
    result = copy.deepcopy(data)
    for path in sorted(drop, key=len, reverse=True):
        node: Any = result
        try:
            for part in path[:-1]:
                node = node[part]
            if isinstance(node, dict):
                node.pop(path[-1], None)
        except (KeyError, IndexError, TypeError):
            continue
    return result


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(OPTIONAL), max_size=40, unique=True))
def test_any_part_of_a_plan_can_be_missing(drop: list[tuple[Any, ...]]) -> None:
    plan = Plan.model_validate(without(EXAMPLE, drop))
    theme = Theme()
    labels = load_labels("en", theme.label_folders())
    doc = Document(plan, labels, Formatter("en", plan.plan.currency, labels))
    html = render_html(doc, theme)
    markdown = render_markdown(doc, theme)
    assert html.count("<h1") == 1 and markdown.startswith("# ")
    for section in doc.sections:
        assert f'id="{section.id}"' in html
