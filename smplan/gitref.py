"""Plan files as they were at a git revision, for ``--diff-base`` and ``diff --base``.

Git is driven through its command line (no library), and every failure
becomes one clear line: git missing, not a repository, an unknown revision.
:func:`export` copies plans at a revision into a folder with the same
relative layout, following their ``imports:`` so they load as they did then.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from smplan.diagnostics import SmplanError
from smplan.source import decode, load_text


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, stdin=subprocess.DEVNULL, check=False
        )
    except FileNotFoundError:
        raise SmplanError("git is not installed (or not on PATH); it is needed here") from None
    except OSError as exc:
        raise SmplanError(f"cannot run git: {exc.strerror or exc}") from None


def _first_line(raw: bytes) -> str:
    lines = raw.decode("utf-8", errors="replace").strip().splitlines()
    return lines[0].removeprefix("fatal: ") if lines else "git failed"


@dataclass(frozen=True, slots=True)
class Repo:
    """A git working tree, addressed by its top folder."""

    root: Path

    @classmethod
    def find(cls, start: Path) -> Repo:
        folder = start if start.is_dir() else start.parent
        done = _git(["rev-parse", "--show-toplevel"], folder)
        if done.returncode != 0:
            reason = _first_line(done.stderr)
            detail = "" if "not a git repository" in reason else f" ({reason})"
            raise SmplanError(f"{folder}: not in a git repository{detail}")
        return cls(Path(os.fsdecode(done.stdout.strip())).resolve())

    def commit(self, ref: str) -> str:
        """The commit a revision names (branch, tag, SHA, ``HEAD~1``...)."""
        if not ref or ref.startswith("-"):
            raise SmplanError(f"invalid git revision '{ref}'")
        done = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], self.root)
        if done.returncode != 0:
            raise SmplanError(f"unknown git revision '{ref}' in {self.root}")
        return done.stdout.decode().strip()

    def relative(self, path: Path) -> str | None:
        """``path`` relative to the top folder (POSIX), or None when outside it."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None

    def read(self, commit: str, relative: str) -> bytes | None:
        """A file's bytes at ``commit``; None when it did not exist there."""
        done = _git(["cat-file", "blob", f"{commit}:{relative}"], self.root)
        return done.stdout if done.returncode == 0 else None

    def files(self, commit: str, folders: Iterable[str]) -> list[str]:
        """Every file under ``folders`` (relative, POSIX; "" is the whole tree) at ``commit``."""
        paths = [f for f in folders if f] or ["."]
        done = _git(["ls-tree", "-r", "-z", "--name-only", "--full-tree", commit, "--"], self.root)
        if done.returncode != 0:
            raise SmplanError(f"cannot list files at {commit[:12]}: {_first_line(done.stderr)}")
        # Names are bytes in git; fsdecode round-trips one that is not UTF-8.
        names = [os.fsdecode(n) for n in done.stdout.split(b"\0") if n]
        if paths == ["."]:
            return names
        return [n for n in names if any(n == p or n.startswith(p + "/") for p in paths)]


def export(repo: Repo, commit: str, files: Iterable[str], dest: Path) -> set[str]:
    """Write ``files`` (relative) as of ``commit`` under ``dest``, with what they import.

    Returns the files written; a file absent at ``commit`` is simply skipped.
    Imports leaving the repository are not followed (the loader reports them).
    """
    queue = list(files)
    seen: set[str] = set()
    written: set[str] = set()
    while queue:
        relative = queue.pop()
        if relative in seen:
            continue
        seen.add(relative)
        blob = repo.read(commit, relative)
        if blob is None:
            continue
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
        written.add(relative)
        queue.extend(_imports(blob, relative))
    return written


def _imports(blob: bytes, relative: str) -> list[str]:
    text, _problem = decode(blob, relative)
    if text is None or "imports" not in text:
        return []
    data = load_text(text, relative).data
    entries = data.get("imports") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    found = []
    for entry in entries:
        if isinstance(entry, str) and not posixpath.isabs(entry):
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(relative), entry))
            if joined != ".." and not joined.startswith("../"):
                found.append(joined)
    return found
