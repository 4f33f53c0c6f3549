"""The PDF output: WeasyPrint renders the HTML with the print stylesheet.

The URL fetcher is the security boundary: it serves ``data:`` URIs and
files inside the theme folders and the plan's folder, and refuses the
network and every other file. The bundled fonts (with Cyrillic) are
inlined from the theme's ``fonts.css``, and the running headers come from
``pdf.css`` (paged-media CSS browsers lack), both for the PDF only, so the
HTML stays light and valid.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from smplan.render.theme import Theme, inline_urls, read_theme_text

_MISSING_GLYPH = re.compile(
    r"^\.notdef glyph rendered for Unicode string unsupported by fonts: "
    r".*\(U\+(?P<code>[0-9A-F]+)\)$",
    re.S,
)
_NO_SYSTEM_FONTS = r"(No fonts configured in FontConfig|FontConfig cannot load default config file)"
FONT_EPOCH = "0"
"""``SOURCE_DATE_EPOCH`` while a PDF is written, unless the caller set one."""


@dataclass(slots=True)
class PdfResult:
    data: bytes
    refused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _fetcher_class() -> type[Any]:
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        """Serves data: URIs and files under the allowed folders; refuses all else."""

        def __init__(self, roots: Sequence[Path]) -> None:
            super().__init__(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False)
            self.roots = [root.resolve() for root in roots]
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                path = Path(unquote(urlparse(url).path)).resolve()
                if path.is_file() and any(path.is_relative_to(root) for root in self.roots):
                    return super().fetch(url, headers)
            self.refused.append(url if len(url) < 200 else url[:197] + "...")
            raise ValueError(f"smplan refuses to fetch {url[:200]}")

    return SafeFetcher


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _captured_logs() -> Iterator[_Collect]:
    """WeasyPrint's CSS warnings go to a list (tests read it), not to stderr."""
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in ("weasyprint", "weasyprint.progress")]
    saved = [(lg.propagate, lg.level) for lg in loggers]
    loggers[0].addHandler(handler)
    for lg in loggers:
        lg.propagate = False
    loggers[0].setLevel(logging.WARNING)
    try:
        yield handler
    finally:
        loggers[0].removeHandler(handler)
        for lg, (propagate, level) in zip(loggers, saved, strict=True):
            lg.propagate = propagate
            lg.setLevel(level)


def _summarised(messages: list[str]) -> list[str]:
    """WeasyPrint's warnings, with its one warning per missing glyph made one note."""
    missing: dict[int, None] = {}
    others: list[str] = []
    for message in messages:
        found = _MISSING_GLYPH.match(message)
        if found:
            missing[int(found["code"], 16)] = None
        else:
            others.append(message)
    if missing:
        chars = ", ".join(f"{chr(code)} (U+{code:04X})" for code in missing)
        count = len(missing)
        others.append(
            f"{count} character{'s' if count > 1 else ''} in no font of the theme or the system, "
            f"printed as empty boxes: {chars}"
        )
    return others


@contextmanager
def _reproducible_fonts() -> Iterator[None]:
    """Fonts WeasyPrint rewrites (variable and colour fonts) keep a fixed timestamp.

    fontTools stamps the ``head`` table of every font it saves with the
    time, unless ``SOURCE_DATE_EPOCH`` says otherwise: without this, two PDFs
    of the same plan differed in that table.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = FONT_EPOCH
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _font_stylesheet(theme: Theme) -> tuple[str, str | None]:
    """``fonts.css`` and the URL its ``url()``s resolve against.

    From a theme folder on disk WeasyPrint reads the font files itself,
    through the fetcher (which allows the theme folders): inlining them as
    base64 first made it tokenise 1.4 MB of CSS, a sixth of a second per
    PDF. A theme read from a zip is inlined as before.
    """
    found = theme.find("fonts.css")
    if found is None:
        return "", None
    folder, entry = found
    text = read_theme_text(entry)
    if isinstance(folder, Path):
        return text, folder.resolve().as_uri() + "/"
    return inline_urls(text, folder), None


EMOJI_ALIASES = (
    "Noto Color Emoji",
    "Apple Color Emoji",
    "Segoe UI Emoji",
    "Twitter Color Emoji",
    "EmojiOne Mozilla",
    "Emoji Two",
    "JoyPixels",
    "Emoji One",
    "Noto Emoji",
    "Android Emoji",
)
"""The system fonts fontconfig's stock ``60-generic.conf`` puts before ``emoji``."""

_rules_loaded = False


def _emoji_rules() -> bytes:
    drop = "".join(
        '<match target="pattern"><test name="lang" compare="contains"><string>und-zsye</string>'
        f'</test><test name="family"><string>{name}</string></test>'
        '<edit name="family" mode="delete"/></match>'
        for name in EMOJI_ALIASES
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        '<fontconfig><match target="pattern"><edit name="color" mode="delete_all"/></match>'
        f"{drop}</fontconfig>\n"
    ).encode()


