"""Write files whole or not at all (temp file in the same folder + ``os.replace``).

A CI step that reads a half-written SARIF file or baseline fails in confusing
ways; a reader here sees either the old file or the new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from smplan import safepath
from smplan.diagnostics import SmplanError


def check_writable(path: Path) -> None:
    """Fail before the work when the output could not be written afterwards."""
    folder = path.parent
    try:
        safepath.resolve(path)
    except safepath.PathProblem as exc:
        raise SmplanError(f"{path}: {exc}; name another file to write") from None
    if path.is_dir():
        raise SmplanError(f"{path}: is a folder; name a file to write")
    if not folder.is_dir():
        raise SmplanError(f"{path}: cannot write: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SmplanError(f"{path}: cannot write: folder {folder} is not writable")


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically; errors are one line."""
    check_writable(path)
    try:
        with StagedFiles() as staged:
            # A file name that is not UTF-8 is escaped (b\udcff.yaml), as on stdout and
            # stderr: the report stays valid UTF-8, and JSON reads the escape back.
            staged.write(path, text.encode("utf-8", "backslashreplace"))
            staged.commit()
    except OSError as exc:
        raise SmplanError(f"{path}: cannot write: {exc.strerror or exc}") from None


class StagedFiles:
    """Files written under temporary names beside their targets, renamed together.

    A build of several plans that fails on the third leaves every earlier
    document as it was, not a mix of new and old; leaving the ``with`` block
    without :meth:`commit` (an error, Ctrl-C) removes the temporary files.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[str, Path]] = []  # (temporary file, target)

    def write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self._staged.append((temp, path))
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # Keep the permissions of the file being replaced (mkstemp makes 0600).
        os.chmod(temp, _file_mode(path))

    def commit(self) -> None:
        while self._staged:
            temp, path = self._staged[0]
            os.replace(temp, path)
            self._staged.pop(0)

    def discard(self) -> None:
        for temp, _ in self._staged:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        self._staged.clear()

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(self, *_: object) -> None:
        self.discard()


def _file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
