"""Plan-wide checks: date ranges that run backwards, approval of a live plan.

Also the small helpers the situation, objectives and measurement checks share:
where to point when a section is missing, and what counts as "empty".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from smplan.findings import Finding
from smplan.paths import DocPath, PathPart
from smplan.rules.base import CheckContext
from smplan.validate import describe


# ------------------------------------------------------------------ helpers
def is_empty(value: Any) -> bool:
    """Absent, null, blank text, or an empty list or mapping."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict):
        return not value
    return False


def node_at(data: Any, path: Sequence[PathPart]) -> tuple[bool, Any]:
    """``(found, value)`` of the raw node at ``path``."""
    node = data
    for part in path:
        in_mapping = isinstance(part, str) and isinstance(node, dict) and part in node
        in_list = isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node)
        if not (in_mapping or in_list):
            return False, None
        node = node[part]
    return True, node


def missing_at(data: Any, path: Sequence[PathPart]) -> Finding:
    """Where to report that the node at ``path`` is missing or empty.

    The key itself when it is written (``swot:`` with nothing under it), else the
    key of its deepest written parent (``situation:``), else the top of the file.
    The message is filled in by the caller through :func:`dataclasses.replace`.
    """
    for depth in range(len(path), 0, -1):
        found, _ = node_at(data, path[:depth])
        if found:
            return Finding(tuple(path[:depth]), "", key=True)
    return Finding((), "")


def missing(data: Any, path: Sequence[PathPart], message: str) -> Finding:
    at = missing_at(data, path)
    return Finding(at.path, message, key=at.key)


def name_of(data: Any, path: DocPath) -> str:
    """``KPI 'reach'``, ``objective #2``: how users call an item."""
    return describe(data, path)


def number(value: Any) -> float | None:
    """A real number, or None (``true`` is not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def names(value: Any) -> list[str]:
    """A list option as names; a single name is tolerated."""
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def fmt_number(value: float) -> str:
    """1200.0 -> ``1200``, 2.5 -> ``2.5``."""
    return str(int(value)) if value == int(value) else f"{value:g}"


# ------------------------------------------------------- date-range-reversed
def date_range_reversed(ctx: CheckContext) -> Iterator[Finding]:
    plan = ctx.plan
    period = plan.plan.period
    yield from _reversed(("plan", "period"), period.start, period.end, "the plan period")
    for i, campaign in enumerate(plan.campaigns or []):
        path: DocPath = ("campaigns", i)
        yield from _reversed(path, campaign.start, campaign.end, name_of(ctx.data, path))
    internal = plan.situation.internal if plan.situation else None
    for i, item in enumerate((internal.history if internal else None) or []):
        if item.period is not None:
            path = ("situation", "internal", "history", i)
            yield from _reversed(
                (*path, "period"),
                item.period.start,
                item.period.end,
                f"the period of {name_of(ctx.data, path)}",
            )
    for i, measurement in enumerate(plan.actuals or []):
        if measurement.period is not None:
            path = ("actuals", i)
            yield from _reversed(
                (*path, "period"),
                measurement.period.start,
                measurement.period.end,
                f"the period of {name_of(ctx.data, path)}",
            )


def _reversed(
    path: DocPath, start: date | None, end: date | None, subject: str
) -> Iterator[Finding]:
    if start is None or end is None or start <= end:
        return
    yield Finding(
        (*path, "start"),
        f"{subject} starts on {start.isoformat()}, after it ends on {end.isoformat()}; "
        "swap 'start' and 'end', or correct the wrong date",
    )


# ------------------------------------------------------------ approval-missing
def approval_missing(ctx: CheckContext) -> Iterator[Finding]:
    info = ctx.plan.plan
    statuses = set(names(ctx.options["statuses"]))
    if info.status is None or info.status not in statuses:
        return
    no_one, no_date = is_empty(info.approved_by), info.approved_on is None
    if not (no_one or no_date):
        return
    gaps, adds = [], []
    if no_one:
        gaps.append("who approved it")
        adds.append("'approved_by' (a team member id)")
    if no_date:
        gaps.append("when" if no_one else "when it was approved")
        adds.append("'approved_on' (a date, e.g. 2026-12-15)")
    yield Finding(
        ("plan", "status"),
        f"the plan is '{info.status}' but does not say {' or '.join(gaps)}; add "
        f"{' and '.join(adds)} under 'plan', or set the status back to review",
    )
