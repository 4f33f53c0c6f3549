"""Pictures of the example plan's documents for the docs site, never made by hand.

    python scripts/screenshots.py [OUT_DIR]      (default: docs/images)

Builds ``examples/cafe-verde`` into HTML and PDF with the current code, then
photographs the HTML page with headless Chromium (Debian's /usr/bin/chromium,
driven by Playwright; never a downloaded browser) and renders a few PDF pages
with ``pdftoppm`` (poppler-utils), finding the pages by their headings with
``pdftotext``. ``.ci/install-build-tools.sh`` installs both tools. The images
are kept small: a modest viewport, 60 dpi pages, palette PNGs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "cafe-verde" / "cafe-verde.smplan.yaml"
CHROMIUM = Path("/usr/bin/chromium")
TODAY = "2027-07-01"  # the example's actuals run to June 2027
VIEWPORT = {"width": 1100, "height": 760}
# (file, CSS selector of the part of the HTML page to photograph)
HTML_SHOTS = (("html-summary.png", "#cover"), ("html-results.png", "#results"))
# (file, a heading of the page to render; the cover is the first page)
PDF_SHOTS = (
    ("pdf-cover.png", None),
    ("pdf-kpis.png", "KPIs and measurement"),
    ("pdf-crisis.png", "Crisis guide"),
)
PDF_DPI = 60
IMAGES = tuple(name for name, _ in HTML_SHOTS + PDF_SHOTS)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def build(folder: Path) -> tuple[Path, Path]:
    env = {**os.environ, "SMPLAN_TODAY": TODAY, "NO_COLOR": "1"}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run(
        [sys.executable, "-m", "smplan", "build", str(PLAN), "-f", "html,pdf", "-o", str(folder)],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
    )
    return folder / f"{PLAN.name.removesuffix('.smplan.yaml')}.html", folder / (
        f"{PLAN.name.removesuffix('.smplan.yaml')}.pdf"
    )


def html_shots(html: Path, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        for name, selector in HTML_SHOTS:
            box = page.locator(selector).bounding_box()
            if box is None:
                raise SystemExit(f"{html}: nothing matches {selector}")
            page.screenshot(
                path=str(out / name),
                clip={
                    "x": 0,
                    "y": box["y"],
                    "width": VIEWPORT["width"],
                    "height": VIEWPORT["height"],
                },
                full_page=True,
            )
        browser.close()


def page_of(pdf: Path, heading: str | None) -> int:
    """The first page after the contents whose text starts a section ``heading``."""
    if heading is None:
        return 1
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for number, page in enumerate(text.split("\f"), start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        # A section's first page carries its numbered heading, e.g. "4 KPIs and ...".
        numbered = (re.match(r"^\d+\s+(.+)$", line) for line in lines[1:])
        if number > 2 and any(m and m.group(1).strip() == heading for m in numbered):
            return number
    raise SystemExit(f"{pdf}: no page starts the section {heading!r}")


def pdf_shots(pdf: Path, out: Path) -> None:
    for name, heading in PDF_SHOTS:
        number = page_of(pdf, heading)
        prefix = out / name.removesuffix(".png")
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(PDF_DPI),
                "-f",
                str(number),
                "-l",
                str(number),
                "-singlefile",
                str(pdf),
                str(prefix),
            ],
            check=True,
        )


def shrink(out: Path) -> None:
    """Palette PNGs: the pictures are flat colours and text, a third of the size."""
    from PIL import Image

    for name in IMAGES:
        path = out / name
        with Image.open(path) as image:
            small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)


def missing_tools() -> list[str]:
    missing = [] if CHROMIUM.exists() else [str(CHROMIUM)]
    missing += [tool for tool in ("pdftoppm", "pdftotext") if shutil.which(tool) is None]
    return missing


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "images"
    missing = missing_tools()
    if missing:
        print(f"missing: {', '.join(missing)}; run .ci/install-build-tools.sh", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="smplan-shots-") as tmp:
        html, pdf = build(Path(tmp))
        html_shots(html, out)
        pdf_shots(pdf, out)
    shrink(out)
    for name in IMAGES:
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
