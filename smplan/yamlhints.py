"""Plain words for the YAML parser's common complaints: the likely cause and its fix.

libyaml says "mapping values are not allowed in this context"; a marketer
needs "a value that holds ': ' must be quoted: name: "Cafe: the best"". The
parser's text is kept (it is what a search finds) and a hint is added. Both
libyaml's and the pure-Python parser's wordings are recognised, and the hint
reads the offending line to tell the causes apart.
"""

from __future__ import annotations

TAB = "a tab character; YAML indents with spaces only, so replace it with spaces"


def is_tab_problem(problem: str) -> bool:
    """A tab, as libyaml ("found a tab character...") or PyYAML ("character '\\t'") says."""
    return "tab character" in problem or "'\\t'" in problem


def hint(problem: str, text: str, line: int, column: int, context_line: int | None) -> str | None:
    """A fix for ``problem`` found at 0-based ``line``/``column`` of ``text``, or None.

    ``context_line`` is the 0-based line the parser was reading from (where
    the unfinished key or collection began), when it says.
    """
    row = _row(text, line)
    if "mapping values are not allowed" in problem:
        return _colon_in_value(row, column)
    if "cannot start any token" in problem:
        char = row[column : column + 1]
        if char in ("@", "`"):
            return f"a value cannot start with '{char}'; put it in quotes{_quoted_example(row)}"
        return None
    if "could not find expected ':'" in problem:
        where = f"line {context_line + 1}" if context_line is not None else "the line above"
        return (
            f"{where} holds text with no ':' after it (a key without its colon, or a value "
            "broken over two lines); write 'key: value' and put a long value in quotes"
        )
    if "expected '-' indicator" in problem or (
        "expected <block end>" in problem and "block collection" in problem
    ):
        return (
            "this line is out of line with the list above it: every '- ' of one list starts "
            "at the same column, with spaces only"
        )
    if "did not find expected key" in problem or "expected <block end>" in problem:
        if row[:column].rstrip().endswith(('"', "'")):
            return (
                f"text follows a closing quote; put the whole value in quotes{_quoted_example(row)}"
            )
        return (
            "the indentation of this line does not match the lines above it: the keys of one "
            "mapping start at the same column, with spaces only"
        )
    for closing, kind in (("]", "list in [ ]"), ("}", "mapping in { }")):
        if f"',' or '{closing}'" in problem:
            return (
                f"a {kind} is not closed: end it with '{closing}', and quote an item that "
                "holds ':', '#' or brackets"
            )
    return None


def _row(text: str, line: int) -> str:
    rows = text.split("\n")
    return rows[line].rstrip("\r") if 0 <= line < len(rows) else ""


def _colon_in_value(row: str, column: int) -> str:
    first = row.find(": ")
    if 0 <= first < column:
        return "a value that holds ': ' must be put in quotes" + _quoted_example(row)
    return (
        "this line is indented deeper than the key above it, which already has a value; "
        "start it at the same column as that key"
    )


def _quoted_example(row: str) -> str:
    """``, e.g. name: "Cafe: the best"`` built from the line, when it is a plain key: value."""
    key, sep, value = row.partition(": ")
    value = value.strip()
    if not sep or not value or any(mark in key + value for mark in "{}[]#"):
        return ""
    if '"' not in value:
        shown = f'"{value}"'
    elif "'" not in value:
        shown = f"'{value}'"
    else:
        escaped = value.replace('"', '\\"')
        shown = f'"{escaped}"'
    return f", e.g. {key.strip()}: {shown}"
