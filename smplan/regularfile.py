"""Open a file only when it is a regular file, without blocking on a FIFO.

Caches sit where a repository (``.smplan_cache``) or a user (``~/.cache``)
can put anything: a named pipe in place of an entry would block a read for
ever, so it is opened non-blocking and checked before a byte is read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from io import BufferedReader
from pathlib import Path


@contextmanager
def open_regular(path: str | Path) -> Iterator[BufferedReader | None]:
    """The file open for reading, or None when it is missing or not a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        yield None
        return
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            yield None
            return
        with os.fdopen(fd, "rb", closefd=False) as handle:
            yield handle
    finally:
        os.close(fd)
