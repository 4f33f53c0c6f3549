"""WeasyPrint is imported without cffi's slow library search, and the same libraries load."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from smplan.render.pdf import _soname

pytest.importorskip("weasyprint")

LISTING = b"""\
\t2 libs found in cache `/etc/ld.so.cache'
\tlibpango-1.0.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libpango-1.0.so.0
\tlibpango-1.0.so.0 (libc6) => /lib/i386-linux-gnu/libpango-1.0.so.0
\tlibgobject-2.0.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libgobject-2.0.so.0
"""

REPORT = """
import ctypes.util
import weasyprint.text.ffi as ffi
libraries = ("gobject", "pango", "harfbuzz", "harfbuzz_subset", "harfbuzz_vector", "fontconfig", "pangoft2")
print(sorted(name for name in libraries if getattr(ffi, name) is not None))
print(ctypes.util.find_library.__module__)
"""


def run(code: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def test_soname_follows_find_librarys_rule() -> None:
    if sys.platform != "linux" or not sys.maxsize > 2**32:
        pytest.skip("the sample listing is for 64-bit Linux")
    import platform

    if platform.machine() != "x86_64":
        pytest.skip("the sample listing is for x86-64")
    assert _soname(LISTING, "pango-1.0") == "libpango-1.0.so.0"
    assert _soname(LISTING, "gobject-2.0") == "libgobject-2.0.so.0"
    assert _soname(LISTING, "libpango-1.0-0") is None  # a Windows-style name WeasyPrint tries
    assert _soname(LISTING, "harfbuzz") is None


def test_the_quick_import_loads_what_the_usual_import_loads() -> None:
    usual = run(REPORT)
    quick = run("from smplan.render import pdf\npdf.warm_up()\n" + REPORT)
    assert quick == usual
    assert quick[1] == "ctypes.util"  # find_library is put back


def test_a_library_missing_from_the_listing_falls_back_to_the_usual_search() -> None:
    code = """
    from smplan.render import pdf
    pdf._ldconfig_listing = lambda: b"nothing useful"
    pdf.warm_up()
    """
    assert run(textwrap.dedent(code) + REPORT) == run(REPORT)
