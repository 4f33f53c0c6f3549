"""Generate the plan language reference (``docs/reference/plan/``) from the JSON Schema.

The schema is generated from the pydantic models (``smplan.schema.generate``),
so the reference says exactly what the validator accepts: every section and
field with its type, whether it is required, its default, its description,
the values it allows and an example. Examples are taken from the plans that
ship with smplan (the ``smplan init`` starter, then ``examples/``), so they are
real, valid YAML; the few fields no bundled plan uses get one from the schema
itself (its ``examples``, an ``e.g.`` in the description, an enum value) or
from :data:`FALLBACK_EXAMPLES`.

Run ``python -m smplan.docs`` after changing a model; a test fails when the
committed pages are stale.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

FOLDER = "reference/plan"
COMMON = ("Period", "Money", "Frequency")  # types several sections share: on the index page
ID_PATTERN = "^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANGUAGE_PATTERN = "^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
CURRENCY_PATTERN = "^[A-Z]{3}$"
FREQUENCY_PATTERN = r"^\s*\d+(\.\d+)?\s*/\s*(day|week|month)\s*$"
TEXT_MAX = 100_000  # the model's Text type: free text, Markdown allowed
# Plans the examples come from, in order of preference (English first).
EXAMPLE_PLANS = (
    "smplan/starter/plan.smplan.yaml",
    "examples/cafe-verde/cafe-verde.smplan.yaml",
    "examples/cafe-verde/shared/team.yaml",
    "examples/cafe-verde/actuals/community-and-ads.yaml",
    "examples/sever-bike/sever-bike.smplan.yaml",
)
# Fields no bundled plan uses and whose schema suggests no example.
FALLBACK_EXAMPLES: dict[str, Any] = {
    "Period.start": date(2027, 1, 1),
    "Period.end": date(2027, 12, 31),
    "Money.amount": 1800,
    "Money.currency": "EUR",
    "Frequency.count": 4,
    "Frequency.per": "week",
    "PlanInfo.description": "Our first plan with a paid budget: grow the web shop from social.",
    "Offering.description": "Single-origin beans roasted weekly in Dublin.",
    "Resources.hours_per_week": 20,
    "Reputation.issues": ["Queues at the Rathmines shop on Saturdays"],
    "HistoryItem.name": "Christmas gift boxes 2026",
    "HistoryItem.description": "Gift boxes promoted with reels and a giveaway.",
    "HistoryItem.lessons": "Giveaways brought followers who never bought: skip them.",
    "Competitor.url": "https://instagram.com/rivalroasters",
    "Competitor.notes": "Strong tutorials; slow to answer comments.",
    "Factors.environmental": ["Customers ask about compostable packaging"],
    "Factors.legal": ["Consumer protection rules on online price displays"],
    "Audience.locations": ["Dublin", "Cork"],
    "Audience.interests": ["specialty coffee", "home brewing"],
    "Audience.needs": ["Brew café-quality coffee at home"],
    "Objective.rationale": "The web shop has our best margin (a strength) but few know it.",
    "Kpi.description": "Sessions whose source is a social network, in GA4.",
    "Baseline.note": "GA4, December 2026, bots filtered.",
    "Target.note": "Twice the baseline: what the 2026 Christmas campaign reached in a month.",
    "Strategy.summary": "Teach brewing on Instagram and TikTok; sell through the web shop.",
    "Voice.examples": ["Fresh from the roaster: this week's beans are in."],
    "Pillar.description": "Recipes, grind sizes and gear: why our coffee tastes better at home.",
    "Channel.purpose": "Where home brewers learn with us and find the web shop.",
    "Campaign.description": "Gift boxes with a free brewing class; message: *a gift that lasts*.",
    "CalendarItem.assets": ["assets/reels/v60-pour.mp4"],
    "CalendarItem.notes": "Subtitles in the video; approve with Luis by Friday.",
    "Hours.out_of_hours_message": "Thanks for your message! We answer from 9 a.m.",
    "Moderation.policy": "https://cafeverde.example/house-rules",
    "Crisis.next_drill": date(2027, 4, 1),
    "Member.languages": ["en", "es"],
    "Tool.url": "https://business.facebook.com",
    "Tool.notes": "Ana and Luis have admin access.",
    "Measurement.period": {"start": date(2027, 3, 1), "end": date(2027, 3, 31)},
    "Measurement.impressions": 120000,
    "Measurement.clicks": 2400,
    "Measurement.revenue": 3150,
    "Measurement.followers_start": 8200,
}
MAX_EXAMPLE_KEYS = 6
MAX_TEXT = 100


@dataclass(slots=True)
class Page:
    """One page of the reference: a top-level section and the objects under it."""

    name: str  # top-level key, or "index"
    title: str
    objects: list[str] = field(default_factory=list)  # $defs shown on this page


def reference_pages(root: Path, schema: dict[str, Any] | None = None) -> dict[str, str]:
    """Path under ``docs/`` -> Markdown, for every page of the plan reference."""
    if schema is None:
        from smplan.schema import generate

        schema = generate()
    return _Generator(schema, _load_examples(root)).pages()


def all_fields(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(object name, field name, field schema) for every field of every object."""
    for name, prop in schema["properties"].items():
        yield "", name, prop
    for object_name, definition in schema["$defs"].items():
        for name, prop in definition.get("properties", {}).items():
            yield object_name, name, prop


