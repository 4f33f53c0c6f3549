"""The HTML in a real browser (Debian's Chromium driven by Playwright).

Checks what a reader's browser does with the page: no console error, no
request leaves the page, nothing in a hostile plan runs, and the page
looks right (a screenshot is kept next to the test's temporary files).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from build_support import (
    CHROMIUM_ARGS,
    FIXTURES,
    QUIET_CONFIG,
    TODAY,
    chromium,
    chromium_env,
    example,
    require,
)

from smplan.render.build import BuildOptions, build


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python (pip install playwright)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, env=chromium_env()
        )
        yield browser
        browser.close()


def open_page(browser, path: Path, width: int = 1280):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    events: dict[str, list[str]] = {"console": [], "errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: events["console"].append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: events["errors"].append(str(e)))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, events


def built(plan: Path, out: Path, **extra: object) -> Path:
    options = BuildOptions(formats=["html"], output_dir=out, today=TODAY, **extra)  # type: ignore[arg-type]
    outcome = build([plan], options)
    assert outcome.refused is None
    return out / f"{plan.name.split('.')[0]}.html"


@pytest.mark.parametrize("name", ["cafe-verde", "sever-bike"])
def test_example_page_loads_cleanly(browser, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    page, events = open_page(browser, built(example(name), tmp_path, config=QUIET_CONFIG))
    assert events["console"] == [] and events["errors"] == []
    assert events["requests"] == [page.url]  # nothing fetched but the page itself
    assert page.locator("h1").count() == 1
    assert page.locator("section.section").count() >= 10
    assert page.locator("svg.chart").count() >= 5
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=False)
    assert (tmp_path / f"{name}.png").stat().st_size > 10_000
    # a phone-sized window: nothing wider than the screen except scrollable tables
    small, _ = open_page(browser, tmp_path / f"{name}.html", width=390)
    overflow = small.evaluate(
        "() => [...document.querySelectorAll('main > section')]"
        ".filter(s => s.scrollWidth > document.documentElement.clientWidth + 1).length"
    )
    assert overflow == 0


def test_hostile_plan_runs_nothing(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page, events = open_page(browser, built(FIXTURES / "payload.smplan.yaml", tmp_path, force=True))
    page.mouse.move(10, 10)
    for link in page.locator("a").all()[:50]:
        link.hover()
    assert page.evaluate("() => window.__xss") is None
    assert events["dialogs"] == [] and events["errors"] == []
    assert events["console"] == []
    assert events["requests"] == [page.url]
    assert page.locator("script, iframe, img[onerror]").count() == 0
    title = page.title()
    assert title.startswith("<script>window.__xss = 1</script>Payload")
    page.screenshot(path=str(tmp_path / "payload.png"), full_page=True)
