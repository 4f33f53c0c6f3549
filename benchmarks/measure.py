"""Whole-process wall time, CPU time and peak memory of a command, over several runs."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Measurement:
    label: str
    seconds: float  # wall time
    cpu: float  # user + system time, children included: what the run costs the machine
    peak_mb: float
    exit_code: int

    def row(self) -> str:
        figures = f"{self.seconds:8.3f} s {self.cpu:8.3f} s {self.peak_mb:8.1f} MB"
        return f"{self.label:<52} {figures}  (exit {self.exit_code})"


HEADER = f"{'command':<52} {'wall':>10} {'cpu':>10} {'peak':>11}"


def run(
    label: str,
    argv: list[str],
    repeat: int = 3,
    cwd: str | None = None,
    *,
    warm_up: bool = True,
    env: dict[str, str] | None = None,
    best: bool = False,
) -> Measurement:
    """The median run of ``repeat`` (the fastest with ``best``), after a warm-up.

    The warm-up run is not counted: it writes Python's bytecode and smplan's
    user cache, as the first run on any machine does (``warm_up=False`` where a
    run changes what the next one measures, like filling a cache). Bytecode is
    written even where PYTHONDONTWRITEBYTECODE is set (as in some sandboxes):
    pip compiles installed packages, so no user's start-up compiles sources.
    Peak memory is the largest over the runs, of the largest single process.
    """
    environ = {**os.environ, "NO_COLOR": "1", **(env or {})}
    environ.pop("PYTHONDONTWRITEBYTECODE", None)
    quiet = subprocess.DEVNULL
    if warm_up:
        subprocess.run(argv, cwd=cwd, env=environ, check=False, stdout=quiet, stderr=quiet)
    runs: list[tuple[float, float]] = []
    peaks: list[float] = []
    code = 0
    for _ in range(repeat):
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=environ, stdout=quiet, stderr=quiet)
        _, status, usage = os.wait4(proc.pid, 0)
        runs.append((time.perf_counter() - started, usage.ru_utime + usage.ru_stime))
        # ru_maxrss covers the process and the children it waited for (KB on Linux).
        peaks.append(usage.ru_maxrss / 1024)
        code = code or os.waitstatus_to_exitcode(status)
    if best:
        wall, cpu = min(runs)
    else:
        wall, cpu = (statistics.median(figures) for figures in zip(*runs, strict=True))
    return Measurement(label, wall, cpu, max(peaks), code)


def tool(name: str) -> str | None:
    """A console script next to this interpreter, else on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), name)
    return beside if os.path.exists(beside) else shutil.which(name)


def smplan_command() -> str:
    """The installed ``smplan`` console script; a benchmark without it stops here."""
    found = tool("smplan")
    if found is None:
        print("smplan is not installed (pip install .)", file=sys.stderr)
        raise SystemExit(2)
    return found


def ratio(slow: Measurement | None, fast: Measurement | None) -> str:
    if slow is None or fast is None or fast.seconds <= 0:
        return "n/a"
    return f"{slow.seconds / fast.seconds:.1f}x"