# ------------------------------------------------------------------ examples
def _load_examples(root: Path) -> list[dict[str, Any]]:
    documents = []
    for relative in EXAMPLE_PLANS:
        path = root / relative
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, list):  # an actuals file: a list of measurements
            data = {"actuals": data}
        documents.append(data)
    return documents


def _find(value: Any, path: tuple[str, ...]) -> Any:
    """The first value at ``path`` (``[]`` steps into any item of a list), or None."""
    if not path:
        return value
    step, rest = path[0], path[1:]
    if step == "[]":
        if not isinstance(value, list):
            return None
        for item in value:
            found = _find(item, rest)
            if found is not None:
                return found
        return None
    if isinstance(value, dict) and step in value:
        return _find(value[step], rest)
    return None


def _plain(value: Any) -> Any:
    """Dates as ISO text (as JSON Schema sees them); long text cut short."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _shorten(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_TEXT:
        cut = value[:MAX_TEXT].rsplit(" ", 1)[0].rstrip(",;:.")
        return cut + "…"
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shorten(v) for v in value]
    return value


def _trim(value: Any) -> tuple[Any, bool]:
    """An object example without its nested objects and past a few keys."""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            first, trimmed = _trim(value[0])
            return [first], trimmed or len(value) > 1
        return value, False
    if not isinstance(value, dict):
        return value, False
    kept: dict[str, Any] = {}
    for key, item in value.items():
        nested = isinstance(item, dict) or (
            isinstance(item, list) and any(isinstance(i, dict | list) for i in item)
        )
        if nested or len(kept) >= MAX_EXAMPLE_KEYS:
            continue
        kept[key] = item
    if not kept and value:  # only nested objects: keep the first, trimmed
        key = next(iter(value))
        inner, _ = _trim(value[key])
        kept[key] = inner
    return kept, len(kept) < len(value)


class _Dumper(yaml.SafeDumper):
    """Indent list items under their key, as the example plans do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _dump(data: Any, *, flow: bool | None, width: int) -> str:
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        default_flow_style=flow,
        sort_keys=False,
        allow_unicode=True,
        width=width,
    )
    return str(text)


def _yaml(data: Any) -> str:
    return _dump(data, flow=None, width=88).removesuffix("...\n")


def _snippet(path: tuple[str, ...], value: Any, trimmed: bool = False) -> str:
    """``value`` at ``path`` in block style, as a plan would hold it:

    ```yaml
    kpis:
      - target:
          by: 2027-06-30
    ```
    """
    lines: list[str] = []
    indent = 0
    dash = False
    for step in path[:-1]:
        if step == "[]":
            dash = True
            continue
        lines.append(" " * indent + ("- " if dash else "") + f"{step}:")
        indent += 4 if dash else 2
        dash = False
    key = " " * indent + ("- " if dash else "") + f"{path[-1]}:"
    child = indent + (4 if dash else 2)
    flow = _flow(value)
    if flow is not None and len(key) + 1 + len(flow) <= 88:
        lines.append(f"{key} {flow}")
    else:
        lines.append(key)
        block = _yaml(value).rstrip("\n").split("\n")
        lines += [" " * child + line for line in block]
    if trimmed:
        lines.append(" " * child + ("  " if isinstance(value, list) else "") + "# ...")
    return "\n".join(lines) + "\n"


def _flow(value: Any) -> str | None:
    """``value`` on one line, or None when it holds nested collections."""
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    if any(isinstance(item, dict | list) for item in items):
        return None
    return _dump(value, flow=True, width=10**6).removesuffix("\n...\n").rstrip("\n")


