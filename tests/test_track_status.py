"""KPI status and budget pacing, computed by hand on small plans."""

from __future__ import annotations

from datetime import date

import pytest

from smplan.api import load_plan
from smplan.model import Plan
from smplan.status import budget_pacing, collect, default_as_of, evaluate, track
from tests.conftest import FIXTURES

SHOP = FIXTURES / "actuals" / "shop" / "shop.smplan.yaml"


def plan_with(kpis: list[dict], actuals: list[dict], **extra) -> Plan:
    data = {
        "smplan": 1,
        "plan": {
            "id": "demo",
            "name": "Demo",
            "period": {"start": "2027-01-01", "end": "2027-12-31"},
            "currency": "EUR",
        },
        "kpis": kpis,
        "actuals": actuals,
        **extra,
    }
    return Plan.model_validate(data)


def kpi(ident: str, base: float, target: float, **extra) -> dict:
    return {
        "id": ident,
        "baseline": {"value": base, "as_of": "2026-12-31"},
        "target": {"value": target, "by": "2027-12-31"},
        **extra,
    }


def status_of(plan: Plan, as_of: str, **options) -> dict[str, str]:
    _, items = evaluate(plan, date.fromisoformat(as_of), **options)
    return {item.kpi.id: item.status for item in items}


def test_the_fixture_shows_every_status():
    plan = load_plan(SHOP)
    _, items = evaluate(plan, date(2027, 6, 30))
    got = {i.kpi.id: (i.status, i.actual, i.attainment, i.expected) for i in items}
    # elapsed: 181 of 365 days from 2026-12-31 to 2027-12-31 = 0.4959
    assert got["sessions"] == ("on-track", 1600, pytest.approx(0.6), pytest.approx(181 / 365))
    # 62 orders against a target of 60: (62 - 30) / 30
    assert got["orders"][0] == "achieved" and got["orders"][2] == pytest.approx(32 / 30)
    # ig 400 / 16 and fb 200 / 8 -> 600 EUR / 24 subscribers = 25 EUR; (25 - 26) / (21 - 26) = 0.2
    assert got["cpa"][:3] == ("off-track", pytest.approx(25.0), pytest.approx(0.2))
    # 132 clicks / 10,000 impressions = 1.32%: 0.32 is within 2 x 0.10 of 0.4959
    assert got["ctr"][:3] == ("at-risk", pytest.approx(1.32), pytest.approx(0.32))
    assert got["followers"] == ("no-data", None, None, pytest.approx(181 / 365))


def test_a_kpi_is_judged_on_the_date_it_was_measured():
    plan = plan_with([kpi("views", 0, 365)], [{"kpi": "views", "as_of": "2027-03-31", "value": 90}])
    _, (item,) = evaluate(plan, date(2027, 11, 30))
    # measured on day 90 of 365: expected 90/365, attained 90/365 -> on track, though it is November
    assert item.expected == pytest.approx(90 / 365)
    assert item.status == "on-track"


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (26.0, "off-track"),  # no progress at half time: 0 < 0.5 - 0.2
        (24.0, "at-risk"),  # (24 - 26) / (21 - 26) = 0.4: below 0.5 - 0.1, above 0.5 - 0.2
        (23.5, "on-track"),  # 0.5
        (20.0, "achieved"),  # below the target of a KPI that must fall
        (28.0, "off-track"),  # the wrong way
    ],
)
def test_direction_aware_statuses_for_a_cost_that_must_fall(value, status):
    plan = plan_with(
        [
            {
                **kpi("cpa", 26, 21),
                "direction": "decrease",
                "target": {"value": 21, "by": "2027-12-31"},
            }
        ],
        [{"kpi": "cpa", "as_of": "2027-07-02", "value": value}],  # day 183 of 365: 0.501
    )
    assert status_of(plan, "2027-07-02") == {"cpa": status}


def test_the_boundaries_are_inclusive():
    # attainment exactly expected - tolerance is on track, exactly - 2 x tolerance at risk
    plan = plan_with(
        [kpi("a", 0, 100), kpi("b", 0, 100)],
        [
            {"kpi": "a", "as_of": "2027-07-02", "value": 40},
            {"kpi": "b", "as_of": "2027-07-02", "value": 30},
        ],
    )
    _, items = evaluate(plan, date(2027, 7, 2))
    expected = items[0].expected
    assert expected == pytest.approx(183 / 365)
    plan = plan_with(
        [kpi("a", 0, 1000), kpi("b", 0, 1000)],
        [
            {"kpi": "a", "as_of": "2027-07-02", "value": round((183 / 365 - 0.1) * 1000, 9)},
            {"kpi": "b", "as_of": "2027-07-02", "value": round((183 / 365 - 0.2) * 1000, 9)},
        ],
    )
    assert status_of(plan, "2027-07-02") == {"a": "on-track", "b": "at-risk"}


