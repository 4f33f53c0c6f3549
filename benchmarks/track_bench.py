"""Speed of `smplan track` on the large plan with 100,000 measurements, in one run.

    python benchmarks/track_bench.py [--repeat N] [--rows N] [--keep DIR]

Generates the large benchmark plan (~20,000 lines, 181 KPIs) with
`plan.actuals: actuals/*.csv` and a CSV export of N measurements (default
100,000): values for most rows, raw figures (spend and conversions for the
CPA KPIs, per channel and campaign) for the rest. Runs `smplan track` (text
and JSON), `smplan lint` of the same plan (every rule sees the merged rows)
and the plan without actuals for comparison. Figures are whole-process wall
time and CPU time (the fastest of --repeat runs: the machine is shared) and
peak memory.
Target (issue 6): track < 1.5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import HEADER, run, smplan_command
from planfactory import plan_data, plan_text

TODAY = "2027-12-31"
TARGET_SECONDS = 1.5


def corpus(folder: Path, rows: int) -> tuple[Path, Path]:
    """The large plan with a CSV of ``rows`` measurements, and the same plan without."""
    options = {"calendar_items": 1650, "kpis_per_objective": 60}
    bare = folder / "bare.smplan.yaml"
    bare.write_text(plan_text(**options), encoding="utf-8")
    text = plan_text(**options).replace(
        "  review_cadence: monthly\n", "  review_cadence: monthly\n  actuals: actuals/*.csv\n", 1
    )
    assert "actuals: actuals/*.csv" in text
    plan = folder / "large.smplan.yaml"
    plan.write_text(text, encoding="utf-8")
    (folder / "actuals").mkdir(exist_ok=True)
    kpis = plan_data(**options)["kpis"]
    random.seed(6)
    start = dt.date(2027, 1, 1)
    lines = ["kpi,as_of,value,channel,campaign,spend,conversions"]
    per_kpi = -(-rows // len(kpis))
    written = 0
    for kpi in kpis:
        base, target = kpi["baseline"]["value"], kpi["target"]["value"]
        for step in range(per_kpi):
            if written == rows:
                break
            # one row per KPI, day and channel: counts add up across channels,
            # CPAs come as raw figures per channel (an ads export)
            day, channel = divmod(step, 2)
            as_of = start + dt.timedelta(days=day % 365)
            progress = base + (target - base) * step / per_kpi
            if kpi["metric"] == "cpa":
                conversions = random.randint(20, 40)
                spend = round(progress * random.uniform(0.9, 1.1) * conversions, 2)
                lines.append(f"{kpi['id']},{as_of},,ch-{channel},camp-0,{spend},{conversions}")
            else:
                value = progress / 2 * random.uniform(0.9, 1.1)
                lines.append(f"{kpi['id']},{as_of},{value:.1f},ch-{channel},,,")
            written += 1
    (folder / "actuals" / "export.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return plan, bare


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    args = parser.parse_args()
    smplan = smplan_command()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".git").mkdir(exist_ok=True)  # the repository root actuals must stay in
        plan, bare = corpus(folder, args.rows)
        helps = subprocess.run([smplan, "lint", "--help"], capture_output=True, text=True).stdout
        fresh = ["--no-cache"] if "--no-cache" in helps else []  # time the lint, not a cache
        size = (folder / "actuals" / "export.csv").stat().st_size
        print(f"large plan: {plan.read_text(encoding='utf-8').count(chr(10)):,} lines; ", end="")
        print(f"actuals: {args.rows:,} measurements, {size / 1e6:.1f} MB of CSV\n")
        print(HEADER)
        track = run(
            "smplan track (text)",
            [smplan, "track", str(plan), "--today", TODAY],
            args.repeat,
            best=True,
        )
        print(track.row())
        as_json = run(
            "smplan track --format json",
            [smplan, "track", str(plan), "--today", TODAY, "--format", "json"],
            args.repeat,
            best=True,
        )
        print(as_json.row())
        lint = run(
            "smplan lint (every rule, with the actuals)",
            [smplan, "lint", *fresh, str(plan), "--today", TODAY],
            args.repeat,
            best=True,
        )
        print(lint.row())
        print(
            run(
                "smplan lint (the plan without actuals)",
                [smplan, "lint", *fresh, str(bare), "--today", TODAY],
                args.repeat,
                best=True,
            ).row()
        )
        slowest = max(track.seconds, as_json.seconds)
        verdict = "within" if slowest < TARGET_SECONDS else "OVER"
        print(f"\ntrack: {slowest:.3f} s, {verdict} the {TARGET_SECONDS} s target")
        return 0 if slowest < TARGET_SECONDS and track.exit_code == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
