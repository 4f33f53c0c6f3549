"""Speed and memory of `smplan lint`, side by side with its peers, in one run.

    python benchmarks/lint_bench.py [--repeat N] [--keep DIR]

Generates a medium plan (~300 lines), a large one (~20,000 lines) and 1,000
medium files; runs `smplan lint --no-cache` on each (with the full rule catalogue,
and structure-only to show the catalogue's cost; then with a warm cache), `check-jsonschema` with
schemas/plan.schema.json on the same files (structure only: what a team would
otherwise wire into pre-commit), and `python -c "import yaml"` (the start-up
floor). Figures are whole-process wall time and CPU time (medians) and peak
memory.
Targets (issues 2 and 3): medium < 0.15 s; 1,000 files < 1.5 s; large < 0.4 s
and < 150 MB. A second floor row shows what importing pydantic and the plan
models costs by itself (with the compiled validator read from the user cache).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import HEADER, Measurement, ratio, run, smplan_command, tool
from planfactory import plan_text

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "plan.schema.json"
TODAY = "2027-01-15"


def corpus(folder: Path) -> dict[str, list[str]]:
    medium = folder / "medium.smplan.yaml"
    medium.write_text(plan_text(calendar_items=2, kpis_per_objective=1), encoding="utf-8")
    large = folder / "large.smplan.yaml"
    large.write_text(plan_text(calendar_items=1650, kpis_per_objective=60), encoding="utf-8")
    many = folder / "many"
    many.mkdir()
    for i in range(1000):
        text = plan_text(calendar_items=2, kpis_per_objective=1, seed=i)
        (many / f"plan-{i:04}.smplan.yaml").write_text(text, encoding="utf-8")
    return {
        "medium": [str(medium)],
        "large": [str(large)],
        "1,000 medium files": [str(many)],
        "1,000 medium files (as a list)": sorted(str(p) for p in many.iterdir()),
    }


def lines_of(paths: list[str]) -> int:
    total = 0
    for p in paths:
        path = Path(p)
        files = path.rglob("*.yaml") if path.is_dir() else [path]
        total += sum(f.read_text(encoding="utf-8").count("\n") for f in files)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    args = parser.parse_args()
    smplan = smplan_command()
    checker = tool("check-jsonschema")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        cases = corpus(folder)
        floor = run(
            'python -c "import yaml" (start-up floor)',
            [sys.executable, "-c", "import yaml"],
            args.repeat,
        )
        # What no lint of a plan can avoid: Python, PyYAML, and building (or, with
        # the user cache warm, loading) the pydantic models the rules read.
        models = run(
            "python: import the plan models + validator (floor)",
            [
                sys.executable,
                "-c",
                "from smplan.validate import plan_validator; plan_validator()",
            ],
            args.repeat,
        )
        print(HEADER)
        print(floor.row())
        print(models.row())
        for name, paths in cases.items():
            if name.endswith("(as a list)"):
                continue
            print(f"\n== {name} ({lines_of(paths):,} lines)")
            full = run(
                f"smplan lint ({name})",
                [smplan, "lint", "--no-cache", "--today", TODAY, *paths],
                args.repeat,
            )
            structure = run(
                "smplan lint --select structure",
                [smplan, "lint", "--no-cache", "--today", TODAY, "--select", "structure", *paths],
                args.repeat,
            )
            warm = run(
                "smplan lint (warm cache)", [smplan, "lint", "--today", TODAY, *paths], args.repeat
            )
            print(full.row())
            print(structure.row())
            print(warm.row())
            peer: Measurement | None = None
            if checker:
                files = (
                    cases["1,000 medium files (as a list)"] if name.startswith("1,000") else paths
                )
                peer = run(
                    "check-jsonschema --schemafile plan.schema.json",
                    [checker, "--schemafile", str(SCHEMA), *files],
                    args.repeat,
                )
                print(peer.row())
            else:
                print("check-jsonschema: not installed (pip install '.[dev]')")
            print(
                f"   catalogue cost: {full.seconds - structure.seconds:+.3f} s;"
                f" smplan vs check-jsonschema: {ratio(peer, full)} faster;"
                f" above start-up floor: {full.seconds - floor.seconds:.3f} s,"
                f" above the models' floor: {full.seconds - models.seconds:.3f} s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