# ------------------------------------------------------------------ the pages
class _Generator:
    def __init__(self, schema: dict[str, Any], examples: list[dict[str, Any]]) -> None:
        self.schema = schema
        self.defs: dict[str, dict[str, Any]] = schema["$defs"]
        self.examples = examples
        self.pages_by_name: dict[str, Page] = {}
        self.home: dict[str, str] = {}  # $def -> page name
        self.paths: dict[str, tuple[str, ...]] = {}  # $def -> path of its first use
        self._assign()

    # ------------------------------------------------------------- layout
    def _assign(self) -> None:
        index = Page("index", "Plan language reference", objects=list(COMMON))
        self.pages_by_name["index"] = index
        for name in COMMON:
            self.home[name] = "index"
        for key, prop in self.schema["properties"].items():
            refs = list(self._refs(prop))
            if not refs:
                continue
            page = Page(key, prop.get("title", key))
            self.pages_by_name[key] = page
            self._walk(page, prop, (key,))

    def _walk(self, page: Page, prop: dict[str, Any], path: tuple[str, ...]) -> None:
        for ref, ref_path in self._refs_with_paths(prop, path):
            if ref in self.home:
                continue
            self.home[ref] = page.name
            self.paths[ref] = ref_path
            page.objects.append(ref)
            for name, sub in self.defs[ref].get("properties", {}).items():
                self._walk(page, sub, (*ref_path, name))

    def _refs(self, node: Any) -> Iterator[str]:
        for ref, _ in self._refs_with_paths(node, ()):
            yield ref

    def _refs_with_paths(
        self, node: dict[str, Any], path: tuple[str, ...]
    ) -> Iterator[tuple[str, tuple[str, ...]]]:
        if "$ref" in node:
            yield node["$ref"].rsplit("/", 1)[-1], path
        for alt in node.get("anyOf", []):
            yield from self._refs_with_paths(alt, path)
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            yield from self._refs_with_paths(node["items"], (*path, "[]"))

    def link(self, ref: str, here: str) -> str:
        page = self.home[ref]
        target = "" if page == here else ("index.md" if page == "index" else f"{page}.md")
        return f"[{self._object_title(ref)}]({target}#{_anchor(ref)})"

    def _object_title(self, ref: str) -> str:
        return _words(ref)

    # ------------------------------------------------------------- output
    def pages(self) -> dict[str, str]:
        out = {f"{FOLDER}/index.md": self._index()}
        for name, page in self.pages_by_name.items():
            if name != "index":
                out[f"{FOLDER}/{name}.md"] = self._section_page(page)
        return out

    def _index(self) -> str:
        top = self.schema
        required = set(top.get("required", []))
        lines = [
            "# Plan language reference",
            "",
            _GENERATED,
            "",
            top["description"],
            "",
            "One plan per file, named `*.smplan.yaml` (or any YAML file whose top level "
            "has `smplan: 1`). Only `smplan` and `plan` are required: a draft can grow "
            "section by section, and [the rules](../../rules/index.md) say what a "
            "complete plan still lacks. Unknown keys are errors (`schema-violation`), "
            "with a did-you-mean.",
            "",
            "## Sections",
            "",
            "| Section | Type | Required | What it holds |",
            "| --- | --- | --- | --- |",
        ]
        for key, prop in top["properties"].items():
            name = f"[`{key}`]({key}.md)" if key in self.pages_by_name else f"[`{key}`](#{key})"
            kind = self._type(prop, "index")
            lines.append(
                f"| {name} | {kind} | {'yes' if key in required else 'no'} "
                f"| {_cell(prop.get('description', ''))} |"
            )
        lines += ["", _CONVENTIONS, ""]
        for key, prop in top["properties"].items():
            if key in self.pages_by_name:
                continue
            lines += self._field("", key, prop, (key,), key in required, "index", level=2)
        lines += ["## Common types", "", "Types that several sections use.", ""]
        for ref in COMMON:
            lines += self._object(ref, "index", None)
        return _finish(lines)

    def _section_page(self, page: Page) -> str:
        prop = self.schema["properties"][page.name]
        required = page.name in self.schema.get("required", [])
        lines = [
            f"# `{page.name}`: {page.title}",
            "",
            _GENERATED,
            "",
            prop.get("description", ""),
            "",
            f"- **Type:** {self._type(prop, page.name)}",
            f"- **Required:** {'yes' if required else 'no'}",
            "",
        ]
        example = self._section_example(page.name)
        if example is not None:
            lines += ["A complete example from a bundled plan:", "", "```yaml", example, "```", ""]
        for ref in page.objects:
            lines += self._object(ref, page.name, self.paths.get(ref))
        return _finish(lines)

    def _section_example(self, key: str) -> str | None:
        value = self._example_value((key,))
        if value is None:
            return None
        if isinstance(value, list):
            value = value[:1]
        return _yaml({key: _shorten(value)}).rstrip("\n")

    def _object(self, ref: str, here: str, path: tuple[str, ...] | None) -> list[str]:
        definition = self.defs[ref]
        where = f" (`{_dotted(path)}`)" if path else ""
        lines = [
            f"## {self._object_title(ref)}{where} {{#{_anchor(ref)}}}",
            "",
            definition.get("description", ""),
            "",
        ]
        properties: dict[str, dict[str, Any]] = definition.get("properties", {})
        required = set(definition.get("required", []))
        lines += ["| Field | Type | Required | Default |", "| --- | --- | --- | --- |"]
        for name, prop in properties.items():
            anchor = _field_anchor(ref, name)
            lines.append(
                f"| [`{name}`](#{anchor}) | {self._type(prop, here)} "
                f"| {'yes' if name in required else 'no'} | {_default(prop)} |"
            )
        lines.append("")
        for name, prop in properties.items():
            full = (*path, name) if path else None
            lines += self._field(ref, name, prop, full, name in required, here, level=3)
        return lines

    def _field(
        self,
        ref: str,
        name: str,
        prop: dict[str, Any],
        path: tuple[str, ...] | None,
        required: bool,
        here: str,
        level: int,
    ) -> list[str]:
        anchor = _field_anchor(ref, name) if ref else name
        title = _dotted(path) if path else f"{_words(ref)}.{name}" if ref else name
        lines = [
            f"{'#' * level} `{title}` {{#{anchor}}}",
            "",
            f"- **Type:** {self._type(prop, here)}",
            f"- **Required:** {'yes' if required else 'no'}",
            f"- **Default:** {_default(prop)}",
        ]
        allowed = self._allowed(prop)
        if allowed:
            lines.append(f"- **Allowed values:** {allowed}")
        lines += ["", prop.get("description", "").strip() or "(no description)", ""]
        example = self.example(ref, name, prop, path)
        lines += ["```yaml", example.rstrip("\n"), "```", ""]
        return lines

    # ------------------------------------------------------------- types
    def _type(self, prop: dict[str, Any], here: str) -> str:
        alternatives = [a for a in prop.get("anyOf", [prop]) if a.get("type") != "null"]
        return " or ".join(self._one_type(a, here) for a in alternatives)

    def _one_type(self, node: dict[str, Any], here: str) -> str:
        if "$ref" in node:
            return "object: " + self.link(node["$ref"].rsplit("/", 1)[-1], here)
        if "anyOf" in node:
            return self._type(node, here)
        if "const" in node:
            return f"`{node['const']}`"
        kind = node.get("type")
        if kind == "array":
            return "list of " + self._type(node.get("items", {}), here)
        if kind == "string":
            return _string_type(node)
        return {"number": "number", "integer": "whole number", "boolean": "`true` or `false`"}.get(
            str(kind), str(kind)
        )

    def _allowed(self, prop: dict[str, Any]) -> str:
        parts: list[str] = []
        for node in _leaves(prop):
            if "enum" in node:
                parts.append(", ".join(f"`{v}`" for v in node["enum"]))
            if "const" in node:
                parts.append(f"only `{node['const']}`")
            bounds = _bounds(node)
            if bounds:
                parts.append(bounds)
        seen: list[str] = []
        for part in parts:
            if part not in seen:
                seen.append(part)
        return "; ".join(seen)

    # ------------------------------------------------------------- examples
    def _example_value(self, path: tuple[str, ...]) -> Any:
        for document in self.examples:
            found = _find(document, path)
            if found is not None:
                return found
        return None

    def example_value(self, ref: str, name: str, prop: dict[str, Any], path: Any) -> Any:
        """The example of one field: from a bundled plan, the schema or the fallbacks."""
        if path:
            found = self._example_value(tuple(path))
            if found is not None:
                return found
        key = f"{ref}.{name}" if ref else name
        if key in FALLBACK_EXAMPLES:
            return FALLBACK_EXAMPLES[key]
        return _from_schema(prop)

    def example(self, ref: str, name: str, prop: dict[str, Any], path: Any) -> str:
        value = self.example_value(ref, name, prop, path)
        value, trimmed = _trim(value)
        context = tuple(path) if path else (name,)
        return _snippet(context, _shorten(value), trimmed)


