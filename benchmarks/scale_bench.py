"""Speed at scale (issue 7): a synthetic repository of 10,000 plans.

    python benchmarks/scale_bench.py [--plans N] [--subset N] [--repeat N]

Prints whole-process wall time, CPU time and peak memory of:
- `smplan lint` of every plan, cold (`--no-cache`, parallel workers), then with
  a warm cache, then after changing one file (only it is linted again);
- on a 1,000-plan subset, side by side in the same run: `smplan lint
  --no-cache`, `check-jsonschema` with schemas/plan.schema.json (structure
  only) and `yamllint` with its default config, with the ratios.
Targets: all plans < 15 s; one changed file < 1 s; at least 3x faster than
check-jsonschema and 10x faster than yamllint on the subset.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import HEADER, Measurement, ratio, run, smplan_command, tool
from planfactory import plan_text

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "plan.schema.json"
TODAY = "2027-01-15"


def make_repo(folder: Path, plans: int) -> list[Path]:
    (folder / ".git").mkdir(parents=True)
    files = []
    for i in range(plans):
        team = folder / f"team-{i // 100:03}"
        team.mkdir(exist_ok=True)
        path = team / f"plan-{i:05}.smplan.yaml"
        path.write_text(plan_text(calendar_items=1, kpis_per_objective=1, seed=i), encoding="utf-8")
        files.append(path)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=10_000)
    parser.add_argument("--subset", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    smplan = smplan_command()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        files = make_repo(repo, args.plans)
        lines = sum(f.read_text(encoding="utf-8").count("\n") for f in files)
        print(f"{args.plans:,} plans, {lines:,} lines\n")
        print(HEADER)
        lint = [smplan, "lint", "--today", TODAY]
        cold = run("smplan lint --no-cache (all plans)", [*lint, "--no-cache", "."], 1, str(repo))
        print(cold.row())
        shutil.rmtree(repo / ".smplan_cache", ignore_errors=True)
        first = run("smplan lint (filling the cache)", [*lint, "."], 1, str(repo), warm_up=False)
        print(first.row())
        warm = run("smplan lint (warm cache)", [*lint, "."], args.repeat, str(repo))
        print(warm.row())
        changed = files[len(files) // 2]
        changed.write_text(changed.read_text(encoding="utf-8").replace("Post 0", "Post zero"))
        one = run("smplan lint (one file changed)", [*lint, "."], 1, str(repo), warm_up=False)
        print(one.row())

        subset = [str(f) for f in files[: args.subset]]
        print(f"\n== {len(subset):,}-plan subset")
        ours = run("smplan lint --no-cache", [*lint, "--no-cache", *subset], args.repeat, str(repo))
        print(ours.row())
        peers: dict[str, Measurement | None] = {}
        checker = tool("check-jsonschema")
        peers["check-jsonschema"] = (
            run(
                "check-jsonschema --schemafile plan.schema.json",
                [checker, "--schemafile", str(SCHEMA), *subset],
                args.repeat,
                str(repo),
            )
            if checker
            else None
        )
        yamllint = tool("yamllint")
        peers["yamllint"] = (
            run("yamllint (default config)", [yamllint, *subset], args.repeat, str(repo))
            if yamllint
            else None
        )
        for name, measured in peers.items():
            print(measured.row() if measured else f"{name}: not installed (pip install '.[dev]')")
        print(
            f"\nsmplan vs check-jsonschema: {ratio(peers['check-jsonschema'], ours)} faster"
            f" (target 3x); vs yamllint: {ratio(peers['yamllint'], ours)} faster (target 10x)"
        )
        print(
            f"all {args.plans:,} plans: {cold.seconds:.2f} s (target 15 s);"
            f" one changed file: {one.seconds:.2f} s (target 1 s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
