"""Derived data kept between runs in the user's cache folder (``~/.cache/smplan``).

Start-up dominates a pre-commit run on one file. What smplan derives from its
own files (the parsed rule catalogue, the compiled plan validator) is the same
on every run, so it is pickled once, keyed by what it was derived from, and read
back in a few milliseconds. Any failure to read or write only costs speed.

The folder is the user's own, so its pickles are trusted as code is; what is
not trusted is that an entry holds what its reader expects (``expected``: a
value of another type is a miss) or that it is a regular file (a FIFO would
block the run).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar, overload

from smplan import __version__
from smplan.regularfile import open_regular

STALE_AFTER = 7 * 24 * 3600  # seconds
STALE_TEMP = 3600  # seconds: a temporary file this old is a write that was killed
T = TypeVar("T")


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


@overload
def read(kind: str, key: str) -> Any | None: ...


@overload
def read(kind: str, key: str, expected: type[T]) -> T | None: ...


def read(kind: str, key: str, expected: type[Any] = object) -> Any | None:
    """The object stored under ``kind`` and ``key``, or None when absent, unreadable,
    not a regular file or not an instance of ``expected``."""
    path = folder() / f"{kind}-{key}.pickle"
    try:
        with open_regular(path) as handle:
            if handle is None:
                return None
            value = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing or corrupt entry is rebuilt
        return None
    if not isinstance(value, expected):
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
    """Drop entries of ``kind`` unused for a week, so upgrades do not pile up files,
    and temporary files of writes that were killed.

    Entries in use by another installed version are read (and so touched) by it.
    """
    from smplan import safeglob

    now = time.time()
    base = folder()
    for pattern, age in ((f"{kind}-*.pickle", STALE_AFTER), (f".{kind}-*", STALE_TEMP)):
        for name in safeglob.iglob(pattern, base):
            entry = base / name
            try:
                if entry != keep and entry.lstat().st_mtime < now - age:
                    entry.unlink()
            except OSError:
                continue