def _from_schema(prop: dict[str, Any]) -> Any:
    for node in _leaves(prop):
        if node.get("examples"):
            return node["examples"][0]
    match = re.search(r"e\.g\.,?\s*`([^`]+)`", prop.get("description", ""))
    if match:
        loaded = yaml.safe_load(match.group(1))
        return _plain(loaded)
    for node in _leaves(prop):
        if "enum" in node:
            return node["enum"][0]
        if "const" in node:
            return node["const"]
    return None


def _leaves(prop: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for node in prop.get("anyOf", [prop]):
        if node.get("type") == "null":
            continue
        if "anyOf" in node:
            yield from _leaves(node)
        elif node.get("type") == "array" and isinstance(node.get("items"), dict):
            yield from _leaves(node["items"])
        else:
            yield node


def _string_type(node: dict[str, Any]) -> str:
    pattern = node.get("pattern")
    fmt = node.get("format")
    if fmt == "date":
        return "date (`YYYY-MM-DD`)"
    if fmt == "date-time":
        return "date and time with a UTC offset"
    if pattern == ID_PATTERN:
        return "id (kebab-case)"
    if pattern == LANGUAGE_PATTERN:
        return "language tag (BCP 47)"
    if pattern == CURRENCY_PATTERN:
        return "currency code (ISO 4217)"
    if pattern == FREQUENCY_PATTERN:
        return "frequency text (`4/week`)"
    if node.get("examples") and pattern and pattern.startswith("^(\\d+"):
        return "duration (`30m`, `4h`, `2d`, `1w`, `PT4H`)"
    if "enum" in node:
        return "one of the allowed values"
    if node.get("maxLength") == TEXT_MAX:
        return "text (Markdown)"
    if node.get("minLength") == 1 and node.get("maxLength") == 200:
        return "id reference"
    if pattern:
        return f"text matching `{pattern}`"
    return "text"


def _bounds(node: dict[str, Any]) -> str:
    low, high = node.get("minimum"), node.get("maximum")
    above = node.get("exclusiveMinimum")
    if low is not None and high is not None:
        return f"{_num(low)} to {_num(high)}"
    if low is not None:
        return f"{_num(low)} or more"
    if above is not None:
        return f"more than {_num(above)}"
    if high is not None:
        return f"{_num(high)} or less"
    return ""


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _default(prop: dict[str, Any]) -> str:
    if "default" not in prop or prop["default"] is None:
        return "none"
    return f"`{yaml.safe_dump(prop['default'], default_flow_style=True).strip()}`".replace(
        "\n...", ""
    )


def _dotted(path: tuple[str, ...]) -> str:
    text = ""
    for step in path:
        text += "[]" if step == "[]" else (f".{step}" if text else step)
    return text


def _words(ref: str) -> str:
    """``CrisisLevel`` -> ``Crisis level``; ``Kpi`` -> ``KPI``."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", ref).split()
    out = []
    for index, word in enumerate(words):
        if word.lower() in ("kpi", "raci", "swot"):
            out.append(word.upper())
        else:
            out.append(word if index == 0 else word.lower())
    return " ".join(out)


def _anchor(ref: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "-", ref).lower()


def _field_anchor(ref: str, name: str) -> str:
    return f"{_anchor(ref)}-{name.replace('_', '-')}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _finish(lines: list[str]) -> str:
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.rstrip("\n") + "\n"


_GENERATED = "<!-- Generated from the models by `python -m smplan.docs`; do not edit by hand. -->"

_CONVENTIONS = """\
## Conventions

- **Ids** are kebab-case (`web-traffic`, `c-001`) and unique within their
  collection; other sections refer to items by id (`unresolved-reference`
  reports an id that does not exist).
- **Dates** are ISO 8601 (`2027-03-31`); date-times carry a UTC offset
  (`"2027-11-18T18:00+01:00"`; quote them in YAML).
- **Durations**: `30m`, `4h`, `2d`, `1w`, or ISO 8601 (`PT4H`).
- **Frequencies**: `4/week` or `{count: 4, per: week}` (per `day`, `week` or `month`).
- **Money**: a number in `plan.currency`, or `{amount: 1800, currency: EUR}`.
- **Percentages**: `unit: "%"`, from 0 to 100; `percent`, `per cent`, `pct`,
  `percentage`, `процентов`, `porcentaje` and the like are read as `%`.
- **Languages**: BCP 47 tags (`en`, `ru`, `es-MX`).
- **Free text** fields accept Markdown.

## Sharing sections between plans

`imports: [../org/team.yaml]` pulls shared sections (team, tools, crisis...)
from other files, relative to the importing file and never outside the
repository root. Each section lives in exactly one file, and findings inside
an imported section point into the imported file. The bundled
`examples/cafe-verde` plan imports its team and tools from
`shared/team.yaml`.

The repository's `examples/` folder holds two complete plans, in English
(`cafe-verde`) and Russian (`sever-bike`); the examples on these pages come
from them and from the plan `smplan init` writes."""
