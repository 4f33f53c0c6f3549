"""The lint cache: hits only when nothing that matters changed; safe when shared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


def _doctor(tmp_path: Path, change) -> None:
    """Rewrite every cache entry with ``change(entry)`` (which may return a new one)."""
    for path in _entries(tmp_path):
        entry = json.loads(path.read_text())
        changed = change(entry)
        path.write_text(json.dumps(entry if changed is None else changed))


def _set(key: str, value: object):
    def change(entry: dict) -> None:
        entry["diagnostics"][0][key] = value

    return change


_WRONG_SHAPES = {
    "line=-5": _set("line", -5),  # printed as line -5
    "suppressed='yes'": _set("suppressed", "yes"),  # hid an error: the run exited 0
    "line='3'": _set("line", "3"),  # a string among ints: sorting the report crashed
    "line=True": _set("line", True),
    "column=0": _set("column", 0),
    "message=5": _set("message", 5),  # crashed building the diagnostic
    "severity='fatal'": _set("severity", "fatal"),
    "severity=' Error '": _set("severity", " Error "),
    "rule=''": _set("rule", ""),
    "node_id=None": _set("node_id", None),
    "unknown=1": _set("unknown", 1),
    "no path": lambda e: e["diagnostics"][0].pop("path"),
    "ends before it starts": lambda e: e["diagnostics"][0].update(end_line=1, line=9),
    "diagnostics a mapping": lambda e: e.update(diagnostics={"a": 1}),
    "diagnostic a string": lambda e: e.update(diagnostics=["not a record"]),
    "dependencies a list": lambda e: e.update(dependencies=["team.yaml"]),
    "digest a number": lambda e: e.update(dependencies={"team.yaml": 5}),
    "digest not hex": lambda e: e.update(dependencies={"team.yaml": "not a digest"}),
    "glob of one part": lambda e: e.update(globs=[["."]]),
    "glob of another folder": lambda e: e.update(
        globs=[["/", "**/*", []]]
    ),  # a walk of the whole disk
    "unknown key": lambda e: e.update(extra="field"),
    "no globs": lambda e: e.pop("globs"),
    "a list": lambda e: [e],
    "empty": lambda e: None if e.clear() else {},
}


@pytest.mark.parametrize("change", _WRONG_SHAPES.values(), ids=_WRONG_SHAPES)
def test_an_entry_of_the_wrong_shape_is_a_miss_never_a_crash_or_a_lie(tmp_path, change):
    _repo(tmp_path)
    command = _command("p.smplan.yaml")

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, cwd=tmp_path, capture_output=True, text=True, env=_ENV, timeout=60
        )

    fresh = run()
    assert fresh.returncode == 1 and "duplicate-id" in fresh.stdout
    _doctor(tmp_path, change)
    served = run()
    assert (served.returncode, served.stderr, served.stdout) == (1, "", fresh.stdout)
    # Recomputed, and written again as a valid entry that the next run serves.
    _doctor(tmp_path, _set("message", "from the cache"))
    assert "from the cache" in run().stdout


def test_a_symlinked_cache_folder_is_not_used(tmp_path):
    # A committed .smplan_cache that links elsewhere made lint write there.
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    repo.mkdir()
    outside.mkdir()
    _repo(repo)
    (repo / ".smplan_cache").symlink_to(outside, target_is_directory=True)
    done = subprocess.run(
        _command("p.smplan.yaml"), cwd=repo, capture_output=True, text=True, env=_ENV
    )
    assert done.returncode == 1
    assert done.stderr == (
        "smplan: warning: .smplan_cache is a symbolic link; linting without the cache\n"
    )
    assert json.loads(done.stdout)["diagnostics"][0]["rule"] == "duplicate-id"
    assert list(outside.iterdir()) == []


def test_symlinks_inside_the_cache_folder_are_never_written_through(tmp_path):
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    repo.mkdir()
    outside.mkdir()
    _repo(repo)
    cache = repo / ".smplan_cache"
    cache.mkdir()
    # Every folder an entry can go to, and the .gitignore, link out of the repository.
    for i in range(256):
        (cache / f"{i:02x}").symlink_to(outside, target_is_directory=True)
    (cache / ".gitignore").symlink_to(outside / "planted")
    expected = _lint(repo, "--no-cache")
    assert _lint(repo) == expected
    assert list(outside.iterdir()) == []


def test_a_fifo_or_device_in_place_of_an_entry_or_import_is_never_read(tmp_path):
    _repo(tmp_path)
    expected = _lint(tmp_path)
    [entry] = _entries(tmp_path)
    entry.unlink()
    os.mkfifo(entry)  # reading it blocked lint for ever
    assert _lint(tmp_path) == expected
    # An import replaced by a FIFO after the run that cached it: hashing it blocked too.
    _lint(tmp_path)
    (tmp_path / "team.yaml").unlink()
    os.mkfifo(tmp_path / "team.yaml")
    done = subprocess.run(
        _command("p.smplan.yaml"), cwd=tmp_path, capture_output=True, text=True, env=_ENV,
        timeout=60,
    )  # fmt: skip
    assert "Traceback" not in done.stderr


def test_stale_temporary_files_of_interrupted_writes_are_removed(tmp_path):
    _repo(tmp_path)
    _lint(tmp_path)
    folder = _entries(tmp_path)[0].parent
    stale, fresh = folder / ".tmp-killed", folder / ".tmp-writing"
    stale.write_text('{"half')
    fresh.write_text('{"half')  # maybe another run's write in progress: kept
    hour_ago = time.time() - 2 * 3600
    os.utime(stale, (hour_ago, hour_ago))
    (tmp_path / "p.smplan.yaml").write_text(PLAN + "# edited\n")  # a miss, so a write
    _lint(tmp_path)
    assert not stale.exists()
    assert fresh.exists()
