"""Turn a language written as a name ("Português", "Deutsch", "русский") into its tag.

Plans are written by marketers who type the language the way they say it.
Babel knows every language's name in many languages; the lookup runs only on
the error path (a `language` that is not a BCP 47 tag), so its cost of loading
a few locales is paid once, by a plan that needs the hint.
"""

from __future__ import annotations

import functools
import unicodedata

# Languages whose names for other languages are searched; each language's own
# name for itself is searched too.
_NAMING_LOCALES = (
    "en", "ru", "es", "de", "fr", "pt", "it", "nl", "pl", "uk", "tr", "ar", "zh", "ja", "ko",
)  # fmt: skip


def tag_for(name: str) -> str | None:
    """The BCP 47 tag of a language name in any of the naming locales, else None."""
    key = _fold(name)
    return _index().get(key) if key else None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def _index() -> dict[str, str]:
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:  # pragma: no cover - Babel is a dependency
        return {}
    index: dict[str, str] = {}
    for code in _NAMING_LOCALES:
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError):  # pragma: no cover - Babel ships these
            continue
        for tag, name in locale.languages.items():
            index.setdefault(_fold(name), tag.replace("_", "-"))
    for code in _NAMING_LOCALES:  # a language's own name wins over a lookalike
        own = Locale.parse(code).get_display_name(code)
        if own:
            index[_fold(own.split(" (")[0])] = code
    return index
