"""The formulas of DOMAIN.md §4: one small function each, plus the metric table.

A measurement may give a KPI's value directly or the raw channel figures
behind it (reach, clicks, spend...); :func:`compute` turns the figures into
the value the KPI's ``metric`` names, so teams paste platform exports instead
of doing the arithmetic (and its mistakes) by hand. Rates are percentages
(0-100), like every ``unit: "%"`` in a plan. A formula whose denominator is
zero has no value: the functions return ``None`` rather than raise, and
:func:`compute` words why.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# ----------------------------------------------------------------- formulas


def _ratio(part: float, whole: float, scale: float = 1.0) -> float | None:
    return None if whole == 0 else part / whole * scale


def engagement_rate(engagements: float, audience: float) -> float | None:
    """Engagements per 100 people (reach), followers or impressions."""
    return _ratio(engagements, audience, 100)


def ctr(clicks: float, impressions: float) -> float | None:
    """Click-through rate: clicks / impressions x 100."""
    return _ratio(clicks, impressions, 100)


def conversion_rate(conversions: float, clicks: float) -> float | None:
    """Conversions / clicks x 100."""
    return _ratio(conversions, clicks, 100)


def cpc(spend: float, clicks: float) -> float | None:
    """Cost per click: spend / clicks."""
    return _ratio(spend, clicks)


def cpm(spend: float, impressions: float) -> float | None:
    """Cost per thousand impressions: spend / impressions x 1000."""
    return _ratio(spend, impressions, 1000)


def cpa(spend: float, conversions: float) -> float | None:
    """Cost per acquisition (conversion, lead, sign-up): spend / conversions."""
    return _ratio(spend, conversions)


def roas(revenue: float, spend: float) -> float | None:
    """Return on ad spend: revenue / spend."""
    return _ratio(revenue, spend)


def follower_growth(start: float, end: float) -> float | None:
    """Growth of the audience over a period: (end - start) / start x 100."""
    return _ratio(end - start, start, 100)


def share_of_voice(mentions: float, competitor_mentions: float) -> float | None:
    """Brand mentions / (brand + competitor mentions) x 100."""
    return _ratio(mentions, mentions + competitor_mentions, 100)


def response_rate(answered: float, received: float) -> float | None:
    """Messages answered / messages received x 100."""
    return _ratio(answered, received, 100)


def compound_monthly_growth(baseline: float, target: float, months: float) -> float | None:
    """(target / baseline)^(1/months) - 1: the steady monthly growth a target implies."""
    if baseline <= 0 or target < 0 or months <= 0:
        return None
    return float((target / baseline) ** (1 / months) - 1)


def attainment(actual: float, baseline: float, target: float) -> float | None:
    """(actual - baseline) / (target - baseline): 0 at the baseline, 1 at the target.

    The sign of the denominator makes it work for KPIs that must fall (a CPA):
    moving from 26 towards 21 is positive attainment.
    """
    return _ratio(actual - baseline, target - baseline)


def expected_progress(elapsed: float, pace: str = "linear") -> float:
    """The share of the way to the target due after ``elapsed`` (0-1) of the time.

    ``linear`` is a straight line; ``front`` expects most progress early
    (square root: half the time, 71% of the way); ``back`` expects it late
    (square: half the time, 25% of the way), e.g. a Christmas-driven KPI.
    """
    share = min(max(elapsed, 0.0), 1.0)
    if pace == "front":
        return float(share**0.5)
    if pace == "back":
        return share * share
    return share


PACES = ("linear", "front", "back")

# ------------------------------------------------------------ metric table

FIGURES = (
    "reach",
    "impressions",
    "engagements",
    "clicks",
    "conversions",
    "spend",
    "revenue",
    "followers_start",
    "followers_end",
    "mentions",
    "competitor_mentions",
    "messages_received",
    "messages_answered",
)
"""The raw channel figures a measurement may carry instead of a value."""


@dataclass(frozen=True, slots=True)
class Formula:
    """How a metric is computed: a function of named figures."""

    function: Callable[..., float | None]
    figures: tuple[str, ...]
    words: str  # the formula in plain words, for messages and docs

    @property
    def divisor(self) -> str:
        """What must not be zero, in words (the last figure, or the sum it stands in)."""
        if self.figures == ("mentions", "competitor_mentions"):
            return "mentions + competitor_mentions"
        if self.figures == ("followers_start", "followers_end"):
            return "followers_start"
        return self.figures[-1]


_ENGAGEMENT_REACH = Formula(engagement_rate, ("engagements", "reach"), "engagements / reach x 100")
_ENGAGEMENT_FOLLOWERS = Formula(
    engagement_rate, ("engagements", "followers"), "engagements / followers x 100"
)
_ENGAGEMENT_IMPRESSIONS = Formula(
    engagement_rate, ("engagements", "impressions"), "engagements / impressions x 100"
)
_CPA = Formula(cpa, ("spend", "conversions"), "spend / conversions")

FORMULAS: dict[str, Formula] = {
    "engagement_rate": _ENGAGEMENT_REACH,  # by reach, the DSL's default meaning
    "engagement_rate_reach": _ENGAGEMENT_REACH,
    "engagement_rate_by_reach": _ENGAGEMENT_REACH,
    "engagement_rate_followers": _ENGAGEMENT_FOLLOWERS,
    "engagement_rate_by_followers": _ENGAGEMENT_FOLLOWERS,
    "engagement_rate_impressions": _ENGAGEMENT_IMPRESSIONS,
    "engagement_rate_by_impressions": _ENGAGEMENT_IMPRESSIONS,
    "ctr": Formula(ctr, ("clicks", "impressions"), "clicks / impressions x 100"),
    "click_through_rate": Formula(ctr, ("clicks", "impressions"), "clicks / impressions x 100"),
    "conversion_rate": Formula(
        conversion_rate, ("conversions", "clicks"), "conversions / clicks x 100"
    ),
    "cpc": Formula(cpc, ("spend", "clicks"), "spend / clicks"),
    "cost_per_click": Formula(cpc, ("spend", "clicks"), "spend / clicks"),
    "cpm": Formula(cpm, ("spend", "impressions"), "spend / impressions x 1000"),
    "cpa": _CPA,
    "cpl": _CPA,
    "cost_per_acquisition": _CPA,
    "cost_per_lead": _CPA,
    "cost_per_conversion": _CPA,
    "roas": Formula(roas, ("revenue", "spend"), "revenue / spend"),
    "follower_growth": Formula(
        follower_growth,
        ("followers_start", "followers_end"),
        "(followers_end - followers_start) / followers_start x 100",
    ),
    "share_of_voice": Formula(
        share_of_voice,
        ("mentions", "competitor_mentions"),
        "mentions / (mentions + competitor_mentions) x 100",
    ),
    "response_rate": Formula(
        response_rate,
        ("messages_answered", "messages_received"),
        "messages_answered / messages_received x 100",
    ),
}

COUNTS: dict[str, str] = {
    "reach": "reach",
    "impressions": "impressions",
    "engagements": "engagements",
    "clicks": "clicks",
    "link_clicks": "clicks",
    "conversions": "conversions",
    "leads": "conversions",
    "spend": "spend",
    "revenue": "revenue",
    "mentions": "mentions",
    "followers": "followers",
}
"""Metrics that are one figure as it stands; channel rows of these add up."""


COMPUTED = (
    "engagement_rate",
    "engagement_rate_followers",
    "engagement_rate_impressions",
    "ctr",
    "conversion_rate",
    "cpc",
    "cpm",
    "cpa",
    "roas",
    "follower_growth",
    "share_of_voice",
    "response_rate",
)
"""The formulas by their main names (``FORMULAS`` also knows aliases such as ``cpl``)."""


class MetricError(ValueError):
    """A metric that cannot be computed from the figures given, in plain words."""


@functools.cache
def metric_key(metric: str) -> str:
    """``Engagement rate``, ``engagement-rate`` -> ``engagement_rate``."""
    return "_".join(metric.strip().lower().replace("-", " ").replace("_", " ").split())


def additive(metric: str | None) -> bool:
    """Whether values of this metric from several channels add up (counts do, rates do not)."""
    return metric is not None and metric_key(metric) in COUNTS


def computable(metric: str | None) -> bool:
    key = metric_key(metric) if metric else ""
    return key in FORMULAS or key in COUNTS


@functools.cache
def figures_for(metric: str | None) -> tuple[str, ...]:
    """The raw figures :func:`compute` reads for ``metric`` (none when it cannot)."""
    key = metric_key(metric) if metric else ""
    formula = FORMULAS.get(key)
    names = formula.figures if formula else (COUNTS[key],) if key in COUNTS else ()
    out: list[str] = []
    for name in names:
        out.extend(("followers_end", "followers_start") if name == "followers" else (name,))
    return tuple(out)


def _figure(figures: Mapping[str, float], name: str) -> float | None:
    if name == "followers":  # the audience at the end of the period, else at its start
        found = figures.get("followers_end")
        return found if found is not None else figures.get("followers_start")
    return figures.get(name)


def compute(metric: str | None, figures: Mapping[str, float]) -> float:
    """The value of ``metric`` from raw figures; :class:`MetricError` says why not."""
    key = metric_key(metric) if metric else ""
    if not key:
        raise MetricError("the KPI names no metric to compute from raw figures")
    if key in COUNTS:
        value = _figure(figures, COUNTS[key])
        if value is None:
            wanted = "followers_end" if COUNTS[key] == "followers" else COUNTS[key]
            raise MetricError(f"metric '{metric}' is the figure '{wanted}', which is missing")
        return value
    formula = FORMULAS.get(key)
    if formula is None:
        counts = ", ".join(dict.fromkeys(COUNTS.values()))
        raise MetricError(
            f"smplan cannot compute metric '{metric}' from raw figures (it computes "
            f"{', '.join(COMPUTED)}, and takes the counts {counts} as they are)"
        )
    values = [_figure(figures, name) for name in formula.figures]
    lacking = [name for name, v in zip(formula.figures, values, strict=True) if v is None]
    if lacking:
        shown = " and ".join("followers_end" if n == "followers" else n for n in lacking)
        verb = "is" if len(lacking) == 1 else "are"
        raise MetricError(f"metric '{metric}' is {formula.words}, but {shown} {verb} missing")
    result = formula.function(*values)
    if result is None:
        raise MetricError(f"metric '{metric}' is {formula.words}, but {formula.divisor} is 0")
    return result
