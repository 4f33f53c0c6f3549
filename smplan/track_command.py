"""The ``smplan track`` command: where each KPI stands against its plan.

A table per objective (last value, target, attainment, expected progress,
status), the off-track KPIs with their ``on_miss`` actions, and budget
pacing. ``--format json`` is a public contract::

    {"as_of": "2027-06-30",
     "kpis": [{"kpi", "objective", "baseline", "actual", "target",
               "attainment", "expected", "status"}]}

Only the loader and validation run (no rules): track needs the plan and its
actuals, not a lint, and stays fast on 100,000 measurements. Tolerance and
pace come from the ``kpi-off-track`` rule's options in the config, so
``track`` and ``lint`` always agree on what is off track.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from smplan.commandline import friendly
from smplan.diagnostics import SmplanError
from smplan.markdown_text import code, text

if TYPE_CHECKING:
    from smplan.model import Plan
    from smplan.status import KpiStatus, Spend, Tracking

FORMATS = ("text", "json", "markdown")


@click.command()
@click.argument("plan", type=click.Path(path_type=Path))
@click.option(
    "--as-of",
    metavar="YYYY-MM-DD",
    help="Report date (default: the latest measurement on or before today).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format; json is a stable contract.",
)
@click.option("--fail-on-off-track", is_flag=True, help="Exit 1 when any KPI is off track.")
@click.option("--today", metavar="YYYY-MM-DD", help="What today is (SMPLAN_TODAY).")
@click.option("--config", type=click.Path(path_type=Path), help="Config file to use.")
@friendly
def track(
    plan: Path,
    as_of: str | None,
    output_format: str,
    fail_on_off_track: bool,
    today: str | None,
    config: Path | None,
) -> None:
    """Show each KPI's status from the plan's actuals: PLAN is one plan file."""
    from smplan.api import today_from
    from smplan.config import check_config_file

    when = _date(as_of, "--as-of") if as_of else None
    check_config_file(config)
    with _no_gc_passes():
        tracking, loaded = run_track(plan, when, today=today_from(today), config=config)
    if output_format == "json":
        click.echo(json.dumps(to_json(tracking), ensure_ascii=False, indent=2))
    elif output_format == "markdown":
        click.echo(render_markdown(tracking, loaded), nl=False)
    else:
        click.echo(render_text(tracking, loaded), nl=False)
    _exit(1 if fail_on_off_track and tracking.count("off-track") else 0)


def _exit(code: int) -> NoReturn:
    """Exit; when smplan owns the process, without tearing a large export down.

    Freeing a million objects one by one at interpreter exit costs a third of
    a second on 100,000 measurements, for nothing: the process ends anyway.
    Like mypy's fast exit, and only when stdout and stderr are the process's
    own (a test runner or a library caller gets an ordinary ``SystemExit``).
    """
    flush_out, flush_err = sys.stdout.flush, sys.stderr.flush
    if sys.stdout is sys.__stdout__ and sys.stderr is sys.__stderr__:
        flush_out()
        flush_err()
        os._exit(code)
    sys.exit(code)


@contextmanager
def _no_gc_passes() -> Iterator[None]:
    """Pause the cycle collector while a large export loads.

    100,000 measurements are a million objects that live until exit; the
    collector would rescan them every few thousand allocations (a third of
    the run) to free nothing: validation and tracking create no cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def to_json(tracking: Tracking) -> dict[str, object]:
    from smplan.status import to_json as shape

    return shape(tracking)


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SmplanError(f"invalid date '{text}' for {option}; use YYYY-MM-DD") from None


def run_track(
    path: Path, as_of: date | None, *, today: date, config: Path | None = None
) -> tuple[Tracking, Plan]:
    """Load one plan with its actuals (no rules) and track it.

    Any error in loading fails the run: a report that silently leaves out a
    broken actuals file or import would show wrong statuses as if they held.
    """
    from smplan.api import PlanError, Session, lint_plan_file, rule_options
    from smplan.diagnostics import Severity
    from smplan.status import track, tracking_options

    session = Session(config, today=today, checks=False)
    result = lint_plan_file(path, session)
    errors = [d for d in result.diagnostics if d.severity == Severity.ERROR]
    if result.plan is None:
        raise PlanError(errors)
    unwaived = [d for d in errors if not d.suppressed and d.rule not in _BOOKKEEPING]
    if unwaived:
        raise PlanError(unwaived)
    tolerance, pace = tracking_options(rule_options(session, path, "kpi-off-track"))
    return track(result.plan, as_of, today=today, tolerance=tolerance, pace=pace), result.plan


# Findings about waivers and baselines: with no checks run, a waiver of a check
# silences nothing here, which says nothing about the plan.
_BOOKKEEPING = frozenset({"unused-suppression", "suppression-without-reason", "baseline-stale"})


# ------------------------------------------------------------------- text
def _rows(tracking: Tracking, plan: Plan) -> list[tuple[str, list[KpiStatus]]]:
    """KPIs grouped by objective, objectives in plan order, unlinked KPIs last."""
    groups: dict[str, list[KpiStatus]] = {o.id: [] for o in plan.objectives or [] if o.id}
    for item in tracking.kpis:
        groups.setdefault(item.kpi.objective or "", []).append(item)
    unlinked = groups.pop("", [])
    return [(key, items) for key, items in groups.items() if items] + (
        [("", unlinked)] if unlinked else []
    )


