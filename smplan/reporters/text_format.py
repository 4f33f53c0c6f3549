"""Human output like ruff's: ``path:line:col: severity[rule] message``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smplan.diagnostics import Severity

if TYPE_CHECKING:
    from smplan.api import Report
    from smplan.reporters import ReportContext

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render(report: Report, context: ReportContext) -> str:
    color = context.color
    lines: list[str] = []
    suppressed = 0
    for d in report.diagnostics:
        if d.suppressed:
            suppressed += 1
            if not context.show_suppressed:
                continue
        where = _paint(f"{d.file}:{d.line}:{d.column}:", "1", color)
        label = _paint(f"{d.severity.label}[{d.rule}]", _COLORS[d.severity], color)
        message = d.message
        if d.suppressed:
            reason = f": {d.suppression_reason}" if d.suppression_reason else ""
            message += _paint(f" (suppressed{reason})", "2", color)
        lines.append(f"{where} {label} {message}")
    summary = report.summary
    files = _plural(summary["files"], "file")
    counts = [
        _plural(summary["errors"], "error"),
        _plural(summary["warnings"], "warning"),
        _plural(summary["infos"], "info"),
    ]
    extras = [f"{suppressed} suppressed"] if suppressed else []
    if report.baselined is not None:
        extras.append(f"{report.baselined} baselined")
    tail = f" ({', '.join(extras)})" if extras else ""
    if report.active:
        lines.append(f"Found {', '.join(counts)} in {files}{tail}.")
    elif summary["files"]:
        lines.append(_paint(f"All checks passed: {files}{tail}.", "32", color))
    # No plan linted: the CLI says so on stderr; "All checks passed" would mislead.
    return "\n".join(lines) + "\n" if lines else ""
