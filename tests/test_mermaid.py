"""The Markdown's Mermaid diagrams, checked by the real Mermaid library.

GitHub draws every ```mermaid block of the Markdown with Mermaid, and shows
"Unable to render rich display" for one it cannot parse. Each block of the
golden files, of fresh builds of the examples (in their own language, in
Russian and in Spanish) and of a plan whose names are full of what is
dangerous in Mermaid syntax goes through ``mermaid.parse`` and
``mermaid.render`` in Debian's Chromium (Playwright; the npm package's
browser bundle, installed by .ci/install-build-tools.sh). Then what a reader
would see in the SVG is compared with the plan: one pie slice per campaign
with its amount, one timeline event per dated campaign, names unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from build_support import (
    CHROMIUM_ARGS,
    GOLDEN,
    QUIET_CONFIG,
    ROOT,
    TODAY,
    chromium,
    chromium_env,
    example,
    require,
)
from click.testing import CliRunner

from smplan.api import load_plan
from smplan.cli import main
from smplan.model import Plan

MERMAID_JS = ROOT / ".ci" / "node" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
HOSTILE = ROOT / "tests" / "fixtures" / "mermaid" / "hostile.smplan.yaml"
BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.S | re.M)

# Parse, render, then read the SVG as a reader's eyes would: every text, by role.
CHECK = """async ([id, source]) => {
  const out = {type: null, error: null};
  try {
    out.type = (await mermaid.parse(source)).diagramType;
  } catch (e) {
    out.error = 'parse: ' + (e && e.message ? e.message : String(e));
    return out;
  }
  let svg;
  try {
    svg = (await mermaid.render(id, source)).svg;
  } catch (e) {
    out.error = 'render: ' + (e && e.message ? e.message : String(e));
    return out;
  }
  // parsed as a browser inserts it into a page (as HTML: the SVG is not always well-formed XML)
  const doc = new DOMParser().parseFromString(svg, 'text/html');
  const root = doc.body.firstElementChild;
  const texts = (selector) => [...doc.querySelectorAll(selector)].map((n) => n.textContent);
  out.svg = doc.body.childElementCount === 1 ? root.localName : null;
  out.role = root && root.getAttribute('aria-roledescription');
  out.scripts = doc.querySelectorAll('script, foreignObject, [onload], [onerror]').length;
  out.periods = texts('.taskWrapper text');
  out.events = texts('.eventWrapper text');
  out.titles = [...doc.querySelectorAll('text')]
    .filter((n) => !n.closest('.taskWrapper, .eventWrapper, .legend') && !n.classList.contains('slice'))
    .map((n) => n.textContent);
  out.legend = texts('.legend text');
  return out;
}"""


@dataclass(frozen=True)
class Source:
    """A Markdown document to check: a golden file, or a fresh build of a plan."""

    id: str
    plan: Path
    golden: Path | None = None
    lang: str | None = None


SOURCES = [
    *(
        Source(f"golden/{n}.md", example(n), golden=GOLDEN / f"{n}.md")
        for n in ("cafe-verde", "sever-bike")
    ),
    Source("build/cafe-verde", example("cafe-verde")),
    Source("build/cafe-verde--lang-ru", example("cafe-verde"), lang="ru"),
    Source("build/cafe-verde--lang-es", example("cafe-verde"), lang="es"),
    Source("build/sever-bike", example("sever-bike")),  # its own language is Russian
    Source("build/sever-bike--lang-es", example("sever-bike"), lang="es"),
    Source("build/hostile", HOSTILE),
    Source("build/hostile--lang-ru", HOSTILE, lang="ru"),
    Source("build/hostile--lang-es", HOSTILE, lang="es"),
]


def squash(text: str) -> str:
    """Text without any whitespace: the timeline wraps words into lines at will."""
    return "".join(text.split())


def one_line(text: str) -> str:
    """A name as a diagram shows it: on one line, runs of whitespace as one space."""
    return " ".join(text.split())


def js_number(value: float) -> str:
    """A number as Mermaid's pie legend prints it (JavaScript's Number to string)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def markdown(source: Source, out: Path) -> str:
    if source.golden is not None:
        return source.golden.read_text("utf-8")
    args = ["build", "-f", "md", "-o", str(out), "--today", TODAY.isoformat()]
    args += ["--config", str(QUIET_CONFIG), "--color", "never"]
    if source.lang:
        args += ["--lang", source.lang]
    outcome = CliRunner().invoke(main, [*args, str(source.plan)], catch_exceptions=False)
    assert outcome.exit_code == 0, outcome.output
    return (out / f"{source.plan.name.split('.')[0]}.md").read_text("utf-8")


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    """A blank page in Chromium with Mermaid's browser bundle loaded from disk."""
    executable = chromium()
    require(MERMAID_JS.is_file(), "Mermaid (npm mermaid, in .ci/node)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python (pip install playwright)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, env=chromium_env()
        )
        blank = browser.new_page()
        requests: list[str] = []
        blank.on("request", lambda r: requests.append(r.url))
        blank.set_content("<!doctype html><html><head><title>m</title></head><body></body></html>")
        blank.add_script_tag(path=str(MERMAID_JS))
        blank.evaluate("mermaid.initialize({startOnLoad: false, securityLevel: 'strict'})")
        yield blank
        assert requests == [], f"Mermaid fetched {requests}"
        browser.close()


