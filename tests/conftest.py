"""Shared helpers: run the CLI in-process or as a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from smplan.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = ROOT / "examples"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_tool(name: str) -> str:
    """Path of an external tool; skip locally when absent, fail under CI=true."""
    found = shutil.which(name)
    if found:
        return found
    if IN_CI:
        pytest.fail(f"{name} is required under CI=true but is not installed")
    pytest.skip(f"{name} is not installed")


@pytest.fixture(autouse=True)
def _cache_outside_the_checkout(tmp_path_factory, monkeypatch):
    """Lint runs in tests cache in a temporary folder, never in the repository."""
    monkeypatch.setenv("SMPLAN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


class Result:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr

    def __repr__(self) -> str:
        return f"Result(code={self.code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


@pytest.fixture
def cli():
    """Invoke smplan in-process (fast); stdout and stderr kept apart."""

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        outcome = runner.invoke(main, list(args), env=env, catch_exceptions=False)
        return Result(outcome.exit_code, outcome.stdout, outcome.stderr)

    return run


@pytest.fixture
def smplan_process():
    """Run ``python -m smplan`` as a real process (exit codes, no traceback)."""

    def run(
        *args: str,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 60,
        stdin: str | None = None,
    ) -> Result:
        full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
        done = subprocess.run(
            [sys.executable, "-m", "smplan", *args],
            cwd=cwd,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=timeout,
            **({"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}),
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run
