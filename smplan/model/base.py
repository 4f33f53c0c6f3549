"""Building blocks shared by every section of the plan DSL.

Shorthands (``4/week``, ``30m``, a bare number for money) are normalised by
``BeforeValidator``s so the typed model always holds one shape, while the
generated JSON Schema still advertises every accepted input form.
"""

import re
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Model(BaseModel):
    """Base of every DSL object: unknown keys are errors, never ignored."""

    model_config = ConfigDict(
        extra="forbid",
        # .inf and .nan are valid YAML floats but no plan's amount or count.
        allow_inf_nan=False,
        # Build one validator for Plan on first use instead of one per class at
        # import: start-up is most of a pre-commit run.
        defer_build=True,
        validate_default=False,
        use_attribute_docstrings=False,
        str_strip_whitespace=False,
    )


Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=200),
    Field(description="A kebab-case identifier, unique within its collection."),
]
"""An identifier of an item: kebab-case (`web-traffic`, `c-001`)."""

Ref = Annotated[str, StringConstraints(min_length=1, max_length=200)]
"""A reference to an id elsewhere in the plan (checked by `unresolved-reference`)."""

Text = Annotated[str, StringConstraints(max_length=100_000)]
"""Free text; Markdown is allowed."""

LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"

Language = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
"""A BCP 47 language tag (`en`, `ru`, `es-MX`)."""

Currency = Annotated[str, StringConstraints(pattern=CURRENCY_PATTERN)]
"""An ISO 4217 currency code (`EUR`)."""

Percent = Annotated[float, Field(ge=0, le=100)]


# ---------------------------------------------------------------- durations
_SHORT_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)\s*$")
_DURATION_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(value: Any) -> Any:
    """Turn ``30m``/``4h``/``2d``/``1w`` into a timedelta; ISO 8601 is left to pydantic."""
    if isinstance(value, str):
        match = _SHORT_DURATION.match(value)
        if match:
            amount = float(match.group(1))
            return timedelta(**{_DURATION_UNITS[match.group(2)]: amount})
        if not value.strip().upper().startswith("P"):
            raise ValueError(f"'{value}' is not a duration; write e.g. 30m, 4h, 2d, 1w or PT4H")
    if isinstance(value, int | float):  # bool is an int too
        raise ValueError(f"'{value}' is not a duration; add a unit, e.g. {value}h")
    return value


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration, json_schema_input_type=str),
    Field(
        json_schema_extra={
            "pattern": r"^(\d+(\.\d+)?\s*(m|min|h|d|w)|P.*)$",
            "examples": ["30m", "4h", "2d", "1w", "PT4H"],
        }
    ),
]


# -------------------------------------------------------------- frequencies
_FREQUENCY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(day|week|month)\s*$")


class Frequency(Model):
    """How often something happens: `{count: 4, per: week}` or `4/week`."""

    count: float = Field(gt=0, title="Count", description="How many times per period.")
    per: Literal["day", "week", "month"] = Field(
        title="Per", description="The period: day, week or month."
    )

    def per_week(self) -> float:
        factor = {"day": 7.0, "week": 1.0, "month": 12.0 / 52.0}[self.per]
        return self.count * factor

    def __str__(self) -> str:
        count = int(self.count) if self.count == int(self.count) else self.count
        return f"{count}/{self.per}"


def parse_frequency(value: Any) -> Any:
    if isinstance(value, str):
        match = _FREQUENCY.match(value)
        if not match:
            raise ValueError(
                f"'{value}' is not a frequency; write e.g. 4/week (per day, week or month)"
            )
        return {"count": float(match.group(1)), "per": match.group(2)}
    return value


FrequencyField = Annotated[
    Frequency,
    BeforeValidator(
        parse_frequency,
        json_schema_input_type=Annotated[
            str, StringConstraints(pattern=r"^\s*\d+(\.\d+)?\s*/\s*(day|week|month)\s*$")
        ]
        | Frequency,
    ),
]


# -------------------------------------------------------------------- money
class Money(Model):
    """An amount of money: a bare number (in `plan.currency`) or `{amount, currency}`."""

    amount: float = Field(ge=0, title="Amount", description="The amount of money.")
    currency: Currency | None = Field(
        default=None,
        title="Currency",
        description="ISO 4217 code; defaults to the plan's currency.",
    )


_MONEY_TEXT = re.compile(r"^\s*([^\d\s.,-]*)\s*(\d[\d\s.,]*)\s*([A-Za-z]{3}|[^\d\s.,]*)\s*$")


def parse_money(value: Any) -> Any:
    """A bare number is an amount in the plan's currency; other scalars get a hint."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"amount": value}
    if isinstance(value, str | bool) or value is None:
        raise ValueError(_money_hint(value))
    return value


def _money_hint(value: Any) -> str:
    shown = f"'{value}'" if isinstance(value, str) else repr(value)
    example = "500"
    if isinstance(value, str):
        match = _MONEY_TEXT.match(value)
        if match:
            example = re.sub(r"[\s,]", "", match.group(2)) or example
            code = match.group(3) if len(match.group(3)) == 3 else ""
            if code.isalpha():
                return (
                    f"{shown} is not an amount of money; write a number in the plan's "
                    f"currency ({example}) or {{amount: {example}, currency: {code.upper()}}}"
                )
    return (
        f"{shown} is not an amount of money; write a number in the plan's currency "
        f"({example}) or {{amount: {example}, currency: EUR}}"
    )


MoneyField = Annotated[
    Money,
    BeforeValidator(parse_money, json_schema_input_type=Annotated[float, Field(ge=0)] | Money),
]


# ------------------------------------------------------------------- period
class Period(Model):
    """A closed date range; a reversed one is left to `date-range-reversed`."""

    start: date = Field(title="Start", description="First day (ISO 8601, e.g. 2027-01-01).")
    end: date = Field(title="End", description="Last day (ISO 8601, e.g. 2027-12-31).")
