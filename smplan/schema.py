"""The JSON Schema of the plan language, generated from the pydantic models.

``schemas/plan.schema.json`` is committed (editors fetch it); a test fails when
it drifts from the models. Regenerate with ``python -m smplan.schema``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SCHEMA_ID = "https://raw.githubusercontent.com/smplan/smplan/main/schemas/plan.schema.json"


def generate() -> dict[str, Any]:
    from smplan.model import Plan

    body = Plan.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **body,
        "title": "smplan plan",
        "description": (
            "A social-media plan as code (smplan DSL version 1): situation analysis, "
            "objectives by POST, KPIs, strategy, campaigns, calendar, community "
            "management, crisis guide, team, tools and budget."
        ),
    }


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def main(argv: list[str]) -> int:
    text = dumps(generate())
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
