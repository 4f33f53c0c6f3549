"""Write files whole or not at all (temp file in the same folder + ``os.replace``).

A CI step that reads a half-written SARIF file or baseline fails in confusing
ways; a reader here sees either the old file or the new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from smplan.diagnostics import SmplanError


def check_writable(path: Path) -> None:
    """Fail before the work when the output could not be written afterwards."""
    folder = path.parent
    if path.is_dir():
        raise SmplanError(f"{path}: is a folder; name a file to write")
    if not folder.is_dir():
        raise SmplanError(f"{path}: cannot write: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SmplanError(f"{path}: cannot write: folder {folder} is not writable")


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically; errors are one line."""
    check_writable(path)
    folder = path.parent
    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if path.exists():
            # Keep the permissions of the file being replaced (mkstemp makes 0600).
            os.chmod(temp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
        temp = None
    except OSError as exc:
        raise SmplanError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
