"""Markdown output: escaping, wrapping and markdownlint's default rules."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from build_support import FIXTURES, QUIET_CONFIG, TODAY, example, markdownlint

from smplan.render.build import BuildOptions, build
from smplan.render.markdown import slug, tidy
from smplan.render.richtext import (
    email_address,
    escape_md,
    mailto,
    safe_url,
    to_markdown,
    to_markdown_inline,
)


def build_md(plan: Path, out: Path, *, force: bool = False, config: Path | None = None) -> Path:
    settings = BuildOptions(formats=["md"], output_dir=out, today=TODAY, force=force, config=config)
    outcome = build([plan], settings)
    assert outcome.refused is None, outcome.refused
    return out / f"{plan.name.split('.')[0]}.md"


@pytest.fixture(scope="module")
def markdown_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("md")
    files = [build_md(example(name), out) for name in ("cafe-verde", "sever-bike")]
    files.append(build_md(FIXTURES / "payload.smplan.yaml", out, force=True))
    files.append(build_md(FIXTURES / "minimal.smplan.yaml", out, config=QUIET_CONFIG))
    files.append(build_md(FIXTURES / "contacts.smplan.yaml", out, force=True))
    return files


def test_markdownlint_default_rules_pass(markdown_files: list[Path]) -> None:
    command = markdownlint()
    result = subprocess.run(
        [*command, *map(str, markdown_files)],
        capture_output=True,
        text=True,
        cwd=markdown_files[0].parent,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_plan_text_becomes_html_or_markup(markdown_files: list[Path]) -> None:
    text = next(f for f in markdown_files if f.name == "payload.md").read_text("utf-8")
    assert re.search(r"(?<!\\)<(script|img|iframe|svg|style|b|a)\b", text) is None
    assert re.search(r"(?<!\\)\]\((javascript|data):", text) is None
    assert "{{ 7\\*7 }}" in text  # plan text is never a template
    assert "\n# not a heading" not in text


def test_escape_md_neutralises_markup() -> None:
    assert escape_md("<b>x</b>") == "\\<b\\>x\\</b\\>"
    assert escape_md("# title") == "\\# title"
    assert escape_md("1. one") == "1\\. one"
    assert escape_md("see https://example.com/a_b.") == "see <https://example.com/a_b>."
    assert escape_md("a | b") == "a \\| b"


def test_markdown_fields_keep_safe_markup_only() -> None:
    text = "**bold** [ok](https://example.com) [bad](javascript:alert(1)) <i>raw</i>"
    out = to_markdown_inline(text)
    assert out.startswith("**bold** [ok](https://example.com)")
    assert re.search(r"(?<!\\)\]\(javascript:", out) is None
    assert "\\<i\\>raw\\</i\\>" in out
    assert to_markdown("- a\n- b\n\n3. c") == "- a\n- b\n\n1. c"


def test_contacts_and_hidden_link_targets(markdown_files: list[Path]) -> None:
    text = next(f for f in markdown_files if f.name == "contacts.md").read_text("utf-8")
    assert "| **Ana** | Lead | <ana@example.com>, ask reception |" in text
    assert "mailto:" not in text
    assert "\\[the brief\\](https\\://example.com/brief\u202efdp.exe)" in text
    assert "[ok](https://example.com/ok)" in text


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/brief\u202efdp.exe",  # RIGHT-TO-LEFT OVERRIDE
        "https://example.com/%E2%80%AEfdp.exe",  # the same, %-encoded as markdown-it hands it over
        "https://exa\u200bmple.com/",  # ZERO WIDTH SPACE
        "https://example.com/\u2066x\u2069",  # isolates
        "https://example.com/\u00a0x",  # no-break space
        "mailto:a\u202e@example.com",
    ],
)
def test_links_with_invisible_characters_are_refused(url: str) -> None:
    assert safe_url(url) is None
    assert re.search(r"(?<!\\)\]\(", to_markdown_inline(f"[x]({url})")) is None


def test_safe_links_stay_links() -> None:
    assert safe_url("https://example.com/a%20b") == "https://example.com/a%20b"
    assert safe_url("https://пример.рф/путь") == "https://пример.рф/путь"
    assert mailto("mailto:a@example.com") == mailto("a@example.com") == "mailto:a@example.com"
    assert email_address(" MAILTO:a@example.com") == "a@example.com"
    assert mailto("ask reception") is None


def test_tidy_wraps_prose_without_starting_a_block() -> None:
    words = "word " * 14 + "costs 5 - 10 euros " + "more " * 10
    out = tidy(words.strip())
    lines = out.split("\n")
    assert all(len(line) <= 80 for line in lines if not line.startswith(("<!--", '  "', "}")))
    assert not any(line.startswith("- ") for line in lines)


def test_slug_matches_github_anchors() -> None:
    assert slug("POST: people, objectives, strategy, technology") == (
        "post-people-objectives-strategy-technology"
    )
    assert slug("KPI и измерение результатов") == "kpi-и-измерение-результатов"


def github_anchors(text: str) -> dict[str, int]:
    """Anchor -> heading level, numbered for repeats as GitHub does."""
    anchors: dict[str, int] = {}
    counts: dict[str, int] = {}
    fence = False
    for line in text.splitlines():
        if line.startswith("```"):
            fence = not fence
        match = None if fence else re.match(r"^(#{1,6}) (.*)$", line)
        if not match:
            continue
        base = slug(re.sub(r"\\(.)", r"\1", match.group(2)))
        n = counts.get(base, 0)
        counts[base] = n + 1
        anchors[base if n == 0 else f"{base}-{n}"] = len(match.group(1))
    return anchors


def test_contents_links_land_on_the_sections(markdown_files: list[Path]) -> None:
    for path in markdown_files:
        text = path.read_text("utf-8")
        anchors = github_anchors(text)
        contents = text.split("\n## ", 2)[1]
        links = re.findall(r"\]\(#([^)]+)\)", contents)
        assert links, path.name
        assert {link: anchors.get(link) for link in links} == dict.fromkeys(links, 2), path.name


def test_a_heading_repeating_a_section_title_is_the_one_renumbered() -> None:
    out = tidy("## Summary\n\n### Budget\n\n## Budget\n\n### Budget")
    assert "### Budget (2)" in out and "### Budget (3)" in out
    assert "\n## Budget\n" in out
