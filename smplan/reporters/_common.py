"""Helpers the formats share: which findings to show, file URIs, fingerprints."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import quote

from smplan.diagnostics import Diagnostic

if TYPE_CHECKING:
    from smplan.api import Report
    from smplan.reporters import ReportContext

DOCS_URL = "https://github.com/smplan/smplan/blob/main/docs/rules/{}.md"


def rule_url(rule: str) -> str:
    """The rule's page in the docs (generated from ``rules/*.yaml``)."""
    return DOCS_URL.format(quote(rule))


def visible(report: Report, context: ReportContext) -> list[Diagnostic]:
    """Active findings, plus waived ones when ``--show-suppressed`` asks for them."""
    return [d for d in report.diagnostics if context.show_suppressed or not d.suppressed]


def posix(file: str) -> str:
    """A file name with forward slashes, as CI services expect on every OS."""
    return PurePath(file).as_posix() if "\\" in file else file


def fingerprints(diagnostics: Iterable[Diagnostic]) -> dict[int, str]:
    """A hash of file, rule, node and message per finding, with an occurrence count.

    The line is left out so a finding keeps its fingerprint when lines are
    added above it; identical findings in one file are told apart by the
    ``:N`` occurrence suffix, as GitHub does for its own line hashes. Pass
    every finding of the report (waived ones too) so counts never shift; the
    result is keyed by ``id(diagnostic)``.
    """
    seen: dict[str, int] = {}
    out: dict[int, str] = {}
    for d in diagnostics:
        key = "\0".join((posix(d.file), *d.identity()))
        # surrogateescape: a file name that is not UTF-8 hashes as its bytes
        digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        seen[digest] = seen.get(digest, 0) + 1
        out[id(d)] = f"{digest}:{seen[digest]}"
    return out
