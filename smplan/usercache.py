"""Derived data kept between runs in the user's cache folder (``~/.cache/smplan``).

Start-up dominates a pre-commit run on one file. What smplan derives from its
own files (the parsed rule catalogue, the compiled plan validator) is the same
on every run, so it is pickled once, keyed by what it was derived from, and read
back in a few milliseconds. Any failure to read or write only costs speed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from smplan import __version__

STALE_AFTER = 7 * 24 * 3600  # seconds


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "smplan"


def key_of(files: Iterable[Any], *extra: str) -> str:
    """A key that changes with smplan's version, ``extra`` and each file's size and mtime."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}".encode())
    for part in extra:
        digest.update(f"\0{part}".encode())
    for entry in files:
        try:
            stat = os.stat(str(entry))
            digest.update(f"\0{entry.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        except OSError:  # not a real file (a zip import): hash the content
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:32]


def read(kind: str, key: str) -> Any | None:
    """The object stored under ``kind`` and ``key``, or None when absent or unreadable."""
    try:
        path = folder() / f"{kind}-{key}.pickle"
        with path.open("rb") as handle:
            value = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing or corrupt entry is rebuilt
        return None
    _touch(path)
    return value


def _touch(path: Path) -> None:
    """Mark an entry as in use (at most daily, to spare the disk a write per run)."""
    try:
        now = time.time()
        if now - path.stat().st_mtime > 24 * 3600:
            os.utime(path, (now, now))
    except OSError:
        return


def write(kind: str, key: str, value: Any) -> None:
    """Store atomically, so a concurrent run never reads half an entry."""
    import tempfile  # only on a miss

    path = folder() / f"{kind}-{key}.pickle"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{kind}-")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return  # a read-only home, or an unpicklable value, only costs speed
    _prune(kind, keep=path)


def _prune(kind: str, keep: Path) -> None:
    """Drop entries of ``kind`` unused for a week, so upgrades do not pile up files.

    Entries in use by another installed version are read (and so touched) by it.
    """
    old = time.time() - STALE_AFTER
    for entry in folder().glob(f"{kind}-*.pickle"):
        try:
            if entry != keep and entry.stat().st_mtime < old:
                entry.unlink()
        except OSError:
            continue
