"""Dates, numbers, money and durations in the document's language (Babel).

A plan in Russian must read ``1 200,50 ₽`` and ``31 марта 2027 г.``, not the
Python defaults; everything locale-dependent goes through :class:`Formatter`
so templates never format a value by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval, format_skeleton, format_time
from babel.numbers import format_currency, format_decimal

from smplan.model import Frequency, Money
from smplan.render.i18n import Labels

_Unit = Literal["week", "day", "hour", "minute"]


def parse_locale(tag: str) -> Locale:
    """A BCP 47 tag as a Babel locale; unknown tags fall back to English."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(tag.replace("-", "_").split("_")[0])
        except (UnknownLocaleError, ValueError):
            return Locale.parse("en")


def humanize(value: str) -> str:
    """``paid_media`` -> ``Paid media``: the last resort for an unlabelled value."""
    text = value.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def capitalize(text: str) -> str:
    """Upper-case the first letter only (``март 2027 г.`` -> ``Март 2027 г.``)."""
    return text[:1].upper() + text[1:]


class Formatter:
    """Formats values for one document: its locale, currency and labels."""

    def __init__(self, language: str, currency: str | None, labels: Labels) -> None:
        self.tag = language
        self.locale = parse_locale(language)
        self.currency = currency
        self.labels = labels

    # ---------------------------------------------------------------- dates
    def date(self, value: dt.date | None, style: str = "long") -> str:
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            value = value.date()
        return str(format_date(value, style, locale=self.locale))

    def date_short(self, value: dt.date | None) -> str:
        return self.date(value, "medium")

    def month(self, value: dt.date) -> str:
        """A month heading, nominative: ``March 2027``, ``Март 2027 г.``."""
        return capitalize(str(format_skeleton("yMMMM", value, locale=self.locale)))

    def month_abbr(self, value: dt.date) -> str:
        """An axis tick: ``Mar``, ``мар.``."""
        return str(format_date(value, "LLL", locale=self.locale))

    def day_month(self, value: dt.date) -> str:
        return str(format_skeleton("MMMd", value, locale=self.locale))

    def period(self, start: dt.date | None, end: dt.date | None) -> str:
        """``1 Jan – 31 Dec 2027``: Babel knows which parts to repeat."""
        if start is None or end is None:
            return self.date(start or end)
        if end < start:
            return f"{self.date(start)} – {self.date(end)}"
        return str(format_interval(start, end, "yMMMd", locale=self.locale))

    def short_period(self, start: dt.date | None, end: dt.date | None) -> str:
        if start is None or end is None or end < start:
            return self.period(start, end)
        return str(format_interval(start, end, "MMMd", locale=self.locale))

    def datetime(self, value: dt.datetime | None) -> str:
        """Date and time as the plan wrote them (the post's own UTC offset)."""
        if value is None:
            return ""
        return f"{self.date(value, 'medium')}, {self.time(value)}"

    def time(self, value: dt.datetime) -> str:
        return str(format_time(value.timetz().replace(tzinfo=None), "short", locale=self.locale))

    # -------------------------------------------------------------- numbers
    def number(self, value: float | None, digits: int = 2) -> str:
        if value is None:
            return ""
        if float(value).is_integer():
            return str(format_decimal(int(value), locale=self.locale))
        pattern = "#,##0." + "#" * digits
        return str(format_decimal(value, format=pattern, locale=self.locale))

    def percent(self, value: float | None) -> str:
        """A value already in percent (0-100), with the locale's sign and spacing."""
        if value is None:
            return ""
        pattern = str(self.locale.percent_formats[None].pattern).split(";")[0]
        pattern = pattern.replace("#,##0", "#,##0.#")
        return str(format_decimal(value / 100, format=pattern, locale=self.locale))

    def money(self, value: Money | float | None, currency: str | None = None) -> str:
        """Money in its currency; whole amounts drop the cents (``€12,000``)."""
        if value is None:
            return ""
        if isinstance(value, Money):
            currency = value.currency or currency
            amount = value.amount
        else:
            amount = float(value)
        currency = currency or self.currency
        if currency is None:
            return self.number(amount)
        if float(amount).is_integer():
            pattern = str(self.locale.currency_formats["standard"].pattern).split(";")[0]
            pattern = pattern.replace("#,##0.00", "#,##0")
            return str(
                format_currency(
                    amount, currency, format=pattern, locale=self.locale, currency_digits=False
                )
            )
        return str(format_currency(amount, currency, locale=self.locale))

    def value(self, value: float | None, unit: str | None) -> str:
        """A KPI value in its unit: ``%``, a currency code, ``count`` or ``ratio``."""
        if value is None:
            return ""
        if unit == "%":
            return self.percent(value)
        if unit and len(unit) == 3 and unit.isalpha() and unit.isupper():
            return self.money(value, unit)
        if unit in (None, "", "count"):
            return self.number(value)
        if unit == "ratio":
            return self.labels.get("unit.ratio", "{value}×", value=self.number(value))
        return f"{self.number(value)} {unit}"

    # ------------------------------------------------------------- durations
    def duration(self, value: dt.timedelta | None) -> str:
        """``4h`` -> ``4 hours``, ``90m`` -> ``1 hour 30 minutes`` (locale plurals)."""
        if value is None:
            return ""
        from babel.dates import format_timedelta

        total = int(value.total_seconds() // 60)
        if total <= 0:
            return str(format_timedelta(value, locale=self.locale))
        parts: list[str] = []
        units: tuple[tuple[_Unit, int], ...] = (
            ("week", 7 * 1440),
            ("day", 1440),
            ("hour", 60),
            ("minute", 1),
        )
        for unit, minutes in units:
            count, total = divmod(total, minutes)
            if count:
                parts.append(
                    str(
                        format_timedelta(
                            dt.timedelta(minutes=count * minutes),
                            granularity=unit,
                            threshold=10**6,
                            locale=self.locale,
                        )
                    )
                )
        return " ".join(parts)

    def frequency(self, value: Frequency | None) -> str:
        if value is None:
            return ""
        return self.labels.get(f"frequency.{value.per}", count=self.number(value.count))

    # ---------------------------------------------------------------- labels
    def enum(self, group: str, value: str | None) -> str:
        """A fixed DSL value (``paid_media``) as a word in the document's language."""
        if value is None:
            return ""
        return self.labels.get(f"{group}.{value}", humanize(value))

    def language_name(self, tag: str) -> str:
        """``es`` -> ``Spanish`` / ``испанский`` (Babel's own names)."""
        try:
            name = Locale.parse(tag.replace("-", "_")).get_display_name(self.locale)
        except (UnknownLocaleError, ValueError):
            return tag
        return capitalize(name) if name else tag
