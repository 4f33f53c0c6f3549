"""A Markdown summary for pull-request comments and ``$GITHUB_STEP_SUMMARY``.

Counts first, then a table of findings (location, severity, rule linked to
its docs, message). Cells go through :func:`smplan.markdown_text.text`, so
a ``|`` or a newline cannot break the table and a link, an image or HTML in
a message or a file name stays text; a long report is cut so it stays within
GitHub's comment and summary limits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smplan.markdown_text import text
from smplan.reporters._common import posix, rule_url, visible

if TYPE_CHECKING:
    from smplan.api import Report
    from smplan.reporters import ReportContext

MAX_ROWS = 500
TITLE = "## smplan lint"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render(report: Report, context: ReportContext) -> str:
    summary = report.summary
    suppressed = sum(1 for d in report.diagnostics if d.suppressed)
    counts = [
        _plural(summary["errors"], "error"),
        _plural(summary["warnings"], "warning"),
        _plural(summary["infos"], "info"),
    ]
    extras = []
    if suppressed:
        extras.append(f"{suppressed} suppressed")
    if report.baselined is not None:
        extras.append(f"{report.baselined} baselined")
    tail = f" ({', '.join(extras)})" if extras else ""
    lines = [TITLE, ""]
    files = _plural(summary["files"], "file")
    if not report.active:
        lines.append(f"All checks passed: {files}{tail}.")
    else:
        lines.append(f"**Found {', '.join(counts)}** in {files}{tail}.")
    rows = visible(report, context)
    if rows:
        lines += ["", "| Location | Severity | Rule | Message |", "| --- | --- | --- | --- |"]
        for d in rows[:MAX_ROWS]:
            severity = d.severity.label + (" (suppressed)" if d.suppressed else "")
            lines.append(
                f"| {text(f'{posix(d.file)}:{d.line}')} | {severity} "
                f"| [{text(d.rule)}]({rule_url(d.rule)}) | {text(d.message)} |"
            )
        if len(rows) > MAX_ROWS:
            lines += ["", f"…and {len(rows) - MAX_ROWS} more; see the job log for all findings."]
    return "\n".join(lines) + "\n"
