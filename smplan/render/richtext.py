"""Free-text fields (Markdown in the plan) made safe for each output.

One parser, markdown-it-py with ``html=False``: raw HTML in a plan is shown
as text, never passed through. Links are kept only for ``http(s)`` and
``mailto``; images become links (a document must not fetch anything);
headings in a field become plain text so a description cannot break the
document's outline. The same tokens are rendered to HTML, or written back
as tidy Markdown (escaped, wrapped later) for the Markdown output.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from smplan.markdown_text import code, escape, inert
from smplan.markdown_text import line_start as guard_line_start

_SCHEMES = ("http://", "https://", "mailto:")
_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f<>\"'`\\]")
# Control, format (bidi, zero-width), separator and private-use characters.
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cs"})
_BARE_LINK = re.compile(
    r"(?P<url>https?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"])"
    r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s) or mailto with no odd characters, else None.

    Invisible characters (bidi overrides such as U+202E, zero-width spaces,
    other control and format characters) refuse the URL: the link text could
    show one address while the link goes to another.
    """
    if not url:
        return None
    url = url.strip()
    if (
        _UNSAFE_URL_CHARS.search(url)
        or _invisible(url)
        or _invisible(unquote(url))  # markdown-it hands links over %-encoded
        or not url.lower().startswith(_SCHEMES)
    ):
        return None
    if url.lower().startswith("mailto:"):
        return url if "@" in url else None
    return url if len(url.split("//", 1)[1]) > 0 else None


def _invisible(text: str) -> bool:
    return any(ch != " " and unicodedata.category(ch) in _INVISIBLE for ch in text)


def email_address(address: str | None) -> str:
    """An e-mail address as people read it: a ``mailto:`` someone wrote is dropped."""
    address = (address or "").strip()
    return address[len("mailto:") :].strip() if address.lower().startswith("mailto:") else address


def mailto(address: str | None) -> str | None:
    """The ``mailto:`` link for an address (written with or without the scheme), if safe."""
    plain = email_address(address)
    return safe_url(f"mailto:{plain}") if plain else None


def _validate_link(url: str) -> bool:
    return safe_url(url) is not None


