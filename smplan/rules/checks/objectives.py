"""People and Objectives (POST): audiences and objectives exist, one is primary,
each can be measured and says something concrete."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from smplan.findings import Finding
from smplan.model import Kpi
from smplan.paths import DocPath
from smplan.rules.base import CheckContext
from smplan.rules.checks.plan import is_empty, missing, name_of, names, number


# ----------------------------------------------- audience- / objective-missing
def audience_missing(ctx: CheckContext) -> Iterator[Finding]:
    if is_empty(ctx.data.get("audiences")):
        yield missing(
            ctx.data,
            ("audiences",),
            "the plan defines no audience; add 'audiences' with the people you target "
            "(id, name, description, languages, networks): POST starts with People",
        )


def objective_missing(ctx: CheckContext) -> Iterator[Finding]:
    if is_empty(ctx.data.get("objectives")):
        yield missing(
            ctx.data,
            ("objectives",),
            "the plan defines no objective; add 'objectives' with at least one realistic, "
            "measurable objective (id, statement, type) and mark the main one primary",
        )


# ---------------------------------------------------- objective-not-measurable
def kpis_by_objective(ctx: CheckContext) -> dict[str, list[tuple[int, Kpi]]]:
    """Objective id -> its KPIs (with their index in ``kpis``), in one pass."""
    out: dict[str, list[tuple[int, Kpi]]] = {}
    for index, kpi in enumerate(ctx.plan.kpis or []):
        if kpi.objective:
            out.setdefault(kpi.objective, []).append((index, kpi))
    return out


def measurement_gaps(kpi: Kpi) -> list[str]:
    """What a KPI lacks to measure its objective: baseline and target values, a date."""
    gaps = []
    if kpi.baseline is None or number(kpi.baseline.value) is None:
        gaps.append("a numeric baseline value")
    if kpi.target is None or number(kpi.target.value) is None:
        gaps.append("a numeric target value")
    if kpi.target is None or kpi.target.by is None:
        gaps.append("a target date (target.by)")
    return gaps


def objective_not_measurable(ctx: CheckContext) -> Iterator[Finding]:
    by_objective = kpis_by_objective(ctx)
    for index, objective in enumerate(ctx.plan.objectives or []):
        path: DocPath = ("objectives", index)
        kpis = [kpi for _, kpi in by_objective.get(objective.id, [])]
        gaps = [measurement_gaps(kpi) for kpi in kpis]
        if any(not g for g in gaps):
            continue
        subject = name_of(ctx.data, path)
        if not kpis:
            message = (
                f"{subject} has no KPI, so it cannot be measured; add a KPI with "
                f"'objective: {objective.id}', a numeric baseline and target, and a target "
                "date (target.by)"
            )
        elif len(kpis) == 1:
            message = (
                f"{subject} cannot be measured: its KPI '{kpis[0].id}' lacks "
                f"{and_list(gaps[0])}; add {'it' if len(gaps[0]) == 1 else 'them'}"
            )
        else:
            names = ", ".join(f"'{kpi.id}'" for kpi in kpis)
            message = (
                f"{subject} cannot be measured: none of its KPIs ({names}) has a numeric "
                "baseline value, a numeric target value and a target date (target.by); "
                "complete one of them"
            )
        yield Finding(path, message)


def and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# ----------------------------------------------------- primary-objective-count
def primary_objective_count(ctx: CheckContext) -> Iterator[Finding]:
    objectives = ctx.plan.objectives or []
    if not objectives:
        return  # objective-missing says so
    expected = int(ctx.options["expected"])
    primaries = [i for i, o in enumerate(objectives) if o.primary is True]
    if (
        not primaries
        and len(objectives) == 1
        and objectives[0].primary is None
        and ctx.options["single-is-primary"]
    ):
        primaries = [0]
    if len(primaries) == expected:
        return
    if len(primaries) < expected:
        if primaries:
            problem = f"only {len(primaries)} objective(s) are marked primary"
        else:
            problem = "no objective is marked primary"
        yield Finding(
            ("objectives",),
            f"{problem}, {expected} expected; set 'primary: true' on the objective that "
            "wins when priorities conflict",
            key=True,
        )
        return
    labels = [name_of(ctx.data, ("objectives", i)) for i in primaries]
    for position, index in enumerate(primaries[expected:], start=expected):
        others = and_list([n for j, n in enumerate(labels) if j != position])
        yield Finding(
            ("objectives", index, "primary"),
            f"{labels[position]} is marked primary as well as {others}; "
            f"keep {expected} primary objective{'s' if expected != 1 else ''} "
            "(one clear objective is recommended) and set the others to 'primary: false'",
        )


# ------------------------------------------------------------- objective-vague
_WORD = re.compile(r"[^\W_]+")


def normalize_word(word: str) -> str:
    """Lower case without accents (``Más`` -> ``mas``, ``ещё`` -> ``еще``)."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class WordList:
    """Words to match: exact entries, and prefixes written with a final ``*``."""

    def __init__(self, entries: Iterable[Any]) -> None:
        exact: set[str] = set()
        prefixes: set[str] = set()
        for entry in entries:
            text = normalize_word(str(entry).strip())
            if text.endswith("*") and len(text) > 1:
                prefixes.add(text[:-1])
            elif text:
                exact.add(text)
        self.exact = exact
        self.prefixes = tuple(sorted(prefixes))

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self.exact or word.startswith(self.prefixes))


@lru_cache(maxsize=64)
def word_list(entries: tuple[str, ...]) -> WordList:
    """Built once per distinct option value, not once per plan."""
    return WordList(entries)


def language_lists(lists: Any, language: str) -> list[str]:
    """The entries for the plan's language; every language's when it has none.

    ``lists`` maps a language to its words; a plain list applies to every language.
    """
    if not isinstance(lists, Mapping):
        return names(lists)
    primary = language.split("-")[0].lower()
    if primary in lists:
        return names(lists[primary])
    return [entry for entries in lists.values() for entry in names(entries)]


def objective_vague(ctx: CheckContext) -> Iterator[Finding]:
    vague = word_list(tuple(map(str, language_lists(ctx.options["vague-words"], ctx.language))))
    stop = word_list(tuple(map(str, language_lists(ctx.options["stop-words"], ctx.language))))
    minimum = int(ctx.options["min-content-words"])
    for index, objective in enumerate(ctx.plan.objectives or []):
        statement = objective.statement or ""
        words = [normalize_word(w) for w in _WORD.findall(statement)]
        if not words or any(ch.isdigit() for w in words for ch in w):
            continue  # empty is schema's business; a number or date is concrete
        content = [w for w in words if len(w) > 1 and w not in vague and w not in stop]
        if len(content) >= minimum:
            continue
        shown = statement.strip()
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        yield Finding(
            ("objectives", index, "statement"),
            f"the statement of {name_of(ctx.data, ('objectives', index))} ('{shown}') is "
            "only vague words; say what should change and for whom, e.g. 'Attract qualified "
            "visitors to the web shop', and put the numbers in its KPIs",
        )
