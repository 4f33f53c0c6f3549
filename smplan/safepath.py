"""Resolve a path that a plan, a config or the command line names, without a traceback.

``Path.resolve`` raises RuntimeError on a symlink loop (OSError from Python
3.13) and ValueError on a NUL byte: neither is smplan's bug, both are a
problem with what the user wrote. :func:`resolve` turns them into
:class:`PathProblem`, whose message is a phrase ("is a symlink loop") that the
caller puts after the name it knows the path by, at the position it has.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from smplan.diagnostics import SmplanError

LOOP = "is a symlink loop (or a link through one)"
NUL = "contains a NUL byte, which no file name can"


class PathProblem(SmplanError):
    """Why a path cannot name a file; the message follows the path's name."""


def check_name(text: str | os.PathLike[str]) -> None:
    """A NUL byte is refused before the operating system sees the name."""
    if "\0" in os.fspath(text):
        raise PathProblem(NUL)


def resolve(path: Path) -> Path:
    """``path.resolve()``, or :class:`PathProblem` for a loop or a NUL byte."""
    check_name(path)
    try:
        return path.resolve()
    except RuntimeError:  # Python < 3.13: "Symlink loop from '...'"
        raise PathProblem(LOOP) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise PathProblem(LOOP) from None
        raise
