"""Small helpers shared by the category checks (strategy, content, crisis...)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from smplan.networks import network_key

__all__ = ["network_key"]  # re-exported: the checks import their helpers from here

if TYPE_CHECKING:
    from smplan.model import Channel
    from smplan.rules.base import CheckContext


class _HasId(Protocol):
    @property
    def id(self) -> str | None: ...


T = TypeVar("T", bound=_HasId)


def by_id(items: Iterable[T] | None) -> dict[str, tuple[int, T]]:
    """id -> (index, item) for the first item with each id, like ``PlanIndex``."""
    out: dict[str, tuple[int, T]] = {}
    for index, item in enumerate(items or ()):
        if item.id is not None:
            out.setdefault(item.id, (index, item))
    return out


def primary_language(tag: str) -> str:
    """The primary subtag of a BCP 47 tag: ``es-MX`` -> ``es``."""
    return tag.split("-", 1)[0].strip().lower()


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case-, accent- and separator-insensitive form of a short label."""
    if text.isascii():
        bare = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for sep in (" ", "_", "\t"):
        bare = bare.replace(sep, "-")
    return "-".join(part for part in bare.split("-") if part)


def listing(items: Sequence[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def number(value: float) -> str:
    """``2200`` -> ``2,200``; ``0.25`` -> ``0.25``; no trailing ``.0``."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def plural(count: float, word: str) -> str:
    """``1 character``, ``30 characters``."""
    return f"{number(count)} {word}" + ("" if count == 1 else "s")


def money(amount: float, currency: str | None) -> str:
    """``6,000 EUR``; cents only when there are some: ``6,000.50 EUR``."""
    amount = round(amount, 2)
    shown = number(amount) if amount == int(amount) else f"{amount:,.2f}"
    return f"{shown} {currency}" if currency else shown


def option_list(value: Any) -> list[str]:
    """An option that should be a list of names; tolerate a single name."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []


def option_mapping(value: Any) -> dict[str, Any]:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def option_number(value: Any, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return float(value)


def empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def raw(data: Any, *path: str | int) -> Any:
    """The raw node at ``path``, or None when any step is missing."""
    node = data
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or not 0 <= part < len(node):
                return None
            node = node[part]
        else:
            if not isinstance(node, dict):
                return None
            node = node.get(part)
    return node


def channels(ctx: CheckContext) -> list[Channel]:
    """The typed channels, in document order (empty when there is no strategy)."""
    strategy = ctx.plan.strategy
    return list(strategy.channels or []) if strategy is not None else []