@pytest.mark.parametrize(
    ("pace", "status"),
    [("linear", "at-risk"), ("front", "off-track"), ("back", "on-track")],
)
def test_pace_shapes_what_is_expected(pace, status):
    # 0.35 attained at half time: linear expects 0.5, front 0.71, back 0.25
    plan = plan_with([kpi("a", 0, 100)], [{"kpi": "a", "as_of": "2027-07-02", "value": 35}])
    assert status_of(plan, "2027-07-02", pace=pace) == {"a": status}


def test_tolerance_widens_the_bands():
    plan = plan_with([kpi("a", 0, 100)], [{"kpi": "a", "as_of": "2027-07-02", "value": 20}])
    assert status_of(plan, "2027-07-02") == {"a": "off-track"}
    assert status_of(plan, "2027-07-02", tolerance=0.2) == {"a": "at-risk"}


def test_maintain_kpis_are_judged_by_distance_from_the_target():
    plan = plan_with(
        [
            {**kpi("a", 4.6, 4.6), "direction": "maintain"},
            {**kpi("b", 4.6, 4.6), "direction": "maintain"},
            {**kpi("c", 4.6, 4.6), "direction": "maintain"},
            {**kpi("d", 4.6, 4.6), "direction": "maintain"},
        ],
        [
            {"kpi": "a", "as_of": "2027-06-30", "value": 4.5},  # 2% away
            {"kpi": "b", "as_of": "2027-06-30", "value": 4.0},  # 13%
            {"kpi": "c", "as_of": "2027-06-30", "value": 3.0},  # 35%
            {"kpi": "d", "as_of": "2027-12-31", "value": 4.6},  # on target at the deadline
        ],
    )
    assert status_of(plan, "2027-12-31") == {
        "a": "on-track",
        "b": "at-risk",
        "c": "off-track",
        "d": "achieved",
    }


def test_no_data_without_measurements_or_without_numbers_to_judge_against():
    plan = plan_with(
        [
            kpi("a", 0, 100),
            {"id": "b"},
            {"id": "c", "baseline": {"value": 1}, "target": {"value": 2}},
        ],
        [
            {"kpi": "b", "as_of": "2027-03-31", "value": 5},
            {"kpi": "c", "as_of": "2027-03-31", "value": 1.5},
        ],
    )
    assert status_of(plan, "2027-06-30") == {"a": "no-data", "b": "no-data", "c": "no-data"}


def test_measurements_after_the_report_date_are_ignored():
    plan = plan_with(
        [kpi("a", 0, 100)],
        [
            {"kpi": "a", "as_of": "2027-03-31", "value": 25},
            {"kpi": "a", "as_of": "2027-09-30", "value": 0},
        ],
    )
    _, (item,) = evaluate(plan, date(2027, 6, 30))
    assert (item.actual, item.measured) == (25, date(2027, 3, 31))
    assert [p.value for p in item.points] == [25]


def test_the_default_date_is_the_latest_measurement_on_or_before_today():
    plan = plan_with(
        [kpi("a", 0, 100), kpi("b", 0, 100)],
        [
            {"kpi": "a", "as_of": "2027-03-31", "value": 25},
            {"kpi": "b", "as_of": "2027-05-31", "value": 30},
            {"kpi": "a", "as_of": "2027-09-30", "value": 60},
        ],
    )
    series = collect(plan)
    assert default_as_of(series, date(2028, 1, 1)) == date(2027, 9, 30)
    assert default_as_of(series, date(2027, 6, 30)) == date(2027, 5, 31)
    assert default_as_of(series, date(2027, 5, 31)) == date(2027, 5, 31)
    assert default_as_of(series, date(2027, 2, 1)) == date(2027, 2, 1)  # nothing yet
    empty = plan_with([kpi("a", 0, 100)], [])
    assert default_as_of(collect(empty), date(2027, 6, 30)) == date(2027, 6, 30)


def test_latest_is_the_last_point_on_or_before_the_date():
    plan = plan_with(
        [{**kpi("er", 3, 4), "metric": "engagement_rate"}],
        [
            {"kpi": "er", "as_of": "2027-03-31", "engagements": 40, "reach": 1000},
            {"kpi": "er", "as_of": "2027-06-30", "value": 3.5},
        ],
    )
    for as_of, expected in [
        (date(2027, 5, 1), (4.0, date(2027, 3, 31))),  # computed from raw figures
        (date(2027, 7, 1), (3.5, date(2027, 6, 30))),
        (date(2027, 1, 1), (None, None)),
    ]:
        [item] = evaluate(plan, as_of)[1]
        assert (item.actual, item.measured) == expected
        assert (item.points[-1].value if item.points else None) == expected[0]


