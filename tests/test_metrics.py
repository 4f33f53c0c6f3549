"""The formulas of DOMAIN.md §4, each against figures computed by hand."""

from __future__ import annotations

import pytest

from smplan import metrics
from smplan.metrics import MetricError, compute


def test_engagement_rate_by_reach():
    # 372 engagements from 12,000 people reached: 372 / 12,000 = 0.031 -> 3.1%
    assert metrics.engagement_rate(372, 12_000) == pytest.approx(3.1)


def test_engagement_rate_by_followers_and_impressions():
    # 90 / 4,500 followers = 2%; 90 / 18,000 impressions = 0.5%
    assert compute("engagement_rate_followers", {"engagements": 90, "followers_end": 4500}) == (
        pytest.approx(2.0)
    )
    assert compute("engagement_rate_impressions", {"engagements": 90, "impressions": 18_000}) == (
        pytest.approx(0.5)
    )


def test_engagement_rate_by_followers_falls_back_to_the_start_count():
    assert compute("engagement_rate_followers", {"engagements": 50, "followers_start": 1000}) == (
        pytest.approx(5.0)
    )


def test_ctr():
    # 240 clicks on 16,000 impressions = 1.5%
    assert metrics.ctr(240, 16_000) == pytest.approx(1.5)


def test_conversion_rate():
    # 18 orders from 600 clicks = 3%
    assert metrics.conversion_rate(18, 600) == pytest.approx(3.0)


def test_cpc():
    # EUR 150 for 600 clicks = EUR 0.25 a click
    assert metrics.cpc(150, 600) == pytest.approx(0.25)


def test_cpm():
    # EUR 96 for 32,000 impressions = EUR 3 per thousand
    assert metrics.cpm(96, 32_000) == pytest.approx(3.0)


def test_cpa():
    # EUR 312 for 12 subscribers = EUR 26 each
    assert metrics.cpa(312, 12) == pytest.approx(26.0)


def test_roas():
    # EUR 1,575 of revenue on EUR 750 of spend = 2.1
    assert metrics.roas(1575, 750) == pytest.approx(2.1)


def test_follower_growth():
    # 2,300 -> 2,530 followers = +10%; a fall is negative growth
    assert metrics.follower_growth(2300, 2530) == pytest.approx(10.0)
    assert metrics.follower_growth(2000, 1900) == pytest.approx(-5.0)


def test_share_of_voice():
    # 45 of our mentions against 135 of competitors: 45 / 180 = 25%
    assert metrics.share_of_voice(45, 135) == pytest.approx(25.0)


def test_response_rate():
    # 171 of 180 messages answered = 95%
    assert metrics.response_rate(171, 180) == pytest.approx(95.0)


def test_compound_monthly_growth():
    # doubling in 12 months: 2^(1/12) - 1 = 0.05946...
    assert metrics.compound_monthly_growth(1200, 2400, 12) == pytest.approx(0.059463, abs=1e-6)
    assert metrics.compound_monthly_growth(0, 10, 12) is None


def test_attainment_in_both_directions():
    # sessions 1,200 -> 2,400, now 1,650: 450 / 1,200 = 0.375
    assert metrics.attainment(1650, 1200, 2400) == pytest.approx(0.375)
    # a CPA that must fall from 26 to 21, now 24: -2 / -5 = 0.4
    assert metrics.attainment(24, 26, 21) == pytest.approx(0.4)
    # moving the wrong way is negative attainment
    assert metrics.attainment(28, 26, 21) == pytest.approx(-0.4)
    assert metrics.attainment(5, 5, 5) is None


@pytest.mark.parametrize(
    ("elapsed", "pace", "expected"),
    [
        (0.25, "linear", 0.25),
        (0.25, "front", 0.5),
        (0.25, "back", 0.0625),
        (1.5, "linear", 1.0),
        (-0.2, "front", 0.0),
    ],
)
def test_expected_progress(elapsed, pace, expected):
    assert metrics.expected_progress(elapsed, pace) == pytest.approx(expected)


@pytest.mark.parametrize(
    "function",
    [metrics.ctr, metrics.conversion_rate, metrics.cpc, metrics.cpm, metrics.cpa, metrics.roas],
)
def test_a_zero_divisor_has_no_value(function):
    assert function(10, 0) is None


def test_compute_maps_metric_names_to_formulas_and_figures():
    figures = {"clicks": 240.0, "impressions": 16_000.0, "spend": 96.0, "followers_end": 4500.0}
    assert compute("CTR", figures) == pytest.approx(1.5)
    assert compute("click-through rate", figures) == pytest.approx(1.5)
    assert compute("cpm", figures) == pytest.approx(6.0)
    assert compute("clicks", figures) == 240.0
    assert compute("followers", figures) == 4500.0


def test_compute_says_what_is_missing():
    with pytest.raises(MetricError, match="but impressions is missing"):
        compute("ctr", {"clicks": 3})
    with pytest.raises(MetricError, match="but engagements and reach are missing"):
        compute("engagement_rate", {})
    with pytest.raises(MetricError, match="but impressions is 0"):
        compute("ctr", {"clicks": 3, "impressions": 0})
    with pytest.raises(MetricError, match="cannot compute metric 'sessions'"):
        compute("sessions", {"clicks": 3})
    with pytest.raises(MetricError, match="names no metric"):
        compute(None, {"clicks": 3})


def test_only_counts_add_up_across_channels():
    assert metrics.additive("conversions")
    assert not metrics.additive("ctr")
    assert not metrics.additive(None)
