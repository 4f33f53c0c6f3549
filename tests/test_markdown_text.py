"""The one Markdown escaping of plan values in reports (smplan.markdown_text)."""

from __future__ import annotations

import pytest

from smplan.markdown_text import code, line_start, text
from tests.markdown_support import EVIL, EVIL_SHOWN, assert_inert, table_widths


@pytest.mark.parametrize("value", [EVIL, "``", "`a`", "a ``` b `", " ", "x|y", "<b>&amp;</b>"])
def test_code_spans_show_the_value_whatever_backticks_it_holds(value):
    shown = " ".join(value.split())
    assert_inert(f"- {code(value)}", shown=shown or " ")
    assert_inert(f"| h |\n| --- |\n| {code(value, table=True)} |", shown=shown or " ")


def test_text_is_plain_words_on_one_line():
    tokens = assert_inert(f"| h |\n| --- |\n| {text(EVIL)} |", shown=EVIL_SHOWN)
    assert table_widths(tokens) == {1}
    assert "\n" not in text(EVIL)
    assert text("&copy; & co") == "&amp;copy; & co"


def test_bare_urls_are_no_autolinks():
    assert text("see https://evil.example and www.evil.example") == (
        "see https\\://evil.example and www\\.evil.example"
    )


@pytest.mark.parametrize("line", ["- x", "# x", "> x", "1. x", "+ x", "12) x"])
def test_line_start_keeps_a_list_item_one_item(line):
    assert_inert(f"- {line_start(text(line))}", shown=line)
