"""What each fuzz target feeds smplan, shared by the atheris harnesses and the
regression test that replays every crash ever found (tests/test_fuzz_regressions.py).

Each target takes raw bytes and must never raise: bad input becomes
diagnostics or a ``SmplanError`` (a one-line user error), nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from smplan.api import Report, lint_text
from smplan.config import parse_config
from smplan.diagnostics import Diagnostic, Severity, SmplanError
from smplan.source import decode, load_text

TODAY = dt.date(2027, 1, 15)


def target_loader(data: bytes) -> None:
    text, problem = decode(data, "fuzz.smplan.yaml")
    if text is None:
        assert problem is not None
        return
    loaded = load_text(text, "fuzz.smplan.yaml")
    for d in loaded.diagnostics:
        assert d.line >= 1 and d.column >= 1, d


def target_engine(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    report = lint_text(text, "fuzz.smplan.yaml", today=TODAY)
    for d in report.diagnostics:
        assert d.rule != "internal-error", d


def target_config(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    try:
        config = parse_config(text, Path("/nonexistent/.smplan.toml"))
        config.check_references({"duplicate-id": set(), "kpi-incomplete": {"required"}})
    except SmplanError as exc:
        assert "\n" not in str(exc).strip() or str(exc).count("\n") < 5


def target_reporters(data: bytes) -> None:
    from smplan.reporters import FORMATS, ReportContext, get_reporter

    text = data.decode("utf-8", errors="replace")
    half = len(text) // 2
    diagnostics = [
        Diagnostic(
            "duplicate-id",
            Severity(1 + len(text) % 3),
            text[:half] or "m",
            text[half:] or "f.yaml",
            1 + len(text) % 7,
            1 + len(text) % 5,
            path=text[:10],
            node_id=text[-10:],
            suppressed=len(text) % 2 == 0,
            suppression_reason=text[:5],
        )
    ]
    report = Report(files=1, diagnostics=diagnostics)
    for name in FORMATS:
        output = get_reporter(name)(report, ReportContext())
        assert isinstance(output, str)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "loader": target_loader,
    "engine": target_engine,
    "config": target_config,
    "reporters": target_reporters,
}
