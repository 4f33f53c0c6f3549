"""Helpers for the CI-facing tests (baselines, --diff-base, diff, action, pre-commit)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file; fail loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without GIT_* variables, so a test's git never touches
    another repository's index (GIT_INDEX_FILE, GIT_DIR set by a caller)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(extra)
    return env


def git(cwd: Path, *args: str) -> str:
    """Run git in a test repository with a fixed identity; its stdout, stripped."""
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env=clean_env(),
    )
    return done.stdout.strip()
