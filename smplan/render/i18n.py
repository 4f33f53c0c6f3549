"""Label catalogues: every word the document prints that the plan did not write.

Catalogues are YAML files named by language (``en.yaml``, ``ru.yaml``) in
``renderers/i18n/`` and, optionally, in a theme's own ``i18n/`` folder (the
theme's labels win). Keys are nested in the files and dotted here
(``section.kpis``). A key missing in the plan's language falls back to
English, so a half-translated catalogue still gives a complete document.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from smplan.diagnostics import SmplanError
from smplan.render.theme import read_theme_text

FALLBACK = "en"


def base_language(tag: str) -> str:
    """``es-MX`` -> ``es``: catalogues are per language, Babel handles regions."""
    return tag.replace("_", "-").split("-")[0].lower()


class LabelError(SmplanError):
    """A label that is not text; ``keys`` is where it sits in the nested catalogue."""

    def __init__(self, keys: tuple[str, ...], value: object) -> None:
        super().__init__(f"label '{'.'.join(keys)}' must be text, not {type(value).__name__}")
        self.keys = keys


def flatten(
    data: Mapping[str, Any], prefix: str = "", *, keys: tuple[str, ...] = ()
) -> dict[str, str]:
    """Nested mappings to dotted keys; leaves must be strings."""
    flat: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}.", keys=(*keys, str(key))))
        elif isinstance(value, str):
            flat[name] = value
        else:
            raise LabelError((*keys, str(key)), value)
    return flat


def read_catalogue(folder: Traversable, language: str) -> dict[str, str]:
    """One catalogue file as dotted keys; an absent file is an empty catalogue."""
    for suffix in (".yaml", ".yml"):
        entry = folder / f"{language}{suffix}"
        if entry.is_file():
            text = read_theme_text(entry)
            try:
                data = yaml.safe_load(text)
            except yaml.MarkedYAMLError as exc:
                mark = exc.problem_mark or exc.context_mark
                where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
                raise SmplanError(
                    f"{entry}:{where}: invalid label catalogue: {exc.problem or exc}"
                ) from None
            except yaml.YAMLError as exc:
                raise SmplanError(f"{entry}:1:1: invalid label catalogue: {exc}") from None
            if data is None:
                return {}
            if not isinstance(data, Mapping):
                raise SmplanError(f"{entry}:1:1: a label catalogue must be a mapping")
            try:
                return flatten(data)
            except LabelError as exc:
                line, column = _locate(text, exc.keys)
                raise SmplanError(f"{entry}:{line}:{column}: {exc}") from None
    return {}


def _locate(text: str, keys: tuple[str, ...]) -> tuple[int, int]:
    """Line and column of the value at ``keys`` (nested mapping keys) in YAML text."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    for key in keys:
        if node is None or not isinstance(node, yaml.MappingNode):
            break
        node = next((v for k, v in node.value if str(k.value) == key), None)
    if node is None:
        return 1, 1
    return node.start_mark.line + 1, node.start_mark.column + 1


@dataclass(slots=True)
class Labels:
    """Look up a label in the document's language, else English, else show the key."""

    language: str
    chain: list[dict[str, str]] = field(default_factory=list)

    def get(self, key: str, default: str | None = None, **values: object) -> str:
        for catalogue in self.chain:
            if key in catalogue:
                text = catalogue[key]
                break
        else:
            text = key if default is None else default
        if values:
            try:
                return text.format(**values)
            except (KeyError, IndexError, ValueError):
                return text
        return text

    __call__ = get

    def has(self, key: str) -> bool:
        return any(key in catalogue for catalogue in self.chain)


def load_labels(language: str, folders: Iterable[Traversable]) -> Labels:
    """The lookup chain: each folder's catalogue for the language, then English.

    ``folders`` come in search order (user theme first, shipped labels last).
    """
    folders = list(folders)
    languages = [base_language(language)]
    if FALLBACK not in languages:
        languages.append(FALLBACK)
    chain = [read_catalogue(folder, lang) for lang in languages for folder in folders]
    return Labels(language=base_language(language), chain=[c for c in chain if c])
