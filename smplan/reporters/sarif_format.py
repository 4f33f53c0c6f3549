"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

The driver lists every rule with its docs, so a viewer can explain a finding
without smplan installed. Results carry ``partialFingerprints`` built from the
rule, file, node identity and message (not the line), so an alert survives
edits above it. Waived findings carry an in-source suppression, unless
``--sarif-drop-suppressed`` leaves them out (GitHub ignores suppressions and
would show them as open alerts).
"""

from __future__ import annotations

import json
import os
from pathlib import PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from smplan import __version__
from smplan.diagnostics import Diagnostic, Severity
from smplan.reporters._common import fingerprints, posix, rule_url
from smplan.rules.listing import rule_markdown

if TYPE_CHECKING:
    from smplan.api import Report
    from smplan.reporters import ReportContext
    from smplan.rules.base import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/smplan/smplan"
FINGERPRINT_KEY = "smplanFindingHash/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(report: Report, context: ReportContext) -> str:
    from smplan.rules.registry import builtin_registry

    registry = context.registry or builtin_registry()
    descriptors = [_descriptor(rule) for rule in registry]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    prints = fingerprints(report.diagnostics)
    results = []
    artifacts: dict[str, int] = {}
    for d in report.diagnostics:
        if d.suppressed and context.drop_suppressed:
            continue
        if d.rule not in index:  # emitted outside the registry (internal-error)
            index[d.rule] = len(descriptors)
            descriptors.append(_bare_descriptor(d))
        uri = file_uri(d.file)
        artifacts.setdefault(uri, len(artifacts))
        results.append(_result(d, index[d.rule], artifacts[uri], prints[id(d)]))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "smplan",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "artifacts": [{"location": {"uri": uri}} for uri in artifacts],
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def file_uri(file: str) -> str:
    """A relative URI with forward slashes (relative to the working folder)."""
    path = PurePath(posix(file))
    quoted = quote(os.fsencode(path.as_posix()))  # a name that is not UTF-8: its bytes, %-encoded
    return "file://" + quoted if path.is_absolute() else quoted


def _descriptor(rule: Rule) -> dict[str, Any]:
    docs = rule.docs
    text = "\n\n".join(docs[s].strip() for s in ("what", "why", "fix") if docs.get(s))
    return {
        "id": rule.name,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": docs.get("what", rule.summary).strip()},
        "help": {"text": text, "markdown": rule_markdown(rule)},
        "helpUri": rule_url(rule.name),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.category]},
    }


def _bare_descriptor(d: Diagnostic) -> dict[str, Any]:
    return {
        "id": d.rule,
        "name": d.rule,
        "shortDescription": {"text": d.rule.replace("-", " ")},
        "defaultConfiguration": {"level": LEVELS[d.severity]},
    }


def _result(d: Diagnostic, rule_index: int, artifact: int, fingerprint: str) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": file_uri(d.file), "index": artifact},
            "region": {
                "startLine": d.line,
                "startColumn": d.column,
                "endLine": max(d.end_line, d.line),
                "endColumn": d.end_column
                if (d.end_line, d.end_column) > (d.line, d.column)
                else d.column + 1,
            },
        }
    }
    if d.path:
        location["logicalLocations"] = [{"fullyQualifiedName": d.path, "kind": "member"}]
    result: dict[str, Any] = {
        "ruleId": d.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[d.severity],
        "message": {"text": d.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if d.suppressed:
        suppression = {"kind": "inSource"}
        if d.suppression_reason:
            suppression["justification"] = d.suppression_reason
        result["suppressions"] = [suppression]
    return result
