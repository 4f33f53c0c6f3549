"""GitHub Actions workflow commands: findings become annotations on the PR diff.

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE``;
warnings and infos use ``::warning`` and ``::notice``. Values are escaped the
way the runner unescapes them (``%``, CR, LF everywhere; ``:`` and ``,`` in
properties too), so a message cannot end a command early or start another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smplan.diagnostics import Severity
from smplan.reporters._common import posix

if TYPE_CHECKING:
    from smplan.api import Report
    from smplan.reporters import ReportContext

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, context: ReportContext) -> str:
    lines = []
    for d in report.active:  # a waived finding is no annotation, whatever --show-suppressed says
        properties = {
            "file": posix(d.file),
            "line": d.line,
            "col": d.column,
            "endLine": max(d.end_line, d.line),
            "endColumn": d.end_column,
            "title": d.rule,
        }
        joined = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items())
        lines.append(f"::{COMMANDS[d.severity]} {joined}::{escape_data(d.message)}")
    return "".join(line + "\n" for line in lines)
