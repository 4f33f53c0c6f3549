"""Situation, objective and KPI rules never crash on partial drafts, and behave
sensibly at the edges their examples do not show (draft profile, options)."""

from __future__ import annotations

from datetime import date

import pytest

from smplan.config import Config, RuleSettings
from smplan.engine import Linter
from smplan.rules.registry import builtin_registry
from smplan.source import load_text

RULES = (
    "date-range-reversed",
    "approval-missing",
    "swot-incomplete",
    "external-factors-missing",
    "competitors-missing",
    "reputation-missing",
    "audience-missing",
    "objective-missing",
    "objective-not-measurable",
    "objective-without-audience",
    "primary-objective-count",
    "objective-vague",
    "kpi-without-objective",
    "kpi-incomplete",
    "kpi-target-direction",
    "kpi-unrealistic-growth",
    "kpi-unit-out-of-range",
    "kpi-vanity-only",
    "kpi-deadline-outside-period",
)
HEAD = (
    "smplan: 1\n"
    "plan: {id: demo, name: Demo, status: active, period: {start: 2027-01-01, end: 2027-12-31}}\n"
)
DRAFTS = [
    "",
    "situation:\naudiences:\nobjectives:\nkpis:\nactuals:\ncampaigns:\n",
    "situation: {internal: , external: , swot: }\n",
    "situation: {internal: {reputation: {}, history: [{}]}, external: {factors: {}, "
    "competitors: [{}]}, swot: {strengths: [x], weaknesses: []}}\n",
    "objectives: [{id: a, statement: ''}, {id: b, statement: '!!!', type: sales}]\n"
    "kpis: [{id: k}, {id: k2, objective: a, baseline: {}, target: {}},"
    " {id: k3, objective: b, unit: '%', direction: maintain, metric: '  ',"
    " baseline: {value: 0, as_of: 2027-01-01}, target: {value: 0, by: 2027-01-01}}]\n",
    "kpis: [{id: k, objective: ghost, direction: increase,"
    " baseline: {value: 0, as_of: 2027-02-01}, target: {value: 10, by: 2027-01-01}}]\n"
    "actuals: [{kpi: nope, as_of: 2027-01-01}, {kpi: k, as_of: 2027-01-01, value: -1}]\n",
    "kpis: [{id: k, direction: increase, baseline: {value: 5, as_of: 2027-01-01},"
    " target: {value: 50, by: 2027-01-01}}]\n",
]


def _lint(text: str, profile: str = "strict", **options: dict[str, object]):
    settings = RuleSettings(select=RULES, options=dict(options))
    linter = Linter(
        Config(settings=settings), builtin_registry(), profile=profile, today=date(2027, 1, 1)
    )
    return linter.lint_loaded(load_text(text, "draft.smplan.yaml"), None)


@pytest.mark.parametrize("body", DRAFTS)
def test_partial_drafts_do_not_crash(body: str) -> None:
    result = _lint(HEAD + body)
    assert result.plan is not None
    broken = [d.message for d in result.diagnostics if d.rule == "internal-error"]
    assert not broken


def test_completeness_rules_are_warnings_in_draft_profile() -> None:
    result = _lint(HEAD, profile="draft")
    by_rule = {d.rule: d.severity.label for d in result.diagnostics}
    assert by_rule["audience-missing"] == "warning"
    assert by_rule["objective-missing"] == "warning"
    strict = {d.rule: d.severity.label for d in _lint(HEAD).diagnostics}
    assert strict["audience-missing"] == "error"


def test_vague_word_lists_accept_a_plain_list() -> None:
    text = HEAD + "objectives: [{id: a, statement: Sé mejor, primary: true}]\n"
    result = _lint(text, **{"objective-vague": {"vague-words": ["mejor"], "stop-words": ["sé"]}})
    assert [d.rule for d in result.diagnostics if d.rule == "objective-vague"] == [
        "objective-vague"
    ]