def test_channel_rows_combine_figures_and_add_counts():
    plan = plan_with(
        [
            {**kpi("er", 3, 4), "metric": "engagement_rate"},
            {**kpi("clicks", 100, 200), "metric": "clicks"},
            {**kpi("growth", 0, 10), "metric": "follower_growth"},
        ],
        [
            {
                "kpi": "er",
                "as_of": "2027-03-31",
                "channel": "ig",
                "engagements": 300,
                "reach": 8000,
            },
            {
                "kpi": "er",
                "as_of": "2027-03-31",
                "channel": "fb",
                "engagements": 100,
                "reach": 2000,
            },
            {"kpi": "clicks", "as_of": "2027-03-31", "channel": "ig", "value": 90},
            {"kpi": "clicks", "as_of": "2027-03-31", "channel": "fb", "value": 40},
            {
                "kpi": "growth",
                "as_of": "2027-03-31",
                "followers_start": 2000,
                "followers_end": 2100,
            },
        ],
    )
    points = collect(plan).points
    assert points["er"][0].value == pytest.approx(4.0)  # 400 / 10,000 x 100, not the mean of rates
    assert points["clicks"][0].value == 130
    assert points["growth"][0].value == pytest.approx(5.0)
    assert collect(plan).problems == []


def test_rows_that_cannot_be_used_are_problems_not_points():
    plan = plan_with(
        [{**kpi("ctr", 1, 2), "metric": "ctr"}, {**kpi("cpa", 26, 21), "metric": "cpa"}],
        [
            {"kpi": "ctr", "as_of": "2027-03-31", "channel": "ig", "value": 1.2},
            {"kpi": "ctr", "as_of": "2027-03-31", "channel": "fb", "value": 1.4},
            {"kpi": "ctr", "as_of": "2027-04-30", "value": 1.2},
            {"kpi": "ctr", "as_of": "2027-04-30", "value": 1.3},
            {
                "kpi": "cpa",
                "as_of": "2027-03-31",
                "spend": {"amount": 300, "currency": "USD"},
                "conversions": 10,
            },
        ],
    )
    series = collect(plan)
    assert "ctr" in series.points and [p.as_of for p in series.points["ctr"]] == [date(2027, 4, 30)]
    assert [(p.index, p.field) for p in series.problems] == [
        (3, "as_of"),
        (1, "channel"),
        (4, None),
    ]
    assert "spend in another currency than EUR" in series.problems[2].message


def test_budget_pacing_counts_shared_spend_once():
    plan = plan_with(
        [kpi("cpa", 26, 21), kpi("roas", 2, 3)],
        [
            {
                "kpi": "cpa",
                "as_of": "2027-02-28",
                "campaign": "launch",
                "spend": 800,
                "conversions": 30,
            },
            {
                "kpi": "roas",
                "as_of": "2027-02-28",
                "campaign": "launch",
                "spend": 800,
                "revenue": 2000,
            },
            {
                "kpi": "cpa",
                "as_of": "2027-03-14",
                "campaign": "launch",
                "spend": 650,
                "conversions": 25,
            },
            {"kpi": "cpa", "as_of": "2027-03-20", "spend": 300, "conversions": 10},
            {
                "kpi": "cpa",
                "as_of": "2027-09-30",
                "campaign": "launch",
                "spend": 999,
                "conversions": 10,
            },
        ],
        campaigns=[
            {"id": "launch", "start": "2027-02-01", "end": "2027-03-14", "budget": 1200},
            {"id": "xmas", "start": "2027-11-15", "end": "2027-12-20", "budget": 1800},
            {"id": "organic", "start": "2027-04-01", "end": "2027-05-01"},
        ],
        budget={"total": 6000},
    )
    launch, xmas, total = budget_pacing(plan, date(2027, 3, 31))
    assert (launch.campaign, launch.spent, launch.budget) == ("launch", 1450, 1200)
    assert launch.overspent and launch.share == pytest.approx(1450 / 1200)
    assert launch.elapsed == 1.0
    assert (xmas.spent, xmas.elapsed, xmas.overspent) == (0, 0.0, False)
    assert (total.campaign, total.spent, total.budget) == (None, 1750, 6000)
    assert total.elapsed == pytest.approx(90 / 365)


def test_no_spend_no_pacing():
    plan = plan_with([kpi("a", 0, 1)], [{"kpi": "a", "as_of": "2027-03-31", "value": 1}])
    assert budget_pacing(plan, date(2027, 3, 31)) == []
    assert track(plan, date(2027, 3, 31)).spend == []
