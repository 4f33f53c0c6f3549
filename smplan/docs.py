"""Generate ``docs/rules/``: one page per rule, from the same text as ``smplan explain``.

Run ``python -m smplan.docs`` after changing a rule; a test fails when the
committed pages are stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from smplan.rules.listing import rule_markdown
from smplan.rules.registry import Registry, builtin_registry


def rule_pages(registry: Registry | None = None) -> dict[str, str]:
    """File name -> content for every page of the rules reference."""
    registry = registry or builtin_registry()
    pages = {f"{rule.name}.md": rule_markdown(rule) for rule in registry}
    lines = [
        "# Rules",
        "",
        "Generated from `rules/*.yaml` by `python -m smplan.docs`; "
        "`smplan explain RULE` prints the same text.",
        "",
        "| Rule | Category | Severity | Summary |",
        "| --- | --- | --- | --- |",
    ]
    for rule in registry:
        summary = rule.summary.replace("|", "\\|")
        lines.append(
            f"| [{rule.name}]({rule.name}.md) | {rule.category} | {rule.severity.label} "
            f"| {summary} |"
        )
    pages["index.md"] = "\n".join(lines) + "\n"
    return pages


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pages = rule_pages()
    for stale in folder.glob("*.md"):
        if stale.name not in pages:
            stale.unlink()
    written = []
    for name, text in pages.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/rules")
    for path in write(target):
        print(f"wrote {path}")
