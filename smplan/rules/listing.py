"""``smplan rules`` and ``smplan explain``: rule metadata and docs as text.

The docs site (docs/rules/*.md) is generated from the same function, so the
terminal and the site never disagree.
"""

from __future__ import annotations

import difflib
import json

from smplan.diagnostics import SmplanError
from smplan.rules.base import DOC_SECTIONS, DOC_TITLES, Rule
from smplan.rules.options import bounds_text
from smplan.rules.registry import Registry, builtin_registry


def render_list(output_format: str = "text", registry: Registry | None = None) -> str:
    registry = registry or builtin_registry()
    rows = [
        {
            "name": rule.name,
            "category": rule.category,
            "severity": rule.severity.label,
            "summary": rule.summary,
        }
        for rule in registry
    ]
    if output_format == "json":
        return json.dumps({"rules": rows}, ensure_ascii=False, indent=2) + "\n"
    width = max(len(r["name"]) for r in rows)
    cat_width = max(len(r["category"]) for r in rows)
    lines = [
        f"{r['name']:<{width}}  {r['category']:<{cat_width}}  {r['severity']:<7}  {r['summary']}"
        for r in rows
    ]
    return "\n".join(lines) + "\n"


def find_rule(name: str, registry: Registry | None = None) -> Rule:
    registry = registry or builtin_registry()
    if name in registry:
        return registry.get(name)
    hint = difflib.get_close_matches(name, [r.name for r in registry], n=1)
    suffix = f"; did you mean '{hint[0]}'?" if hint else ""
    raise SmplanError(f"unknown rule '{name}'{suffix} (see `smplan rules`)")


def rule_markdown(rule: Rule) -> str:
    """A rule's page in the ruff style: metadata, then the four fixed sections."""
    lines = [
        f"# {rule.name}",
        "",
        f"{rule.summary}",
        "",
        f"- Category: `{rule.category}`",
        f"- Default severity: `{rule.severity.label}`",
    ]
    if rule.completeness:
        lines.append("- Reported as a warning in the `draft` profile")
    lines.append("")
    for section in DOC_SECTIONS:
        lines += [f"## {DOC_TITLES[section]}", "", rule.docs[section].strip(), ""]
    if rule.options:
        lines += ["## Options", ""]
        for option in rule.options.values():
            default = json.dumps(option.default, ensure_ascii=False)
            bounds = bounds_text(option)
            about = f"default `{default}`" + (f", {bounds}" if bounds else "")
            lines.append(f"- `{option.name}` ({about}): {option.description}")
        lines.append("")
        lines += [
            "Set options in `pyproject.toml` (or `.smplan.toml` without the `tool.smplan` prefix):",
            "",
            "```toml",
            f'[tool.smplan.options."{rule.name}"]',
        ]
        first = next(iter(rule.options.values()))
        lines += [f"{first.name} = {_toml(first.default)}", "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items()) + " }"
    return str(value)


def render_explain(name: str) -> str:
    return rule_markdown(find_rule(name))
