"""The lint cache: hits only when nothing that matters changed; safe when shared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PLAN = """\
smplan: 1
imports: [team.yaml]
plan: {id: demo, name: Demo, period: {start: 2027-01-01, end: 2027-12-31}, owner: ana}
objectives:
  - {id: sales, statement: Sell 300 boxes}
  - {id: sales, statement: Sell 40 gift cards}
"""


# The default cache folder (.smplan_cache in the working folder) is under test here.
_ENV = {k: v for k, v in os.environ.items() if k != "SMPLAN_CACHE_DIR"}


def _repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "team.yaml").write_text("team:\n  members: [{id: ana, name: Ana}]\n")
    plan = tmp_path / "p.smplan.yaml"
    plan.write_text(PLAN)
    return plan


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "smplan", "lint", "--format", "json", "--today", "2027-01-15",
            "--select", "structure", *args]  # fmt: skip


def _lint(tmp_path: Path, *args: str) -> list[tuple[str, int, str]]:
    done = subprocess.run(
        _command(*args, "p.smplan.yaml"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=_ENV,
    )
    assert done.returncode in (0, 1), done.stderr
    return [(d["rule"], d["line"], d["message"]) for d in json.loads(done.stdout)["diagnostics"]]


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / ".smplan_cache").rglob("*.json"))


def test_second_run_is_served_from_the_cache(tmp_path):
    _repo(tmp_path)
    first = _lint(tmp_path)
    entries = _entries(tmp_path)
    assert len(entries) == 1
    assert (tmp_path / ".smplan_cache" / ".gitignore").read_text().endswith("*\n")
    # Prove the second run reads the entry: doctor it, and the doctored result comes back.
    entry = json.loads(entries[0].read_text())
    entry["diagnostics"][0]["message"] = "from the cache"
    entries[0].write_text(json.dumps(entry))
    assert _lint(tmp_path)[0][2] == "from the cache"
    assert first[0][0] == "duplicate-id"


def test_a_changed_plan_import_or_option_is_linted_again(tmp_path):
    plan = _repo(tmp_path)
    assert [r for r, _, _ in _lint(tmp_path)] == ["duplicate-id"]
    plan.write_text(PLAN.replace("id: sales, statement: Sell 40", "id: cards, statement: Sell 40"))
    assert _lint(tmp_path) == []
    (tmp_path / "team.yaml").write_text("team:\n  members: [{id: luis, name: Luis}]\n")
    assert [r for r, _, _ in _lint(tmp_path)] == ["unresolved-reference"]
    assert _lint(tmp_path, "--ignore", "unresolved-reference") == []


def test_no_cache_reads_and_writes_nothing(tmp_path):
    _repo(tmp_path)
    _lint(tmp_path, "--no-cache")
    assert not (tmp_path / ".smplan_cache").exists()


def test_a_corrupt_entry_is_a_miss(tmp_path):
    _repo(tmp_path)
    expected = _lint(tmp_path)
    for entry in _entries(tmp_path):
        entry.write_text("{not json")
    assert _lint(tmp_path) == expected


def test_concurrent_runs_share_the_cache_safely(tmp_path):
    _repo(tmp_path)
    for i in range(20):
        (tmp_path / f"q{i}.smplan.yaml").write_text(PLAN.replace("demo", f"demo-{i}"))
    command = _command(".")
    runs = [
        subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, text=True, env=_ENV)
        for _ in range(4)
    ]
    outputs = [json.loads(run.communicate(timeout=120)[0]) for run in runs]
    assert all(o == outputs[0] for o in outputs)
    assert outputs[0]["summary"]["errors"] == 21
    assert not list((tmp_path / ".smplan_cache").rglob(".tmp-*"))


def test_a_new_actuals_file_matching_the_glob_is_noticed(tmp_path):
    (tmp_path / ".git").mkdir()
    plan = tmp_path / "p.smplan.yaml"
    plan.write_text(
        "smplan: 1\n"
        "plan: {id: demo, name: Demo, period: {start: 2027-01-01, end: 2027-12-31},"
        " actuals: 'results/*.csv'}\n"
        "kpis: [{id: reach, metric: reach}]\n"
    )
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "q1.csv").write_text("kpi,as_of,value\nreach,2027-03-31,10\n")
    assert _lint(tmp_path) == []
    (tmp_path / "results" / "q2.csv").write_text("kpi,as_of,value\nreech,2027-06-30,12\n")
    assert [r for r, _, _ in _lint(tmp_path)] == ["unresolved-reference"]


def test_a_recursive_actuals_glob_over_symlink_loops_ends_with_the_cache_on(tmp_path):
    # The cache computed its dependencies with Python's glob, which follows
    # linked folders: a loop made a cached lint search for ever.
    (tmp_path / ".git").mkdir()
    plan = tmp_path / "p.smplan.yaml"
    plan.write_text(
        "smplan: 1\n"
        "plan: {id: demo, name: Demo, period: {start: 2027-01-01, end: 2027-12-31},"
        " actuals: 'data/**/*.csv'}\n"
        "kpis: [{id: reach, metric: reach}]\n"
    )
    data = tmp_path / "data"
    (data / "a" / "b").mkdir(parents=True)
    (data / "a" / "b" / "q1.csv").write_text("kpi,as_of,value\nreach,2027-03-31,10\n")
    for depth, folder in enumerate([data, data / "a", data / "a" / "b"]):
        (folder / f"loop{depth}").symlink_to(data, target_is_directory=True)
        (folder / f"up{depth}").symlink_to("..", target_is_directory=True)
    assert _lint(tmp_path) == []  # _lint's 60 s timeout fails a hang
    assert _lint(tmp_path) == []  # and the cached run checks the glob again
    assert _entries(tmp_path)
