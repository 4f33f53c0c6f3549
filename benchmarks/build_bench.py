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

Each command runs once unmeasured first, as measure.py does: that run
writes Python's bytecode and the user cache (compiled templates).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import tool
from planfactory import plan_text

TODAY = "2027-01-15"


@dataclass(frozen=True)
class Row:
    label: str
    wall: float
    cpu: float
    peak_mb: float
    code: int
    target_s: float | None = None
    target_mb: float | None = None

    def verdict(self) -> str:
        if self.code != 0:
            return f"FAILED (exit {self.code})"
        missed = [
            what
            for what, ok in (
                ("time", self.target_s is None or self.wall < self.target_s),
                ("memory", self.target_mb is None or self.peak_mb < self.target_mb),
            )
            if not ok
        ]
        if self.target_s is None and self.target_mb is None:
            return ""
        return "ok" if not missed else "MISSED " + " and ".join(missed)

    def line(self) -> str:
        target = " ".join(
            part
            for part in (
                f"< {self.target_s:g} s" if self.target_s is not None else "",
                f"< {self.target_mb:g} MB" if self.target_mb is not None else "",
            )
            if part
        )
        return (
            f"{self.label:<46} {self.wall:7.2f} s {self.cpu:7.2f} s {self.peak_mb:7.1f} MB"
            f"  {target:<16} {self.verdict()}"
        )


def measure(
    label: str,
    argv: list[str],
    repeat: int,
    *,
    env: dict[str, str] | None = None,
    target_s: float | None = None,
    target_mb: float | None = None,
) -> Row:
    environ = {**os.environ, "NO_COLOR": "1", **(env or {})}
    environ.pop("PYTHONDONTWRITEBYTECODE", None)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(argv, env=environ, check=False, **quiet)  # warm-up, not counted
    walls: list[float] = []
    cpus: list[float] = []
    peaks: list[float] = []
    code = 0
    for _ in range(repeat):
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=environ, **quiet)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - started)
        # user + system time and ru_maxrss include the children the process waited for
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)
        code = code or os.waitstatus_to_exitcode(status)
    return Row(
        label,
        statistics.median(walls),
        statistics.median(cpus),
        max(peaks),
        code,
        target_s,
        target_mb,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    smplan = tool("smplan")
    if smplan is None:
        print("smplan is not installed (pip install .)", file=sys.stderr)
        return 2
    one_process = {"SMPLAN_PDF_IN_PROCESS": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        medium = folder / "medium.smplan.yaml"
        medium.write_text(plan_text(calendar_items=2, kpis_per_objective=1), encoding="utf-8")
        large = folder / "large.smplan.yaml"
        large.write_text(plan_text(calendar_items=1650, kpis_per_objective=60), encoding="utf-8")
        build = [smplan, "build", "--today", TODAY, "-o", str(folder / "out")]
        repeat = args.repeat
        rows = [
            measure(
                'python -c "import yaml" (start-up floor)',
                [sys.executable, "-c", "import yaml"],
                repeat,
            ),
            measure("medium -f html", [*build, "-f", "html", str(medium)], repeat, target_s=0.5),
            measure("medium -f pdf", [*build, "-f", "pdf", str(medium)], repeat, target_s=2),
            measure(
                "medium -f pdf, in one process",
                [*build, "-f", "pdf", str(medium)],
                repeat,
                env=one_process,
            ),
            measure(
                "large -f pdf",
                [*build, "-f", "pdf", str(large)],
                1,
                target_s=20,
                target_mb=500,
            ),
            measure(
                "large -f pdf, in one process",
                [*build, "-f", "pdf", str(large)],
                1,
                env=one_process,
            ),
        ]
    print(f"{'smplan build ...':<46} {'wall':>9} {'cpu':>9} {'peak':>10}  {'target':<16} verdict")
    for row in rows:
        print(row.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
