"""Speed and memory of `smplan build` (issue 4), whole process.

    python benchmarks/build_bench.py [--repeat N]

Builds the medium plan (~430 lines) to HTML and to PDF, and the large plan
(~20,000 lines, 1,650 posts, 181 KPIs) to PDF, and prints for each the
median wall time, the median CPU time (user + system, the PDF worker
process included) and the peak memory, next to the target.

The PDF is laid out by a worker process forked when the command starts
(smplan/render/pdfworker.py), so on two cores or more wall time is less
than CPU time; the "in one process" rows (SMPLAN_PDF_IN_PROCESS=1) show the
same builds without the worker. Peak memory is the largest single process
(ru_maxrss); with the worker, the main process (lint and HTML, ~50 MB)
runs beside it, and the in-one-process row shows both in one.

Two floor rows, measured in the same run, show what smplan cannot go below
while it makes PDFs with WeasyPrint: importing WeasyPrint, and importing it
then laying out the medium plan's own HTML with smplan's stylesheets
(exactly the PDF step of the build, without lint, templates or HTML).

Each command runs once unmeasured first, as measure.py does: that run
writes Python's bytecode and the user cache (compiled templates).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import HEADER, Measurement, run, smplan_command
from planfactory import plan_text

TODAY = "2027-01-15"


@dataclass(frozen=True)
class Row:
    measured: Measurement
    target_s: float | None = None
    target_mb: float | None = None

    def verdict(self) -> str:
        m = self.measured
        if m.exit_code != 0:
            return f"FAILED (exit {m.exit_code})"
        if self.target_s is None and self.target_mb is None:
            return ""
        missed = [
            what
            for what, ok in (
                ("time", self.target_s is None or m.seconds < self.target_s),
                ("memory", self.target_mb is None or m.peak_mb < self.target_mb),
            )
            if not ok
        ]
        return "ok" if not missed else "MISSED " + " and ".join(missed)

    def line(self) -> str:
        m = self.measured
        target = " ".join(
            part
            for part in (
                f"< {self.target_s:g} s" if self.target_s is not None else "",
                f"< {self.target_mb:g} MB" if self.target_mb is not None else "",
            )
            if part
        )
        return (
            f"{m.label:<52} {m.seconds:8.3f} s {m.cpu:8.3f} s {m.peak_mb:8.1f} MB"
            f"  {target:<16} {self.verdict()}"
        )


# The PDF step alone: smplan's own WeasyPrint call on an HTML file built beforehand.
LAYOUT_ONLY = """
import sys
from pathlib import Path
from smplan.render.pdf import render_pdf
from smplan.render.theme import Theme
html, folder = Path(sys.argv[1]), Path(sys.argv[2])
render_pdf(html.read_text(encoding="utf-8"), Theme(None), base=folder, allowed=[folder])
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    smplan = smplan_command()
    one_process = {"SMPLAN_PDF_IN_PROCESS": "1"}
    repeat = args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        medium = folder / "medium.smplan.yaml"
        medium.write_text(plan_text(calendar_items=2, kpis_per_objective=1), encoding="utf-8")
        large = folder / "large.smplan.yaml"
        large.write_text(plan_text(calendar_items=1650, kpis_per_objective=60), encoding="utf-8")
        out = folder / "out"
        build = [smplan, "build", "--today", TODAY, "-o", str(out)]
        python = sys.executable
        rows = [
            Row(run('python -c "import yaml" (start-up floor)', [python, "-c", "import yaml"])),
            Row(
                run(
                    "python: import WeasyPrint (floor)",
                    [python, "-c", "from smplan.render.pdf import warm_up; warm_up()"],
                    repeat,
                )
            ),
            Row(run("medium -f html", [*build, "-f", "html", str(medium)], repeat), target_s=0.5),
        ]
        # out/medium.html now exists: the floor of the PDF step lays out that very HTML.
        layout = run(
            "python: WeasyPrint alone on medium.html (floor)",
            [python, "-c", LAYOUT_ONLY, str(out / "medium.html"), str(folder)],
            repeat,
        )
        pdf = run("medium -f pdf", [*build, "-f", "pdf", str(medium)], repeat)
        rows += [
            Row(layout),
            Row(pdf, target_s=2),
            Row(
                run(
                    "medium -f pdf, in one process",
                    [*build, "-f", "pdf", str(medium)],
                    repeat,
                    env=one_process,
                )
            ),
            Row(
                run("large -f pdf", [*build, "-f", "pdf", str(large)], 1),
                target_s=20,
                target_mb=500,
            ),
            Row(
                run(
                    "large -f pdf, in one process",
                    [*build, "-f", "pdf", str(large)],
                    1,
                    env=one_process,
                )
            ),
        ]
    print(f"{HEADER}  {'target':<16} verdict")
    for row in rows:
        print(row.line())
    print(
        f"   medium -f pdf above WeasyPrint's own floor for the same HTML:"
        f" {pdf.seconds - layout.seconds:+.3f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
