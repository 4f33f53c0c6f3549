"""Themes: a search path of folders, user theme first and the default theme last.

Like mkdocs' themes, a user theme holds only what it changes: a template
(``section/kpis.html.j2``), the CSS (``style.css``, ``print.css``), brand
colours (``brand.css``, CSS custom properties), a logo (``logo.svg`` or
``logo.png``) or labels (``i18n/en.yaml``); everything else comes from the
default theme. A template can extend the one it replaces through the
``default/`` prefix: ``{% extends "default/plan.html.j2" %}``.

Shipped files are read through importlib.resources, so a wheel install
works like the checkout.
"""

from __future__ import annotations

import base64
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath
from typing import Any

from jinja2 import (
    BaseLoader,
    Environment,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)

from smplan.diagnostics import SmplanError
from smplan.resources import data_dir
from smplan.source import decode

DEFAULT_PREFIX = "default/"

MEDIA_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}

_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')]+)(?P=q)\s*\)""")
_CUSTOM_PROPERTY = re.compile(r"--(?P<name>[a-z0-9-]+)\s*:\s*(?P<value>[^;{}]+)")
_SAFE_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]+|(rgb|hsl)a?\([0-9.,%\s]+\))$")


def _safe_relative(name: str) -> PurePosixPath | None:
    """A relative path that stays inside its folder, or None."""
    if not name or "\\" in name or ":" in name or name.startswith(("/", "~")):
        return None
    path = PurePosixPath(name)
    if any(part in ("..", "") for part in path.parts):
        return None
    return path


def _child(folder: Traversable, path: PurePosixPath) -> Traversable:
    """``folder/path``, refused when a link takes it out of the folder.

    A user theme lives in the linted repository: ``logo.svg -> /etc/passwd``
    would otherwise be inlined into the page for everyone who reads it.
    """
    entry = folder
    for part in path.parts:
        entry = entry / part
    if isinstance(folder, Path) and isinstance(entry, Path) and entry.exists():
        real, home = entry.resolve(), folder.resolve()
        if not real.is_relative_to(home):
            raise SmplanError(
                f"{entry}: links outside the theme folder {folder}; "
                "a theme may use only its own files"
            )
    return entry


def data_uri(name: str, content: bytes) -> str:
    media = MEDIA_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")
    return f"data:{media};base64,{base64.b64encode(content).decode('ascii')}"


@dataclass(frozen=True, slots=True)
class Palette:
    """Concrete colours for the SVG charts, taken from the theme's CSS custom properties.

    WeasyPrint does not resolve ``var()`` inside SVG, so charts get the
    colours as values at build time.
    """

    ink: str = "#1d2b36"
    muted: str = "#5b6b78"
    line: str = "#d5dde3"
    paper: str = "#ffffff"
    accent: str = "#0b6e5f"
    series: tuple[str, ...] = ("#0b6e5f", "#c8553d", "#2f5d8a", "#b48a1e", "#6a4c93", "#3f8f3a")
    font: str = "Inter, 'smplan Emoji', 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"