def _theme_emoji_first() -> None:
    """Emoji come from the theme's font named ``emoji``, never from a system font first.

    Pango sets every run of emoji in the family ``emoji``, and fontconfig's
    stock rules turn that name into the system's emoji fonts and ask for a
    colour font, which ranks above every family: a machine with a colour
    emoji font printed its own emoji instead of the theme's, so the PDF
    looked different on every machine. Two rules undo that: no colour
    preference, and no system emoji font ahead of the fonts that call
    themselves ``emoji`` (the default theme's ``fonts.css`` declares its
    emoji font under that name too). A system emoji font still serves an
    emoji the theme lacks. Pango's FreeType backend reads these rules from
    fontconfig's current configuration, so they are added there, once per
    process; they only change how fonts are picked for a document.
    """
    global _rules_loaded
    if _rules_loaded:
        return
    _rules_loaded = True
    import ctypes

    for name in ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll"):
        try:
            library = ctypes.CDLL(name)  # the copy WeasyPrint loaded: one current configuration
        except OSError:
            continue
        library.FcConfigGetCurrent.restype = ctypes.c_void_p
        library.FcConfigParseAndLoadFromMemory.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_int,
        ]
        current = library.FcConfigGetCurrent()
        if current:
            library.FcConfigParseAndLoadFromMemory(current, _emoji_rules(), 1)
        return


def warm_up() -> None:
    """Import WeasyPrint now (the PDF worker does it while the HTML is made)."""
    _import_weasyprint()


def _import_weasyprint() -> None:
    """Import WeasyPrint without the 50 subprocesses its library search costs.

    WeasyPrint tries several names for each of Pango's libraries, and cffi
    asks ``ctypes.util.find_library`` about each name that does not load;
    on Linux every such question runs ``ldconfig``, ``gcc`` and ``ld``: a
    fifth of a second of a half-second import. During the import the
    question is answered from one ``ldconfig -p`` listing instead (the rule
    ``find_library`` itself applies first); should a library be missing from
    that listing, the import is simply done again the usual way.
    """
    if "weasyprint" in sys.modules:
        return
    import warnings

    with warnings.catch_warnings():  # the theme's own fonts are enough
        warnings.filterwarnings("ignore", _NO_SYSTEM_FONTS, UserWarning)
        _import_quickly()


def _import_quickly() -> None:
    listing = _ldconfig_listing()
    if listing:
        import ctypes.util

        original = ctypes.util.find_library
        ctypes.util.find_library = lambda name: _soname(listing, name)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                import weasyprint  # type: ignore[import-untyped]

            return
        except OSError:  # a library ldconfig does not list: the usual search finds it
            for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
                del sys.modules[name]
        finally:
            ctypes.util.find_library = original
    import weasyprint  # noqa: F401


def _ldconfig_listing() -> bytes:
    """``ldconfig -p`` (the dynamic linker's cache), or nothing off glibc Linux."""
    if not sys.platform.startswith("linux"):
        return b""
    import subprocess

    try:
        return subprocess.run(
            ["/sbin/ldconfig", "-p"],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            env={"LC_ALL": "C", "LANG": "C"},
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return b""


def _soname(listing: bytes, name: str) -> str | None:
    """What ``find_library(name)`` answers from the linker cache (CPython's own rule)."""
    import platform
    import struct

    machine = platform.machine() + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = {
        "x86_64-64": "libc6,x86-64",
        "ppc64-64": "libc6,64bit",
        "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit",
        "ia64-64": "libc6,IA-64",
    }.get(machine, "libc6")
    pattern = rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}"
    found = re.search(os.fsencode(pattern), listing)
    return os.fsdecode(found.group(1)) if found else None


def render_pdf(html: str, theme: Theme, *, base: Path, allowed: Sequence[Path]) -> PdfResult:
    """A tagged PDF (title, author, subject, language from the HTML's head)."""
    _import_weasyprint()
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

    fetcher = _fetcher_class()([*allowed, *theme.real_folders()])
    _theme_emoji_first()
    fonts = FontConfiguration()
    extra = [
        CSS(string=css, base_url=url, url_fetcher=fetcher, font_config=fonts)
        for css, url in (_font_stylesheet(theme), (theme.stylesheet("pdf.css"), None))
        if css.strip()
    ]
    with _captured_logs() as logs, _reproducible_fonts():
        document = HTML(string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=fetcher)
        data = document.write_pdf(stylesheets=extra, font_config=fonts, pdf_tags=True)
    return PdfResult(
        data=bytes(data or b""), refused=list(fetcher.refused), warnings=_summarised(logs.messages)
    )
