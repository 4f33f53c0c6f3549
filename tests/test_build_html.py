"""HTML output: valid (Nu HTML Checker), self-contained, and inert."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from build_support import FIXTURES, QUIET_CONFIG, TODAY, example, vnu

from smplan.render.build import BuildOptions, build
from smplan.render.html import tel


def build_html(
    plan: Path,
    out: Path,
    *,
    force: bool = False,
    config: Path | None = None,
    theme: Path | None = None,
) -> Path:
    options = BuildOptions(
        formats=["html"], output_dir=out, today=TODAY, force=force, config=config, theme=theme
    )
    outcome = build([plan], options)
    assert outcome.refused is None, outcome.refused
    return out / f"{plan.name.split('.')[0]}.html"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("html")
    return {
        "cafe-verde": build_html(example("cafe-verde"), out),
        "sever-bike": build_html(example("sever-bike"), out),
        "payload": build_html(FIXTURES / "payload.smplan.yaml", out, force=True),
        "minimal": build_html(FIXTURES / "minimal.smplan.yaml", out, config=QUIET_CONFIG),
        "contacts": build_html(FIXTURES / "contacts.smplan.yaml", out, force=True),
    }


class Collect(HTMLParser):
    """Every tag with its attributes, for assertions about what the page can do."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(path: Path) -> list[tuple[str, dict[str, str | None]]]:
    collector = Collect()
    collector.feed(path.read_text("utf-8"))
    return collector.tags


def test_nu_html_checker_finds_no_error(pages: dict[str, Path]) -> None:
    command = vnu()
    result = subprocess.run(
        [*command, "--errors-only", *map(str, pages.values())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize("name", ["cafe-verde", "sever-bike", "payload", "minimal", "contacts"])
def test_page_is_self_contained_and_inert(pages: dict[str, Path], name: str) -> None:
    tags = parse(pages[name])
    names = {tag for tag, _ in tags}
    assert not names & {"script", "iframe", "object", "embed", "link", "base", "form"}
    for tag, attrs in tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for key in ("src", "href", "xlink:href", "action", "srcset"):
            value = attrs.get(key)
            if value is None:
                continue
            if tag == "img" and key == "src":
                assert value.startswith("data:image/")
            elif key == "href":
                assert re.match(r"^(#|https?://|mailto:|tel:\+?\d+$)", value), value
            else:
                pytest.fail(f"unexpected {key}={value!r} on <{tag}>")
    text = pages[name].read_text("utf-8")
    assert "default-src 'none'" in text  # Content-Security-Policy: no script, no network
    assert "url(http" not in text and "@import" not in text


def test_payload_text_is_shown_not_run(pages: dict[str, Path]) -> None:
    text = pages["payload"].read_text("utf-8")
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;Payload {{ 7*7 }}" in text
    assert 'href="javascript:' not in text and 'href="data:' not in text
    assert "evil.example/pixel.png" not in re.findall(r'src="([^"]*)"', text)


def test_contact_details_link_only_where_they_can(pages: dict[str, Path]) -> None:
    """``mailto:`` written in the plan is not doubled; a phone without digits is text."""
    text = pages["contacts"].read_text("utf-8")
    hrefs = [attrs.get("href") for tag, attrs in parse(pages["contacts"]) if tag == "a"]
    assert '<a href="mailto:ana@example.com" class="nowrap">ana@example.com</a>' in text
    assert "mailto:mailto:" not in text
    assert not [h for h in hrefs if h and h.startswith("tel:")]
    assert "ask reception" in text


def test_a_link_hiding_a_bidi_override_is_not_live(pages: dict[str, Path]) -> None:
    hrefs = [attrs.get("href") or "" for _, attrs in parse(pages["contacts"])]
    assert "https://example.com/ok" in hrefs
    assert not [h for h in hrefs if "brief" in h]
    assert "[the brief](https://example.com/brief\u202efdp.exe)" in pages["contacts"].read_text()


def test_tel_targets_have_digits_or_nothing() -> None:
    assert tel("+49 (0)30 1234") == "+490301234"
    assert tel("ask reception") == ""
    assert tel("+ on request") == ""


def test_sections_the_plan_lacks_are_omitted(pages: dict[str, Path]) -> None:
    text = pages["minimal"].read_text("utf-8")
    ids = re.findall(r'<section class="section section-(\w+)"', text)
    assert ids == ["summary", "post", "kpis", "results"]  # it has actuals
    for absent in ("Crisis guide", "Budget", "Team and responsibilities", "Situation analysis"):
        assert f"{absent}</" not in text


def test_user_theme_overrides_and_inherits(tmp_path: Path) -> None:
    page = build_html(
        example("cafe-verde"), tmp_path, config=QUIET_CONFIG, theme=FIXTURES / "theme"
    )
    text = page.read_text("utf-8")
    assert '<p class="brand-note">Prepared by the brand team.</p>' in text  # template
    assert "--accent: #7a1f5c" in text  # brand.css after style.css
    assert 'class="logo" src="data:image/svg+xml;base64,' in text  # logo inlined
    assert "Brand social plan" in text  # label overridden
    assert "Situation analysis" in text  # everything else inherited
    assert 'stroke="#7a1f5c"' in text  # charts take the brand colour


def test_source_date_epoch_puts_a_date_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = build_html(FIXTURES / "minimal.smplan.yaml", tmp_path / "a", config=QUIET_CONFIG)
    assert "dcterms.created" not in plain.read_text("utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    dated = build_html(FIXTURES / "minimal.smplan.yaml", tmp_path / "b", config=QUIET_CONFIG)
    assert '<meta name="dcterms.created" content="2027-01-15">' in dated.read_text("utf-8")


def test_language_option_overrides_the_plan(tmp_path: Path) -> None:
    options = BuildOptions(
        formats=["html"], output_dir=tmp_path, today=TODAY, config=QUIET_CONFIG, language="ru"
    )
    build([example("cafe-verde")], options)
    text = (tmp_path / "cafe-verde.html").read_text("utf-8")
    assert '<html lang="ru"' in text
    assert "Антикризисный план" in text
    assert "12\u00a0000\u00a0€" in text


def test_theme_and_formats_can_come_from_the_config(tmp_path: Path) -> None:
    options = BuildOptions(output_dir=tmp_path, today=TODAY, config=FIXTURES / "themed.smplan.toml")
    outcome = build([FIXTURES / "minimal.smplan.yaml"], options)
    assert [p.name for p in outcome.written] == ["minimal.html"]
    text = (tmp_path / "minimal.html").read_text("utf-8")
    assert "Brand social plan" in text and 'class="logo"' in text


def test_actuals_show_in_the_table_and_the_chart(pages: dict[str, Path]) -> None:
    text = pages["minimal"].read_text("utf-8")
    assert "Latest actual</th>" in text
    assert ">3,100<div" in text  # the latest value, in the KPI table
    assert ">Actual 3,100</text>" in text  # and on the chart
    assert "Latest actual" not in pages["payload"].read_text("utf-8")  # no actuals there
