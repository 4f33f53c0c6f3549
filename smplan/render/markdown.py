"""The Markdown output: GitHub-flavoured, clean under markdownlint's default rules.

Templates (``*.md.j2``) write the structure; this module escapes plan text
(nothing in a plan can become markup or raw HTML), then tidies the result:
blank lines around blocks, prose wrapped at 80 columns without ever
starting a continuation line with something that would become a list or a
heading, unique headings, one final newline. Tables, headings and diagrams
cannot be wrapped, so the file tells markdownlint so in its last line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from smplan.render.fmt import humanize
from smplan.render.richtext import email_address, escape_md, to_markdown, to_markdown_inline
from smplan.render.theme import Theme
from smplan.render.view import Document, filled

WIDTH = 80
LINT_DIRECTIVE = """<!-- markdownlint-configure-file {
  "MD013": {"tables": false, "headings": false, "code_blocks": false}
} -->"""

_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])( +)")
_RISKY_START = re.compile(r"^([-*+](\s|$)|#{1,6}(\s|$)|>|\d{1,9}[.)](\s|$)|=+\s*$|\||`{3}|~{3}|<)")
_HEADING = re.compile(r"^(#{1,6}) (.*)$")
_PIPE = re.compile(r"(?<!\\)\|")
_MERMAID_SPECIAL = re.compile(r"[#\"%:;<>\\`]")


# ------------------------------------------------------------------ filters
def cell(text: str) -> str:
    """A table cell: one line, pipes escaped (also inside code spans, as GFM wants)."""
    text = " ".join(text.split())
    return re.sub(r"(?<!\\)\|", r"\\|", text)


def heading(text: str) -> str:
    """Heading text: one line, no trailing punctuation (markdownlint MD026)."""
    return escape_md(" ".join(text.split())).rstrip(".,;:!。，；：！") or "—"


def mermaid_text(text: str) -> str:
    """Plain text for a Mermaid label or title, shown as written, on one line.

    Characters that mean something to Mermaid (``:`` ends a timeline period,
    ``"`` a pie label, ``%%`` starts a comment or a directive, ``<br>`` breaks
    a line, a backslash escapes, ``#`` starts an entity code, ``;`` ends a
    statement in older Mermaid) become Mermaid's entity codes (``#58;``),
    which it draws as the character.
    """
    text = " ".join(text.split())
    return _MERMAID_SPECIAL.sub(lambda m: f"#{ord(m.group())};", text)


def slug(text: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    out: list[str] = []
    for char in text.strip().lower():
        category = unicodedata.category(char)
        if char in " -":
            out.append("-")
        elif char == "_" or category[0] in "LNM":
            out.append(char)
    return "".join(out)


def filters(doc: Document) -> dict[str, Callable[..., Any]]:
    fmt = doc.fmt

    def enum(value: str | None, group: str) -> str:
        return escape_md(fmt.enum(group, value))

    def md(value: Any) -> str:
        return escape_md(str(value)) if value is not None else ""

    def email(value: str | None) -> str:
        """An address as written, a ``mailto:`` prefix dropped (as in the HTML)."""
        return escape_md(email_address(value))

    def inline(value: str | None) -> str:
        return to_markdown_inline(value)

    def rich(value: str | None, indent: int = 0) -> str:
        text = to_markdown(value)
        if indent:
            pad = " " * indent
            text = "\n".join(pad + line if line else line for line in text.split("\n"))
        return text

    return {
        "md": md,
        "email": email,
        "inline": inline,
        "rich": rich,
        "cell": cell,
        "heading": heading,
        "mermaid": mermaid_text,
        "slug": slug,
        "date": fmt.date,
        "date_short": fmt.date_short,
        "period": fmt.period,
        "short_period": fmt.short_period,
        "day_month": lambda v: fmt.day_month(v.date() if hasattr(v, "date") else v),
        "time": fmt.time,
        "money": fmt.money,
        "num": fmt.number,
        "pct": fmt.percent,
        "value": fmt.value,
        "duration": fmt.duration,
        "freq": fmt.frequency,
        "enum": enum,
        "humanize": humanize,
        "filled": filled,
        "amount": lambda v: f"{v:.2f}".rstrip("0").rstrip("."),
    }


def render_markdown(doc: Document, theme: Theme, *, error_count: int = 0) -> str:
    """The whole document as GitHub-flavoured Markdown (Mermaid for the charts)."""
    env = theme.environment(filters(doc), autoescape=False)
    template = env.get_template("plan.md.j2")
    text = template.render(
        doc=doc,
        plan=doc.plan,
        t=lambda key, default=None, **values: escape_md(doc.labels.get(key, default, **values)),
        error_count=error_count,
    )
    return tidy(text)


# ------------------------------------------------------------------- tidy
def _kind(line: str, in_list: bool) -> str:
    if not line.strip():
        return "blank"
    if line.startswith("<!--"):
        return "comment"
    if _HEADING.match(line):
        return "heading"
    if line.startswith("|"):
        return "table"
    if line.startswith(">"):
        return "quote"
    if _LIST_ITEM.match(line):
        return "item"
    if in_list and line.startswith("  "):
        return "item"
    return "text"


def _blocks(lines: Iterable[str]) -> list[str]:
    """Blank lines around headings, tables, lists, quotes and fences (MD022/31/32/58)."""
    out: list[str] = []
    previous = "blank"
    fence: str | None = None
    for raw in lines:
        line = raw.rstrip()
        stripped = line.lstrip()
        if fence is not None:
            out.append(line)
            if stripped.startswith(fence) and not stripped[len(fence) :].strip():
                fence = None
                previous = "fence"
            continue
        if stripped.startswith(("```", "~~~")) and not line.startswith("    "):
            if previous != "blank" and not (previous == "item" and line.startswith(" ")):
                out.append("")
            fence = stripped[: len(stripped) - len(stripped.lstrip(stripped[0]))]
            out.append(line)
            previous = "fence"
            continue
        kind = _kind(line, previous == "item")
        if kind == "blank":
            if out and out[-1] != "":
                out.append("")
            previous = "blank"
            continue
        joined = kind == previous and kind in ("item", "table", "quote", "text")
        if previous not in ("blank",) and not joined:
            out.append("")
        out.append(line)
        previous = kind
    while out and out[-1] == "":
        out.pop()
    return out


def _wrap(line: str) -> list[str]:
    """Wrap one prose line at WIDTH; continuation lines never start a new block."""
    if len(line) <= WIDTH:
        return [line]
    match = _LIST_ITEM.match(line)
    quote = re.match(r"^(>\s?)+", line)
    if match:
        first_prefix = line[: match.end()]
        rest_prefix = " " * len(first_prefix)
    elif quote:
        first_prefix = rest_prefix = quote.group(0) if quote.group(0).endswith(" ") else "> "
    else:
        indent = len(line) - len(line.lstrip(" "))
        first_prefix = rest_prefix = " " * indent
    words = line[len(first_prefix) :].split(" ")
    words = [w for w in words if w]
    lines: list[list[str]] = [[]]
    width = len(first_prefix)
    for word in words:
        current = lines[-1]
        needed = len(word) + (1 if current else 0)
        if current and width + needed > WIDTH:
            # move words back until the new line starts with something harmless
            carry: list[str] = [word]
            while current and _RISKY_START.match(" ".join(carry)) and len(current) > 1:
                carry.insert(0, current.pop())
            if _RISKY_START.match(" ".join(carry)):
                current.extend(carry)  # nothing safe to break on: leave it long
                width = len(rest_prefix) + len(" ".join(current))
                continue
            lines.append(carry)
            width = len(rest_prefix) + len(" ".join(carry))
        else:
            current.append(word)
            width += needed
    out = []
    for index, words_on_line in enumerate(lines):
        prefix = first_prefix if index == 0 else rest_prefix
        out.append(prefix + " ".join(words_on_line))
    return out


def _table_row(line: str) -> str:
    """``| a  |  |`` -> ``| a | |``: one space around every cell (MD060)."""
    cells = _PIPE.split(line.strip())
    if len(cells) < 3:
        return line
    inner = [cell.strip() for cell in cells[1:-1]]
    return "|" + "|".join(f" {cell} " if cell else " " for cell in inner) + "|"


def _unique_headings(lines: list[str]) -> list[str]:
    """Headings must be unique (MD024) and section headings keep their anchors.

    A repeat gets a number; a lower heading that repeats a section's title
    (a campaign called "Budget") is the one renumbered, so the contents'
    links still land on the sections.
    """
    sections = {
        m.group(2).strip().lower() for m in map(_HEADING.match, lines) if m and m.group(1) == "##"
    }
    seen: set[str] = set()
    out: list[str] = []
    for line in lines:
        match = _HEADING.match(line)
        if match:
            key = match.group(2).strip().lower()
            is_section = match.group(1) == "##"
            if key in seen or (not is_section and key in sections):
                count = 2
                while f"{key} ({count})" in seen or f"{key} ({count})" in sections:
                    count += 1
                line = f"{line} ({count})"
                key = f"{key} ({count})"
            seen.add(key)
        out.append(line)
    return out


def tidy(text: str) -> str:
    lines = _blocks(text.splitlines())
    wrapped: list[str] = []
    fence = False
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
            wrapped.append(line)
            continue
        kind = _kind(line, True)
        if kind == "table" and not fence:
            wrapped.append(_table_row(line))
        elif fence or kind in ("heading", "table", "comment", "blank"):
            wrapped.append(line)
        else:
            wrapped.extend(_wrap(line))
    lines = _unique_headings(wrapped)
    return "\n".join(lines) + "\n\n" + LINT_DIRECTIVE + "\n"
