"""Shared helpers for the build tests: tools that may be missing, and building.

A test that needs an outside tool (markdownlint, the Nu HTML Checker,
Chromium) skips when the tool is absent on a developer's machine, but
fails under ``CI=true``: CI must never go green by skipping.
``.ci/install-build-tools.sh`` installs every tool.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "build"
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = ROOT / "examples"
NODE_BIN = ROOT / ".ci" / "node" / "node_modules" / ".bin"
VNU_JAR = ROOT / ".ci" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path("/usr/bin/chromium")
TODAY = date(2027, 1, 15)
"""The fixed date every build test lints against (reproducible findings)."""

QUIET_CONFIG = FIXTURES / "quiet.smplan.toml"
"""A config that selects no rule: documents independent of the rule catalogue."""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(available: bool, what: str) -> None:
    """Skip locally, fail in CI, when ``what`` is not installed."""
    if available:
        return
    message = f"{what} is not installed; run .ci/install-build-tools.sh"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def markdownlint() -> list[str]:
    local = NODE_BIN / "markdownlint-cli2"
    command = str(local) if local.exists() else shutil.which("markdownlint-cli2")
    require(command is not None, "markdownlint-cli2 (npm)")
    assert command is not None
    return [command]


def vnu() -> list[str]:
    java = shutil.which("java")
    require(java is not None and VNU_JAR.is_file(), "the Nu HTML Checker (java + npm vnu-jar)")
    assert java is not None
    return [java, "-jar", str(VNU_JAR)]


# Headless, offline and quiet: no GPU, no sandbox (CI runs as root), no update checks.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    require(CHROMIUM.exists(), "Chromium (Debian package chromium)")
    return str(CHROMIUM)


@functools.cache
def chromium_env() -> dict[str, str]:
    """The environment for Chromium: the system's fonts plus the default theme's.

    Chromium will not start on a machine whose fontconfig sees no font at all
    (a bare container); the documents embed their fonts, so the browser gets
    the theme's fonts folder as well and the tests run on any machine.
    """
    folder = Path(tempfile.mkdtemp(prefix="smplan-fontconfig-"))
    system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    (folder / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
        f'<include ignore_missing="yes">{escape(system)}</include>'
        f"<dir>{escape(str(ROOT / 'renderers' / 'default' / 'fonts'))}</dir>"
        f"<cachedir>{escape(str(folder / 'cache'))}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(folder / "fonts.conf")}


def example(name: str) -> Path:
    return EXAMPLES / name / f"{name}.smplan.yaml"