def _cells(item: KpiStatus) -> list[str]:
    from smplan.status import format_value, percent

    unit = item.kpi.unit
    last = "-"
    if item.actual is not None and item.measured is not None:
        last = f"{format_value(item.actual, unit)} ({item.measured.isoformat()})"
    target = "-"
    if item.target is not None:
        target = format_value(item.target, unit)
        if item.kpi.target is not None and item.kpi.target.by is not None:
            target += f" by {item.kpi.target.by.isoformat()}"
    return [
        item.kpi.id,
        last,
        target,
        percent(item.attainment) or "-",
        percent(item.expected) or "-",
        item.status,
    ]


_HEAD = ["KPI", "Last value", "Target", "Attainment", "Expected", "Status"]
_SPEND_HEAD = ["Campaign", "Spent", "Budget", "Spent share", "Time gone", ""]


def _statements(plan: Plan) -> dict[str, str]:
    return {o.id: " ".join(o.statement.split()) for o in plan.objectives or [] if o.id}


def _table(head: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def line(row: list[str]) -> str:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return ("  " + "  ".join(cells)).rstrip()

    return [line(head), *(line(row) for row in rows)]


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def render_text(tracking: Tracking, plan: Plan) -> str:
    statements = _statements(plan)
    out = [f"KPI status on {tracking.as_of.isoformat()}: {plan.plan.name}", ""]
    if not tracking.kpis:
        out += ["The plan has no KPIs to track.", ""]
    for key, items in _rows(tracking, plan):
        title = f"{key}: {_short(statements.get(key, ''), 80)}" if key else "KPIs without objective"
        out.append(title.rstrip(": "))
        out += _table(_HEAD, [_cells(item) for item in items], {3, 4})
        out.append("")
    off = [item for item in tracking.kpis if item.status == "off-track"]
    if off:
        out.append("Off track, to redefine:")
        for item in off:
            serves = f" (objective {item.kpi.objective})" if item.kpi.objective else ""
            action = " ".join((item.kpi.on_miss or "no on_miss action written").split())
            out.append(f"  {item.kpi.id}{serves}: {action}")
        out.append("")
    if tracking.spend:
        unit = f" ({tracking.currency})" if tracking.currency else ""
        out.append(f"Budget{unit}")
        out += _table(_SPEND_HEAD, [_spend_cells(s) for s in tracking.spend], {1, 2, 3, 4})
        out.append("")
    out.append(_summary(tracking))
    return "\n".join(out) + "\n"


def _spend_cells(spend: Spend) -> list[str]:
    from smplan.status import format_value, percent

    return [
        spend.campaign or "Total",
        format_value(round(spend.spent, 2), None),
        format_value(spend.budget, None) if spend.budget is not None else "-",
        percent(spend.share) or "-",
        percent(spend.elapsed) or "-",
        "overspent" if spend.overspent else "",
    ]


def _summary(tracking: Tracking) -> str:
    from smplan.status import STATUSES

    counts = [f"{tracking.count(s)} {s}" for s in STATUSES if tracking.count(s)]
    return f"{len(tracking.kpis)} KPIs: {', '.join(counts) or 'none'}"


# --------------------------------------------------------------- markdown
# Every plan value goes through markdown_text: a KPI id, a campaign, an
# objective or an on_miss action cannot become a link, an image or HTML in a
# job summary, nor break a table.
def _md_table(head: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    """A GFM table of cells that are Markdown already."""
    rule = ["---:" if i in right else "---" for i in range(len(head))]
    return [
        "| " + " | ".join(head) + " |",
        "| " + " | ".join(rule) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _md_row(item: KpiStatus) -> list[str]:
    cells = _cells(item)
    status = text(cells[-1])
    return [
        code(cells[0], table=True),
        *(text(c) for c in cells[1:-1]),
        f"**{status}**" if item.status == "off-track" else status,
    ]


def render_markdown(tracking: Tracking, plan: Plan) -> str:
    statements = _statements(plan)
    out = [f"# KPI status on {tracking.as_of.isoformat()}: {text(plan.plan.name)}", ""]
    for key, items in _rows(tracking, plan):
        title = f"{key}: {statements.get(key, '')}" if key else "KPIs without objective"
        out += [f"## {text(title.rstrip(': '))}", ""]
        out += _md_table(_HEAD, [_md_row(item) for item in items], {3, 4})
        out.append("")
    off = [item for item in tracking.kpis if item.status == "off-track"]
    if off:
        out += ["## Off track: what to redefine", ""]
        for item in off:
            serves = f" (objective {code(item.kpi.objective)})" if item.kpi.objective else ""
            action = item.kpi.on_miss or "no on_miss action written"
            out.append(f"- {code(item.kpi.id)}{serves}: {text(action)}")
        out.append("")
    if tracking.spend:
        unit = f" ({text(tracking.currency)})" if tracking.currency else ""
        out += [f"## Budget{unit}", ""]
        rows = [[text(c) for c in _spend_cells(s)] for s in tracking.spend]
        out += _md_table(_SPEND_HEAD, rows, {1, 2, 3, 4})
        out.append("")
    out.append(text(_summary(tracking)))
    return "\n".join(out) + "\n"
