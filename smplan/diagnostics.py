"""The one shape every finding takes, from the loader to the reporters."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """Ordered so that ``severity >= Severity.WARNING`` reads naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r}; expected one of: error, warning, info"
            ) from None


@dataclass(frozen=True, slots=True)
class Position:
    """A span in a file; lines and columns are 1-based, end is exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(slots=True)
class Diagnostic:
    """A finding with its location in the source and in the document."""

    rule: str
    severity: Severity
    message: str
    file: str
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1
    path: str = ""
    # A stable identity of the node (``kpis[id=reach].objective``) used by
    # baselines and fingerprints, so findings survive edits elsewhere.
    node_id: str = ""
    suppressed: bool = False
    suppression_reason: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Messages quote what users wrote; a key may hold a line break or a
        # terminal escape, and every report format needs one safe line.
        if not self.message.isprintable():
            self.message = printable(self.message)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)

    def identity(self) -> tuple[str, str, str]:
        """What the finding is within its file, without its line: (rule, node, message).

        Baselines, ``--diff-base`` and report fingerprints compare findings by
        this (plus the file), so an edit above a finding does not make it new.
        """
        return (self.rule, self.node_id or self.path, self.message)

    def to_dict(self) -> dict[str, object]:
        """The public JSON shape of one diagnostic (a documented contract)."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "path": self.path,
            "rule": self.rule,
            "severity": self.severity.label,
            "message": self.message,
        }


def printable(text: str) -> str:
    """Control characters as escapes (``\\n``, ``\\x1b``), so text stays on one line."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in text)


class SmplanError(Exception):
    """A user-facing error (bad option, missing file): one line, exit code 2.

    Messages quote what users wrote (a rule name, a path, a config value), so
    they are made printable here, once for every error, as diagnostics are.
    """

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(message if message.isprintable() else printable(message), *args)