class Theme:
    """The folders of a theme, searched in order."""

    def __init__(self, user: Path | None = None) -> None:
        self.default: Traversable = data_dir("renderers") / "default"
        self.user = user
        folders: list[Traversable] = []
        if user is not None:
            if not user.is_dir():
                raise SmplanError(f"{user}: theme folder does not exist")
            folders.append(user)
        folders.append(self.default)
        self.folders = folders

    # ------------------------------------------------------------ lookup
    def find(self, name: str) -> tuple[Traversable, Traversable] | None:
        """The first (folder, file) holding ``name``; ``default/`` skips the user theme."""
        folders = self.folders
        if name.startswith(DEFAULT_PREFIX):
            name = name[len(DEFAULT_PREFIX) :]
            folders = [self.default]
        path = _safe_relative(name)
        if path is None:
            return None
        for folder in folders:
            entry = _child(folder, path)
            if entry.is_file():
                return folder, entry
        return None

    def read_text(self, name: str) -> str | None:
        found = self.find(name)
        return read_theme_text(found[1]) if found else None

    def label_folders(self) -> list[Traversable]:
        """Where label catalogues live: ``i18n/`` in a user theme, then the shipped ones."""
        folders: list[Traversable] = []
        if self.user is not None:
            folders.append(self.user / "i18n")
        folders.append(data_dir("renderers") / "i18n")
        return folders

    def real_folders(self) -> list[Path]:
        """Theme folders that exist on disk (what the PDF fetcher may read)."""
        return [Path(str(f)).resolve() for f in self.folders if isinstance(f, Path)]

    # --------------------------------------------------------------- assets
    def stylesheet(self, name: str) -> str:
        """A CSS file with its relative ``url()``s inlined as data URIs."""
        found = self.find(name)
        if found is None:
            return ""
        folder, entry = found
        return inline_urls(read_theme_text(entry), folder)

    def logo(self) -> str | None:
        """``logo.svg`` or ``logo.png`` from the theme, as a data URI."""
        for name in ("logo.svg", "logo.png"):
            found = self.find(name)
            if found:
                return data_uri(name, found[1].read_bytes())
        return None

    def palette(self, css: str) -> Palette:
        """Chart colours from ``--ink``, ``--muted``, ``--line``, ``--accent``, ``--chart-N``."""
        values: dict[str, str] = {}
        for match in _CUSTOM_PROPERTY.finditer(_strip_comments(css)):
            value = match["value"].strip()
            if _SAFE_COLOUR.match(value):
                values[match["name"]] = value
        default = Palette()
        series = tuple(values.get(f"chart-{i}", c) for i, c in enumerate(default.series, 1))
        return Palette(
            ink=values.get("ink", default.ink),
            muted=values.get("muted", default.muted),
            line=values.get("line", default.line),
            paper=values.get("paper", default.paper),
            accent=values.get("accent", default.accent),
            series=series,
        )

    def loader(self) -> ThemeLoader:
        return ThemeLoader(self)

    def environment(
        self, filters: dict[str, Callable[..., Any]], *, autoescape: bool
    ) -> Environment:
        """One Jinja setup for every format; only escaping differs (HTML: always).

        A theme may come from the linted repository (its config picks it) and
        is rendered on pull requests by the Action: it runs in Jinja's
        sandbox, so a template reaches the documented context and
        filters and no Python object's internals (``cycler.__init__.__globals__``).
        """
        from jinja2.sandbox import SandboxedEnvironment

        from smplan.render.templatecache import template_cache

        settings = f"sandbox autoescape={autoescape} undefined=strict trim lstrip keep-newline"
        env = SandboxedEnvironment(
            loader=self.loader(),
            autoescape=autoescape,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=template_cache(settings),
        )
        env.filters.update(filters)
        return env


def read_theme_text(entry: Traversable) -> str:
    """A template, stylesheet or catalogue as text; bytes that are not UTF-8 are an error."""
    text, problem = decode(entry.read_bytes(), str(entry))
    if problem is not None:
        raise SmplanError(f"{problem.file}:{problem.line}:{problem.column}: {problem.message}")
    assert text is not None
    return text


def template_failure(exc: Exception, theme: Theme) -> SmplanError | None:
    """A user theme's template that failed, as ``file:line: problem``; None otherwise.

    A syntax error names its template; an error while rendering (an undefined
    name, a missing include, ``1/0``) is found in the traceback, where Jinja
    puts a frame per template line. Failures in the default theme's own
    templates are smplan's bugs and keep their traceback.
    """
    if theme.user is None:
        return None
    if isinstance(exc, TemplateSyntaxError):
        places = [(exc.filename or exc.name or "", exc.lineno)]
    else:
        places = [
            (frame.f_code.co_filename, line)
            for frame, line in traceback.walk_tb(exc.__traceback__)
            if frame.f_code.co_filename.endswith(".j2")
        ]
    mine = [(name, line) for name, line in places if Path(name).is_relative_to(theme.user)]
    if not mine:
        return None
    name, line = mine[-1]  # the innermost line of the user's templates
    if isinstance(exc, TemplateNotFound):
        problem = f"template '{exc.name}' not found in the theme or the default theme"
    elif isinstance(exc, TemplateError):
        problem = exc.message or type(exc).__name__
    else:
        problem = f"{type(exc).__name__}: {exc}"
    return SmplanError(f"{name}:{line}: template error: {problem}")


def _strip_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def inline_urls(css: str, folder: Traversable) -> str:
    """Make a stylesheet self-contained: relative ``url()``s become data URIs.

    Only files inside the stylesheet's own folder are read; any other URL is
    left alone (and refused later by the page's Content-Security-Policy and
    the PDF's URL fetcher).
    """

    def replace(match: re.Match[str]) -> str:
        url = match["url"].strip()
        path = _safe_relative(url.split("#")[0].split("?")[0])
        if path is None:
            return match[0]
        entry = _child(folder, path)
        if not entry.is_file():
            return match[0]
        return f'url("{data_uri(path.name, entry.read_bytes())}")'

    return _CSS_URL.sub(replace, css)


class ThemeLoader(BaseLoader):
    """Jinja2 loader over the theme's search path (works inside a wheel too)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        found = self.theme.find(template)
        if found is None:
            raise TemplateNotFound(template)
        source = read_theme_text(found[1])
        return source, str(found[1]), lambda: True
