"""Checks that hostile plan values stay inert in a Markdown report."""

from __future__ import annotations

from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Every way a value could turn into markup in a job summary or a PR comment.
EVIL = "a`b <img src=x onerror=alert(1)> [x](https://evil) ![y](https://evil/a.png) | c\nd"
EVIL_SHOWN = "a`b <img src=x onerror=alert(1)> [x](https://evil) ![y](https://evil/a.png) | c d"


def _tokens(markdown: str) -> Iterator[Token]:
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for token in parser.parse(markdown):
        yield token
        yield from token.children or []


def assert_inert(markdown: str, shown: str = EVIL_SHOWN, times: int = 1) -> list[Token]:
    """No image, raw HTML or link to the value, and the value shown as written ``times``."""
    tokens = list(_tokens(markdown))
    for token in tokens:
        assert token.type not in ("image", "html_inline", "html_block"), (token, markdown)
        if token.type == "link_open":
            assert "evil" not in str(token.attrGet("href")), (token, markdown)
    runs = [
        "".join(c.content for c in t.children or [] if c.type in ("text", "code_inline"))
        for t in tokens
        if t.type == "inline"
    ]
    assert sum(run.count(shown) for run in runs) >= times, (shown, runs)
    return tokens


def table_widths(tokens: list[Token]) -> set[int]:
    """How many cells each table row has: one width per table means no cell was split."""
    widths: set[int] = set()
    cells = 0
    for token in tokens:
        if token.type == "tr_open":
            cells = 0
        elif token.type in ("td_open", "th_open"):
            cells += 1
        elif token.type == "tr_close":
            widths.add(cells)
    return widths
