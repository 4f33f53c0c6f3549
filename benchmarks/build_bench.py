"""Speed and memory of `smplan build` (issue 4), whole process.

    python benchmarks/build_bench.py [--repeat N]

Builds the medium plan (~300 lines) to HTML and to PDF, and the large plan
(~20,000 lines) to PDF, printing wall time and peak memory next to the
start-up floor measured in the same run.
Targets: medium to HTML < 0.5 s, medium to PDF < 2 s, large to PDF < 20 s
and < 500 MB.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import run, tool
from planfactory import plan_text

TODAY = "2027-01-15"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    smplan = tool("smplan")
    if smplan is None:
        print("smplan is not installed (pip install .)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        medium = folder / "medium.smplan.yaml"
        medium.write_text(plan_text(calendar_items=2, kpis_per_objective=1), encoding="utf-8")
        large = folder / "large.smplan.yaml"
        large.write_text(plan_text(calendar_items=1650, kpis_per_objective=60), encoding="utf-8")
        out = str(folder / "out")
        build = [smplan, "build", "--today", TODAY, "-o", out]
        rows = [
            run(
                'python -c "import yaml" (start-up floor)',
                [sys.executable, "-c", "import yaml"],
                args.repeat,
            ),
            run(
                "smplan build medium -f html (target 0.5 s)",
                [*build, "-f", "html", str(medium)],
                args.repeat,
            ),
            run(
                "smplan build medium -f pdf (target 2 s)",
                [*build, "-f", "pdf", str(medium)],
                args.repeat,
            ),
            run(
                "smplan build large -f pdf (target 20 s, 500 MB)",
                [*build, "-f", "pdf", str(large)],
                1,
            ),
        ]
        print(f"{'command':<52} {'wall':>10} {'peak':>11}")
        for row in rows:
            print(row.row())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
