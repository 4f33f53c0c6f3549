"""JUnit XML, for CI services that show test reports (GitLab, Jenkins, Azure...).

The usual shape: ``<testsuites>`` with one ``<testsuite>`` per file read,
one ``<testcase>`` per file and rule with findings (``classname`` is the file,
``name`` the rule) holding one ``<failure>`` per finding; a clean file is one
passing test case, so "N tests, 0 failures" means N files checked.
"""

from __future__ import annotations

import re
from itertools import groupby
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from smplan.reporters._common import posix

if TYPE_CHECKING:
    from smplan.api import Report
    from smplan.diagnostics import Diagnostic
    from smplan.reporters import ReportContext

CLEAN_CASE = "smplan lint"
# Characters XML 1.0 cannot carry at all, even escaped.
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return _INVALID_XML.sub("\ufffd", value)


def render(report: Report, context: ReportContext) -> str:
    findings = sorted(report.active, key=lambda d: (posix(d.file), d.rule, d.line, d.column))
    by_file = {f: list(ds) for f, ds in groupby(findings, key=lambda d: posix(d.file))}
    files = sorted({*(posix(s) for s in report.sources), *by_file})
    root = ET.Element("testsuites", name="smplan")
    total_tests = total_failures = 0
    for file in files:
        suite = ET.SubElement(root, "testsuite", name=_text(file))
        cases = _cases(suite, file, by_file.get(file, []))
        failures = len(by_file.get(file, []))
        suite.attrib.update(tests=str(cases), failures=str(failures), errors="0", skipped="0")
        total_tests += cases
        total_failures += failures
    root.attrib.update(tests=str(total_tests), failures=str(total_failures), errors="0")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _cases(suite: ET.Element, file: str, findings: list[Diagnostic]) -> int:
    if not findings:
        ET.SubElement(suite, "testcase", name=CLEAN_CASE, classname=_text(file))
        return 1
    cases = 0
    for rule, group in groupby(findings, key=lambda d: d.rule):
        case = ET.SubElement(suite, "testcase", name=_text(rule), classname=_text(file))
        cases += 1
        for d in group:
            where = f"{file}:{d.line}:{d.column}"
            failure = ET.SubElement(
                case,
                "failure",
                message=_text(f"{where}: {d.message}"),
                type=d.severity.label,
            )
            failure.text = _text(f"{where}: {d.severity.label}[{d.rule}] {d.message}")
    return cases
