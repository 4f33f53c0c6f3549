"""What a rule is (metadata, options, docs) and what a check receives."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from smplan.diagnostics import Severity
from smplan.findings import Finding
from smplan.paths import DocPath, expand

if TYPE_CHECKING:
    from smplan.model import Plan

CATEGORIES = (
    "structure",
    "situation",
    "people",
    "objectives",
    "measurement",
    "strategy",
    "content",
    "campaigns",
    "budget",
    "community",
    "crisis",
    "team",
)
DOC_SECTIONS = ("what", "why", "example", "fix")
DOC_TITLES = {
    "what": "What it checks",
    "why": "Why it matters",
    "example": "Example",
    "fix": "How to fix",
}
# Produced by the loader and validator rather than by a check; they stay
# errors in every profile.
STRUCTURAL = frozenset(
    {
        "yaml-syntax",
        "duplicate-key",
        "schema-violation",
        "duplicate-id",
        "unresolved-reference",
        "import-error",
        "limit-exceeded",
        "internal-error",
    }
)
# Emitted by the pipeline itself (loader, validator, waivers), not by a check.
EMITTED = STRUCTURAL - {"duplicate-id", "unresolved-reference"} | {
    "unused-suppression",
    "suppression-without-reason",
    "baseline-stale",
}


@dataclass(frozen=True, slots=True)
class RuleOption:
    """An option of a rule; ``minimum``/``maximum`` bound every number in its value.

    Bounds keep a config from asking for ``inf`` days or a 1e11 tolerance, which
    would crash a date computation or silently flag (or pass) every plan.
    """

    name: str
    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None


@dataclass(slots=True)
class Rule:
    """A rule as registered: its metadata, docs, examples and how it checks."""

    name: str
    category: str
    severity: Severity
    summary: str
    docs: dict[str, str]
    options: dict[str, RuleOption] = field(default_factory=dict)
    check: str | None = None  # "module.function" under smplan.rules.checks, or a plugin's
    given: str | None = None  # declarative rules: a path pattern...
    then: dict[str, Any] | None = None  # ...and the function applied to it
    message: str | None = None
    completeness: bool = False  # demoted to warning in the draft profile
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    source: str = ""  # the file that defined the rule
    function: Callable[[CheckContext], Iterable[Finding]] | None = None

    @property
    def structural(self) -> bool:
        return self.name in STRUCTURAL

    def option_defaults(self) -> dict[str, Any]:
        return {name: option.default for name, option in self.options.items()}


class CheckContext:
    """What a check sees: the typed plan, its raw data, options and today's date."""

    def __init__(
        self,
        plan: Plan,
        data: dict[str, Any],
        options: dict[str, Any],
        today: date,
        index: PlanIndex,
    ) -> None:
        self.plan = plan
        self.data = data
        self.options = options
        self.today = today
        self.index = index

    def expand(self, pattern: str) -> list[tuple[DocPath, Any]]:
        return expand(self.data, pattern)

    @property
    def language(self) -> str:
        return self.plan.plan.language or "en"


class PlanIndex:
    """Ids per collection, computed once per plan and shared by every rule."""

    COLLECTIONS: ClassVar[dict[str, str]] = {
        "audiences": "audiences[*]",
        "objectives": "objectives[*]",
        "kpis": "kpis[*]",
        "channels": "strategy.channels[*]",
        "pillars": "strategy.pillars[*]",
        "campaigns": "campaigns[*]",
        "members": "team.members[*]",
        "tools": "tools[*]",
        "levels": "crisis.levels[*]",
    }

    def __init__(self, data: dict[str, Any], cut_ids: dict[str, set[str]] | None = None) -> None:
        self.data = data
        # Ids of items that exist in the file but failed validation (see
        # smplan.salvage): a reference to one is not unresolved.
        self.cut_ids = cut_ids or {}

    @cached_property
    def ids(self) -> dict[str, dict[str, DocPath]]:
        """collection -> id -> path of the item (first occurrence)."""
        out: dict[str, dict[str, DocPath]] = {}
        for name, pattern in self.COLLECTIONS.items():
            ids: dict[str, DocPath] = {}
            for path, item in expand(self.data, pattern):
                ident = item.get("id") if isinstance(item, dict) else None
                if isinstance(ident, str):
                    ids.setdefault(ident, path)
            out[name] = ids
        return out

    def items(self, collection: str) -> Iterator[tuple[DocPath, dict[str, Any]]]:
        for path, item in expand(self.data, self.COLLECTIONS[collection]):
            if isinstance(item, dict):
                yield path, item
