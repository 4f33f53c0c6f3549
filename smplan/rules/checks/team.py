"""Team checks: every RACI activity has exactly one accountable person."""

from __future__ import annotations

from collections.abc import Iterator

from smplan.findings import Finding
from smplan.rules.base import CheckContext


def raci_accountable_count(ctx: CheckContext) -> Iterator[Finding]:
    team = ctx.plan.team
    for i, entry in enumerate((team.raci or []) if team is not None else []):
        if entry.accountable and entry.accountable.strip():
            continue
        name = f"RACI activity '{entry.activity}'" if entry.activity else f"RACI entry #{i + 1}"
        yield Finding(
            ("team", "raci", i),
            f"{name} has no accountable person; set 'accountable' to the one team member who "
            "answers for it (several people can be 'responsible')",
        )
