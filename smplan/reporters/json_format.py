"""The public JSON shape (a documented contract; see README)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smplan.api import Report
    from smplan.reporters import ReportContext

SCHEMA_VERSION = 1


def render(report: Report, context: ReportContext) -> str:
    diagnostics = []
    for d in report.diagnostics:
        if d.suppressed and not context.show_suppressed:
            continue
        item = d.to_dict()
        if d.suppressed:
            item["suppressed"] = True
            item["suppression_reason"] = d.suppression_reason
        diagnostics.append(item)
    document = {
        "version": SCHEMA_VERSION,
        "diagnostics": diagnostics,
        "summary": report.summary,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
