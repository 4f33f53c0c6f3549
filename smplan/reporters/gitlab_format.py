"""GitLab Code Quality JSON: findings in merge request widgets and diffs.

An array of issues with ``description``, ``check_name``, ``fingerprint``
(unique per issue, stable across edits above it), ``severity`` and
``location.path`` / ``location.lines``; waived findings are left out.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from smplan.diagnostics import Severity
from smplan.reporters._common import fingerprints, posix

if TYPE_CHECKING:
    from smplan.api import Report
    from smplan.reporters import ReportContext

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report, context: ReportContext) -> str:
    prints = fingerprints(report.diagnostics)
    issues: list[dict[str, Any]] = []
    for d in report.active:
        # GitLab wants one opaque token per issue; hash the occurrence in too.
        fingerprint = hashlib.sha256(prints[id(d)].encode()).hexdigest()
        issues.append(
            {
                "type": "issue",
                "description": d.message,
                "check_name": d.rule,
                "fingerprint": fingerprint,
                "severity": SEVERITIES[d.severity],
                "location": {
                    "path": posix(d.file),
                    "lines": {"begin": d.line, "end": max(d.end_line, d.line)},
                },
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
