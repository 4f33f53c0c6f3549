"""Whole-process wall time and peak memory of a command, best of several runs."""

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
    seconds: float
    peak_mb: float
    exit_code: int

    def row(self) -> str:
        figures = f"{self.seconds:8.3f} s {self.peak_mb:8.1f} MB"
        return f"{self.label:<52} {figures}  (exit {self.exit_code})"


def run(
    label: str,
    argv: list[str],
    repeat: int = 3,
    cwd: str | None = None,
    *,
    warm_up: bool = True,
) -> Measurement:
    """Median wall time and the largest peak RSS over ``repeat`` runs, after a warm-up.

    The warm-up run is not counted: it writes Python's bytecode and smplan's
    user cache, as the first run on any machine does (``warm_up=False`` where a
    run changes what the next one measures, like filling a cache). Bytecode is
    written even where PYTHONDONTWRITEBYTECODE is set (as in some sandboxes):
    pip compiles installed packages, so no user's start-up compiles sources.
    """
    times: list[float] = []
    peaks: list[float] = []
    code = 0
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if warm_up:
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
    for _ in range(repeat):
        started = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env
        )
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - started)
        # ru_maxrss covers the process and the children it waited for (KB on Linux).
        peaks.append(usage.ru_maxrss / 1024)
        code = os.waitstatus_to_exitcode(status)
    return Measurement(label, statistics.median(times), max(peaks), code)


def tool(name: str) -> str | None:
    """A console script next to this interpreter, else on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), name)
    return beside if os.path.exists(beside) else shutil.which(name)


def ratio(slow: Measurement | None, fast: Measurement | None) -> str:
    if slow is None or fast is None or fast.seconds <= 0:
        return "n/a"
    return f"{slow.seconds / fast.seconds:.1f}x"
