"""Structural problems in plain words, each at its exact key or value."""

from __future__ import annotations

import pytest

from smplan.api import lint_text

HEAD = "smplan: 1\nplan: {id: demo, name: Demo, period: {start: 2027-01-01, end: 2027-12-31}}\n"

CASES = [
    (
        "kpis:\n  - id: reach\n    baselin: {value: 1, as_of: 2027-01-01}\n",
        (5, 5),
        "unknown key 'baselin' in KPI 'reach'; did you mean 'baseline'?",
    ),
    (
        "objectives:\n  - id: sales\n    type: salez\n    statement: Sell 300 boxes\n",
        (5, 11),
        "'salez' is not a valid 'type' of objective 'sales'; expected one of: awareness, "
        "engagement, traffic, leads, sales, loyalty, care, authority; did you mean 'sales'?",
    ),
    (
        "objectives:\n  - id: Sales Goal\n    statement: Sell 300 boxes\n",
        (4, 9),
        "'Sales Goal' is not a valid 'id' of objective 'Sales Goal': use kebab-case "
        "(a-z, 0-9, -), e.g. 'sales-goal'",
    ),
    (
        "objectives:\n  - statement: Sell 300 boxes\n",
        (4, 5),
        "objective #1 is missing the required key 'id'",
    ),
    (
        "strategy:\n  channels:\n    - {id: ig, network: instagram, frequency: 4/wk}\n",
        (5, 47),
        "'4/wk' is not a frequency; write e.g. 4/week (per day, week or month) "
        "('frequency' of channel 'ig')",
    ),
    (
        "audiences: {id: brewers}\n",
        (3, 12),
        "'audiences' must be a list, not a mapping",
    ),
    (
        "community:\n  response_time: {default: 4}\n",
        (4, 28),
        "'4' is not a duration; add a unit, e.g. 4h ('community.response_time.default')",
    ),
    (
        "calendar:\n  - {id: c-1, at: '2027-11-18T18:00'}\n",
        (4, 19),
        "'at' of calendar item 'c-1' needs a UTC offset, e.g. 2027-11-18T18:00:00+01:00 "
        "(got '2027-11-18T18:00')",
    ),
    (
        "strategy:\n  channels:\n    - {id: ig, network: instagram, languages: [Português]}\n",
        (5, 48),
        "'Português' is not a language tag; use BCP 47, 'pt'",
    ),
    (
        "strategy:\n  channels:\n    - {id: vk, network: vk, languages: [русский]}\n",
        (5, 41),
        "'русский' is not a language tag; use BCP 47, 'ru'",
    ),
    (
        "campaigns:\n  - {id: spring, budget: €500}\n",
        (4, 26),
        "'€500' is not an amount of money; write a number in the plan's currency (500) "
        "or {amount: 500, currency: EUR} ('budget' of campaign 'spring')",
    ),
    (
        "campaigns:\n  - {id: spring, budget: 500 usd}\n",
        (4, 26),
        "'500 usd' is not an amount of money; write a number in the plan's currency (500) "
        "or {amount: 500, currency: USD} ('budget' of campaign 'spring')",
    ),
    (
        "campaigns:\n  - {id: spring, budget: {amount: 5, currency: eur}}\n",
        (4, 48),
        "'eur' is not a currency code; use ISO 4217, 'EUR'",
    ),
    (
        "campaigns:\n  - {id: spring, budget: " + "9" * 401 + "}\n",
        (4, 18),
        "'budget.amount' of campaign 'spring' is too large: a number of 401 digits; "
        "no plan needs such a figure",
    ),
]


@pytest.mark.parametrize(("body", "position", "message"), CASES)
def test_schema_messages(body, position, message):
    report = lint_text(HEAD + body, "p.yaml", today="2027-01-01")
    found = [
        (d.line, d.column, d.message) for d in report.diagnostics if d.rule == "schema-violation"
    ]
    assert found == [(*position, message)]