@pytest.fixture(scope="module")
def checked(page: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Source id -> what Mermaid made of each of its blocks (built once, checked once)."""
    cache: dict[str, list[dict[str, Any]]] = {}

    def check(source: Source) -> list[dict[str, Any]]:
        if source.id not in cache:
            out = tmp_path_factory.mktemp("mermaid")
            blocks = BLOCK.findall(markdown(source, out))
            cache[source.id] = [
                {"source": block, **page.evaluate(CHECK, [f"m{len(cache)}x{n}", block])}
                for n, block in enumerate(blocks)
            ]
        return cache[source.id]

    yield check


def diagram(results: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [r for r in results if r["type"] == kind or r["source"].startswith(kind)]
    assert len(found) == 1, f"expected one {kind} diagram, found {len(found)}"
    return found[0]


def expected_slices(plan: Plan) -> tuple[dict[str, float], float]:
    """Campaign name -> its budget (its lines', or else its own), and what no campaign has."""
    names = {c.id: c.name or c.id for c in plan.campaigns or [] if c.id}
    lines = plan.budget.lines if plan.budget and plan.budget.lines else []
    sums: dict[str, float] = {}
    rest = 0.0
    if any(line.campaign for line in lines):
        for line in lines:
            amount = line.amount.amount if line.amount else 0.0
            if line.campaign:
                name = names.get(line.campaign, line.campaign)
                sums[name] = sums.get(name, 0.0) + amount
            else:
                rest += amount
    else:
        for c in plan.campaigns or []:
            if c.budget is not None and c.id:
                sums[names[c.id]] = sums.get(names[c.id], 0.0) + c.budget.amount
    return {name: amount for name, amount in sums.items() if amount > 0}, rest


@pytest.mark.parametrize("source", SOURCES, ids=[s.id for s in SOURCES])
def test_mermaid_parses_and_renders_every_block(checked: Any, source: Source) -> None:
    results = checked(source)
    for result in results:
        where = f"{source.id}, block:\n{result['source']}"
        assert result["error"] is None, f"Mermaid says {result['error']}\n{where}"
        assert result["svg"] == "svg", where
        assert result["role"] == result["type"], f"Mermaid drew {result['role']!r}\n{where}"
        assert result["scripts"] == 0, where
    assert sorted(r["type"] for r in results) == ["pie", "timeline"]


@pytest.mark.parametrize("source", SOURCES, ids=[s.id for s in SOURCES])
def test_pie_has_one_slice_per_campaign_with_its_amount(checked: Any, source: Source) -> None:
    pie = diagram(checked(source), "pie")
    assert pie["error"] is None, pie["error"]
    slices, rest = expected_slices(load_plan(source.plan))
    wanted = [f"{one_line(name)} [{js_number(amount)}]" for name, amount in slices.items()]
    legend = pie["legend"]
    assert len(legend) == len(wanted) + (1 if rest else 0), f"{legend}\n{pie['source']}"
    assert [entry for entry in wanted if entry not in legend] == [], f"{legend}\n{pie['source']}"
    extra = [entry for entry in legend if entry not in wanted]
    if rest:
        assert len(extra) == 1 and extra[0].endswith(f" [{js_number(rest)}]"), extra
    else:
        assert extra == []
    assert len(pie["titles"]) == 1 and pie["titles"][0].strip(), pie["titles"]
    assert "\\" not in pie["titles"][0] and "#" not in pie["titles"][0], pie["titles"]


@pytest.mark.parametrize("source", SOURCES, ids=[s.id for s in SOURCES])
def test_timeline_has_every_dated_campaign(checked: Any, source: Source) -> None:
    timeline = diagram(checked(source), "timeline")
    assert timeline["error"] is None, timeline["error"]
    plan = load_plan(source.plan)
    dated = sorted((c for c in plan.campaigns or [] if c.start and c.end), key=lambda c: c.start)
    assert len(timeline["events"]) == len(timeline["periods"]) == len(dated), timeline
    for campaign, period, event in zip(dated, timeline["periods"], timeline["events"], strict=True):
        name = squash(campaign.name or campaign.id or "")
        assert squash(event).startswith(name), f"{campaign.id}: {event!r}"
        assert str(campaign.start.year) in period, f"{campaign.id}: {period!r}"
    titles = timeline["titles"]
    assert len(titles) == 1 and squash(plan.plan.name or "") in squash(titles[0]), titles
