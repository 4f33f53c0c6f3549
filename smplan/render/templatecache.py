"""Compiled templates kept between runs, in the user's cache folder.

Jinja compiles every template of a theme to Python on each run: about
0.13 s of a 0.5 s HTML build. Jinja's bytecode cache stores the compiled
code; this one lives in ``~/.cache/smplan/templates/`` (``XDG_CACHE_HOME``
moves it, ``SMPLAN_NO_CACHE=1`` turns it off) and is safe to share between
runs, versions and themes:

- an entry is found by the template's name and file path, and used only
  when its source is byte-identical (Jinja stores a checksum of the source);
- the folder is named after what else shapes the compiled code: the
  versions of Jinja, smplan and Python, and the environment's settings;
- entries are written atomically (Jinja writes a temporary file, then
  renames it), and any entry that cannot be read or written only costs
  the compile it would have saved.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from smplan import __version__, usercache


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's file-system bytecode cache, made failure-proof."""

    def __init__(self, directory: Path) -> None:
        super().__init__(str(directory), "%s.jinja")

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a corrupt entry is compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            return  # a read-only or full disk only costs speed


def template_cache(settings: str) -> TemplateCache | None:
    """The cache for an environment with these ``settings``; None when turned off."""
    if os.environ.get("SMPLAN_NO_CACHE", "").strip() not in ("", "0"):
        return None
    identity = "\0".join(
        (jinja2.__version__, __version__, sys.implementation.cache_tag or "", settings)
    )
    key = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return TemplateCache(usercache.folder() / "templates" / key)