def _image_as_link(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """An image in a field becomes a link to it: documents fetch nothing."""
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = escapeHtml(token.content or src)
    return f'<a href="{escapeHtml(src)}">{alt}</a>'


@cache
def parser() -> MarkdownIt:
    """The one Markdown dialect of free-text fields (CommonMark + strikethrough)."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["heading", "lheading", "html_block", "html_inline", "code", "reference"])
    md.enable("strikethrough")
    md.validateLink = _validate_link  # type: ignore[method-assign]
    normalize = md.normalizeLink

    def normalize_link(url: str) -> str:
        # Judge the URL as written: normalising punycodes a zero-width space away.
        return "" if _invisible(url) or _invisible(unquote(url)) else normalize(url)

    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    md.add_render_rule("image", _image_as_link)
    return md


def to_html(text: str | None) -> str:
    """Block HTML (paragraphs, lists...) for a free-text field; escaped, safe."""
    if not text or not text.strip():
        return ""
    return str(parser().render(text))


def to_html_inline(text: str | None) -> str:
    """Inline HTML (emphasis, code, links) for table cells and short fields."""
    if not text or not text.strip():
        return ""
    return str(parser().renderInline(" ".join(text.split())))


# ------------------------------------------------------------- to Markdown


def escape_md(text: str) -> str:
    """Plain text as Markdown that renders to exactly that text.

    Bare URLs and e-mail addresses become autolinks (markdownlint's MD034).
    """
    out: list[str] = []
    last = 0
    for match in _BARE_LINK.finditer(text):
        out.append(escape(text[last : match.start()]))
        value = match[0]
        target = value if match["url"] else f"mailto:{value}"
        out.append(f"<{value}>" if safe_url(target) else inert(value))
        last = match.end()
    out.append(escape(text[last:]))
    return guard_line_start("".join(out))


def _code_span(content: str) -> str:
    return code(content) if content.strip() else ""


def _inline_md(children: Sequence[Token]) -> str:
    parts: list[str] = []
    link_stack: list[str | None] = []
    for child in children:
        kind = child.type
        if kind == "text":
            parts.append(escape_md(child.content))
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif kind == "code_inline":
            parts.append(_code_span(child.content))
        elif kind in ("em_open", "em_close"):
            parts.append("*")
        elif kind in ("strong_open", "strong_close"):
            parts.append("**")
        elif kind in ("s_open", "s_close"):
            parts.append("~~")
        elif kind == "link_open":
            href = safe_url(str(child.attrGet("href") or ""))
            link_stack.append(href)
            parts.append("[" if href else "")
            parts.append("\x00")  # start of the link text, to trim it later
        elif kind == "link_close":
            href = link_stack.pop() if link_stack else None
            start = len(parts) - 1 - parts[::-1].index("\x00")
            label = "".join(parts[start + 1 :]).strip()
            del parts[start:]
            if href and label:
                parts.append(f"{label}]({_link_target(href)})")
            elif href:
                parts[-1] = ""
                parts.append(f"<{href.removeprefix('mailto:')}>")
            else:
                parts.append(label)
        elif kind == "image":
            src = safe_url(str(child.attrGet("src") or ""))
            alt = escape_md(child.content) if child.content else ""
            parts.append(f"[{alt or src}]({_link_target(src)})" if src else alt)
    text = "".join(parts).replace("\x00", "")
    return guard_line_start(re.sub(r" {2,}", " ", text).strip())


def _link_target(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s()]", url) else url


def to_markdown_inline(text: str | None) -> str:
    """One line of Markdown (for table cells and list items): inline markup only."""
    if not text or not text.strip():
        return ""
    tokens = parser().parseInline(" ".join(text.split()))
    return _inline_md(tokens[0].children or []) if tokens else ""


def to_markdown(text: str | None) -> str:
    """Blocks of Markdown, one line per paragraph; the writer wraps lines later."""
    if not text or not text.strip():
        return ""
    tokens = parser().parse(text)
    lines = _blocks(tokens, 0, len(tokens))
    return "\n".join(lines).strip("\n")


def _blocks(tokens: list[Token], start: int, stop: int) -> list[str]:
    """Serialise block tokens ``[start, stop)``; blocks are separated by blank lines."""
    out: list[str] = []
    i = start
    while i < stop:
        token = tokens[i]
        kind = token.type
        if kind == "paragraph_open":
            inline = tokens[i + 1]
            _separate(out)
            out.append(_inline_md(inline.children or []))
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            close = _closing(tokens, i)
            _separate(out)
            out.extend(_list(tokens, i, close, ordered=kind == "ordered_list_open"))
            i = close + 1
            continue
        if kind == "blockquote_open":
            close = _closing(tokens, i)
            _separate(out)
            inner = _blocks(tokens, i + 1, close)
            out.extend(f"> {line}".rstrip() for line in inner)
            i = close + 1
            continue
        if kind == "fence":
            _separate(out)
            fence = "```"
            while fence in token.content:
                fence += "`"
            out.append(f"{fence}text")
            out.extend(token.content.rstrip("\n").split("\n"))
            out.append(fence)
        elif kind == "hr":
            _separate(out)
            out.append("---")
        i += 1
    return out


def _separate(out: list[str]) -> None:
    if out and out[-1] != "":
        out.append("")


def _closing(tokens: list[Token], index: int) -> int:
    """Index of the token closing the one at ``index`` (same nesting level)."""
    level = tokens[index].level
    closing = tokens[index].type.replace("_open", "_close")
    for j in range(index + 1, len(tokens)):
        if tokens[j].type == closing and tokens[j].level == level:
            return j
    return len(tokens) - 1


def _list(tokens: list[Token], start: int, stop: int, *, ordered: bool) -> list[str]:
    out: list[str] = []
    number = 0
    i = start + 1
    loose = False
    while i < stop:
        if tokens[i].type != "list_item_open":
            i += 1
            continue
        close = _closing(tokens, i)
        number += 1
        marker = f"{number}. " if ordered else "- "
        inner = [line for line in _blocks(tokens, i + 1, close)]
        loose = loose or any(
            not t.hidden for t in tokens[i + 1 : close] if t.type == "paragraph_open"
        )
        if not loose:
            inner = [line for line in inner if line != ""]
        indent = " " * len(marker)
        for n, line in enumerate(inner):
            if n == 0:
                out.append(f"{marker}{line}")
            else:
                out.append(f"{indent}{line}" if line else "")
        if loose:
            out.append("")
        i = close + 1
    while out and out[-1] == "":
        out.pop()
    return out
