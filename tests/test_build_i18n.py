"""Label catalogues and locale formatting: the document speaks the plan's language."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import yaml

from smplan.model import Frequency, Money
from smplan.render.fmt import Formatter
from smplan.render.i18n import flatten, load_labels
from smplan.resources import data_dir

CATALOGUES = data_dir("renderers") / "i18n"
LANGUAGES = ("en", "ru", "es")


def catalogue(language: str) -> dict[str, str]:
    return flatten(yaml.safe_load((CATALOGUES / f"{language}.yaml").read_text("utf-8")))


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_catalogue_has_every_key(language: str) -> None:
    english, other = catalogue("en"), catalogue(language)
    assert sorted(set(english) - set(other)) == [], f"{language}.yaml lacks these keys"
    assert sorted(set(other) - set(english)) == [], f"{language}.yaml has keys en.yaml lacks"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_translations_keep_the_placeholders(language: str) -> None:
    english, other = catalogue("en"), catalogue(language)
    wrong = {k: v for k, v in other.items() if placeholders(v) != placeholders(english[k])}
    assert wrong == {}


def test_a_missing_label_falls_back_to_english(tmp_path) -> None:
    (tmp_path / "ru.yaml").write_text("section:\n  kpis: Показатели\n", encoding="utf-8")
    (tmp_path / "en.yaml").write_text(
        "section:\n  kpis: KPIs\n  budget: Budget\n", encoding="utf-8"
    )
    labels = load_labels("ru", [tmp_path])
    assert labels.get("section.kpis") == "Показатели"
    assert labels.get("section.budget") == "Budget"
    assert labels.get("no.such.key") == "no.such.key"


def test_a_regional_tag_uses_the_language_catalogue() -> None:
    labels = load_labels("es-MX", [CATALOGUES])
    assert labels.get("section.budget") == "Presupuesto"


def test_an_unknown_language_gets_english_labels() -> None:
    labels = load_labels("de", [CATALOGUES])
    assert labels.get("section.budget") == "Budget"


def formatter(language: str, currency: str = "RUB") -> Formatter:
    return Formatter(language, currency, load_labels(language, [CATALOGUES]))


def test_russian_money_dates_and_numbers() -> None:
    ru = formatter("ru")
    nbsp = "\u00a0"
    assert ru.money(1200.5) == f"1{nbsp}200,50{nbsp}₽"
    assert ru.money(Money(amount=12000)) == f"12{nbsp}000{nbsp}₽"
    assert ru.date(date(2027, 3, 31)) == "31 марта 2027\u202fг."
    assert ru.month(date(2027, 3, 1)) == "Март 2027\u202fг."
    assert ru.percent(4.5) == f"4,5{nbsp}%"
    assert ru.duration(timedelta(minutes=90)) == "1 час 30 минут"
    assert ru.frequency(Frequency(count=4, per="week")) == "4 в неделю"


def test_english_and_spanish_formats() -> None:
    en, es = formatter("en", "EUR"), formatter("es", "EUR")
    assert en.money(12000) == "€12,000"
    assert en.money(12.5) == "€12.50"
    assert en.date(date(2027, 3, 31)) == "March 31, 2027"
    assert es.date(date(2027, 3, 31)) == "31 de marzo de 2027"
    assert es.money(12000) == "12.000\u00a0€"
    assert en.value(2.1, "ratio") == "2.1×"
    assert en.value(26, "EUR") == "€26"
    assert en.duration(timedelta(hours=4)) == "4 hours"
