"""Waivers in comments, with accountability.

``# smplan: ignore[rule-a, rule-b] reason`` silences those rules on its line
(or, on a line of its own, on the next line); ``# smplan: ignore-file[rule]``
silences them in the whole file. ``until=YYYY-MM-DD`` makes a waiver expire.
A waiver without a reason, an expired one, one that silenced nothing, one that
names no known rule and a ``# smplan:`` comment that is not a waiver at all
(a typo would otherwise silence nothing without a word) are reported, like
ruff's unused and invalid ``noqa``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date

from smplan.diagnostics import Diagnostic, Severity

_WAIVER = re.compile(
    r"#\s*smplan:\s*(?P<kind>ignore-file|ignore)\s*\[(?P<rules>[^\]]*)\](?P<rest>[^\n]*)"
)
_UNTIL = re.compile(r"\buntil\s*=\s*(\S+)")
_DIRECTIVE = re.compile(r"#\s*smplan\s*:\s*(?P<word>[\w-]*)")
_KINDS = ("ignore", "ignore-file")


@dataclass(slots=True)
class Waiver:
    file: str
    line: int  # the comment's line
    column: int
    target_line: int | None  # None: the whole file
    rules: tuple[str, ...]
    reason: str
    until: date | None
    bad_until: str | None = None
    used: bool = False
    malformed: str | None = None  # why a `# smplan:` comment is no waiver

    def expired(self, today: date) -> bool:
        return self.until is not None and today > self.until


def scan(text: str, file: str) -> list[Waiver]:
    """Find every waiver comment in a file's text."""
    if not _DIRECTIVE.search(text):
        return []
    waivers: list[Waiver] = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if "smplan" not in line or "#" not in line:
            continue
        match = _WAIVER.search(line)
        if not match:
            directive = _DIRECTIVE.search(line)
            if directive and not _inside_quotes(line, directive.start()):
                waivers.append(
                    Waiver(
                        file,
                        number,
                        directive.start() + 1,
                        target_line=number,
                        rules=(),
                        reason="",
                        until=None,
                        malformed=_malformed(directive),
                    )
                )
            continue
        if _inside_quotes(line, match.start()):
            continue
        rules = tuple(r.strip() for r in match.group("rules").split(",") if r.strip())
        rest = match.group("rest")
        until_match = _UNTIL.search(rest)
        until: date | None = None
        bad_until = None
        if until_match:
            try:
                until = date.fromisoformat(until_match.group(1))
            except ValueError:
                bad_until = until_match.group(1)
            rest = rest[: until_match.start()] + rest[until_match.end() :]
        reason = rest.strip(" \t-:—")
        if match.group("kind") == "ignore-file":
            target: int | None = None
        elif line[: match.start()].strip():
            target = number
        else:  # a comment on its own line covers the next line with content
            target = _next_content_line(lines, number)
        waivers.append(
            Waiver(file, number, match.start() + 1, target, rules, reason, until, bad_until)
        )
    return waivers


def _malformed(directive: re.Match[str]) -> str:
    word = directive.group("word")
    if word in _KINDS:
        return f"waiver '{word}[' has no closing ']'; write '# smplan: {word}[rule-name] reason'"
    hint = difflib.get_close_matches(word, _KINDS, n=1)
    if hint:
        return f"unknown waiver '{word}'; did you mean '{hint[0]}'? It silences nothing"
    return "'# smplan:' comment is not a waiver; write '# smplan: ignore[rule-name] reason'"


def _inside_quotes(line: str, index: int) -> bool:
    before = line[:index]
    return before.count('"') % 2 == 1 or before.count("'") % 2 == 1


def _next_content_line(lines: list[str], number: int) -> int:
    for offset, text in enumerate(lines[number:], start=number + 1):
        stripped = text.strip()
        if stripped and not stripped.startswith("#"):
            return offset
    return number


def apply(
    diagnostics: list[Diagnostic],
    waivers: list[Waiver],
    today: date,
    known_rules: Collection[str] = (),
    judged: Callable[[Waiver], bool] | None = None,
) -> list[Diagnostic]:
    """Mark waived diagnostics and add findings about the waivers themselves.

    ``known_rules`` (when given) lets a misspelt rule name be reported with a
    suggestion instead of as a waiver that silences nothing. ``judged`` tells
    whether the rules a waiver names ran where it points: a waiver whose rule
    could not run (a schema error cut that part out) is not called unused.
    """
    by_file: dict[str, list[Waiver]] = {}
    for waiver in waivers:
        by_file.setdefault(waiver.file, []).append(waiver)
    for diagnostic in diagnostics:
        for waiver in by_file.get(diagnostic.file, ()):
            if diagnostic.rule not in waiver.rules:
                continue
            if waiver.target_line is not None and waiver.target_line != diagnostic.line:
                continue
            if waiver.expired(today):
                waiver.used = True
                continue
            diagnostic.suppressed = True
            diagnostic.suppression_reason = waiver.reason
            waiver.used = True
            break
    extra: list[Diagnostic] = []
    for waiver in waivers:
        where = (waiver.file, waiver.line, waiver.column, waiver.line, waiver.column + 1)
        names = ", ".join(waiver.rules) or "nothing"
        if waiver.malformed:
            extra.append(
                Diagnostic("unused-suppression", Severity.WARNING, waiver.malformed, *where)
            )
            continue
        unknown = [name for name in waiver.rules if known_rules and name not in known_rules]
        for name in unknown:
            hint = difflib.get_close_matches(name, sorted(known_rules), n=1)
            suffix = f"; did you mean '{hint[0]}'?" if hint else ""
            extra.append(
                Diagnostic(
                    "unused-suppression",
                    Severity.WARNING,
                    f"waiver names unknown rule '{name}'{suffix}",
                    *where,
                )
            )
        if not waiver.reason:
            extra.append(
                Diagnostic(
                    "suppression-without-reason",
                    Severity.WARNING,
                    f"waiver of {names} gives no reason; say why after the brackets",
                    *where,
                )
            )
        if waiver.bad_until:
            extra.append(
                Diagnostic(
                    "unused-suppression",
                    Severity.WARNING,
                    f"'until={waiver.bad_until}' is not a date (YYYY-MM-DD)",
                    *where,
                )
            )
        elif waiver.expired(today):
            extra.append(
                Diagnostic(
                    "unused-suppression",
                    Severity.WARNING,
                    f"waiver of {names} expired on {waiver.until}; fix the finding or renew it",
                    *where,
                )
            )
        elif not waiver.used and not unknown and (judged is None or judged(waiver)):
            extra.append(
                Diagnostic(
                    "unused-suppression",
                    Severity.WARNING,
                    f"waiver of {names} silences nothing here; remove it",
                    *where,
                )
            )
    return diagnostics + extra
