"""The Results section `smplan build` adds when a plan has actuals, in every language."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from smplan.render.results import progress_chart
from smplan.render.theme import Palette
from tests.conftest import EXAMPLES

CAFE = EXAMPLES / "cafe-verde" / "cafe-verde.smplan.yaml"
SEVER = EXAMPLES / "sever-bike" / "sever-bike.smplan.yaml"


def build(cli, tmp_path: Path, plan: Path, *args: str) -> tuple[str, str]:
    out = tmp_path / "out"
    result = cli(
        "build", str(plan), "-f", "md,html", "-o", str(out), "--today", "2027-06-30", *args
    )
    assert result.code == 0, result.stderr
    stem = plan.name.removesuffix(".smplan.yaml")
    return (out / f"{stem}.md").read_text("utf-8"), (out / f"{stem}.html").read_text("utf-8")


def section(markdown: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", markdown, re.M | re.S)
    assert match, f"no section {title!r}"
    return match.group(1)


def test_results_in_english(cli, tmp_path):
    markdown, html = build(cli, tmp_path, CAFE)
    results = section(markdown, "Results")
    assert results.startswith("\nMeasured results as of June 30, 2027:")
    assert (
        "| **Cost per qualified office lead** | €99 (Jun 30, 2027) | €75 (Oct 31, 2027) | -14% | 66% | **Off track** |"
        in results
    )
    assert (
        "| **Return on ad spend, Christmas campaign** | — | 3× (Dec 20, 2027) | — | 52% | No data |"
        in results
    )
    for status in ("Achieved", "On track", "At risk", "Off track", "No data"):
        assert status in results
    assert "### What to redefine" in results
    assert "Swap sponsored posts for document ads" in " ".join(results.split())
    assert "| Verde Club relaunch | €1,120 (93%) | €1,200 | 100% |" in results
    assert "Brew School Live" not in results  # organic: its budget is not ad spend
    charts = re.findall(r'<svg [^>]*class="chart chart-result".*?</svg>', html, re.S)
    assert len(charts) == 10  # every KPI with a measurement; paid-roas has none
    assert any(
        '<title id="chart-result-office-cpl-title">Cost per qualified office lead: €99, Off track</title>'
        in c
        for c in charts
    )
    assert 'id="results"' in html and "badge-sev-error" in html


def test_results_in_russian(cli, tmp_path):
    markdown, html = build(cli, tmp_path, SEVER)
    results = section(markdown, "Результаты")
    assert results.startswith("\nРезультаты на 30 июня 2027\u202fг.:")
    for status in ("Достигнут", "По плану", "Под угрозой", "Отстаёт", "Нет данных"):
        assert status in results, status
    assert "### Что пересмотреть" in results
    assert "Выше 550 ₽ неделю подряд" in " ".join(results.split())  # Markdown wraps
    assert "chart-result-booking-cpa" in html


def test_results_in_spanish(cli, tmp_path):
    markdown, _ = build(cli, tmp_path, CAFE, "--lang", "es")
    results = section(markdown, "Resultados")
    for status in ("Logrado", "En camino", "En riesgo", "Desviado", "Sin datos"):
        assert status in results, status
    assert "### Qué redefinir" in results


def test_the_document_does_not_change_once_today_is_past_the_data(cli, tmp_path):
    first, _ = build(cli, tmp_path / "a", CAFE)
    second = cli("build", str(CAFE), "-f", "md", "-o", str(tmp_path / "b"), "--today", "2029-01-01")
    assert second.code == 0
    assert (tmp_path / "b" / "cafe-verde.md").read_text("utf-8") == first


@pytest.mark.parametrize(
    ("today", "as_of", "shown"),
    [("2027-06-30", "2027-06-30", "June 30, 2027"), ("2027-04-10", "2027-03-31", "March 31, 2027")],
)
def test_the_document_and_track_report_on_the_same_date(cli, tmp_path, today, as_of, shown):
    import json

    tracked = json.loads(cli("track", str(CAFE), "--format", "json", "--today", today).stdout)
    assert tracked["as_of"] == as_of
    out = tmp_path / "out"
    result = cli("build", str(CAFE), "-f", "md", "-o", str(out), "--today", today)
    assert result.code == 0, result.stderr
    markdown = (out / "cafe-verde.md").read_text("utf-8")
    assert section(markdown, "Results").startswith(f"\nMeasured results as of {shown}:")
    kpis = " ".join(section(markdown, "KPIs and measurement").split())
    assert f"Latest actuals as of {shown}: the latest measurement on or before" in kpis
    # a measurement after the report date is in neither
    actuals = {k["kpi"]: k["actual"] for k in tracked["kpis"]}
    if as_of == "2027-03-31":
        assert actuals["brew-engagement"] == pytest.approx(2310 / 63000 * 100)  # not June's
        assert "3.7% (Mar 31, 2027)" in kpis and "4.1% (Jun 30, 2027)" not in markdown


COMPUTED = {  # KPIs measured only by raw figures in examples/cafe-verde/actuals/
    "Cost per Verde Club subscriber from paid social": ("club-cpa", "€22.61 (Mar 14, 2027)"),
    "Instagram engagement rate by reach": ("brew-engagement", "4.1% (Jun 30, 2027)"),
    "TikTok followers": ("tt-followers", "3,090 (Jun 30, 2027)"),
    "Comments and messages answered within the response time": (
        "response-within-sla",
        "96.3% (Jun 30, 2027)",
    ),
}


@pytest.mark.parametrize("name", COMPUTED)
def test_one_latest_value_in_the_kpi_table_its_chart_results_and_track(cli, tmp_path, name):
    import json

    kpi, shown = COMPUTED[name]
    markdown, html = build(cli, tmp_path, CAFE)
    table = [
        line
        for line in section(markdown, "KPIs and measurement").splitlines()
        if line.startswith(f"| **{name}**")
    ]
    results = [
        line
        for line in section(markdown, "Results").splitlines()
        if line.startswith(f"| **{name}**")
    ]
    assert len(table) == len(results) == 1
    assert table[0].split(" | ")[3] == shown  # the KPI table's "Latest actual" column
    assert results[0].split(" | ")[1] == shown
    value = shown.split(" (")[0]
    chart = re.search(rf'<svg [^>]*aria-labelledby="chart-kpi-{kpi}-title".*?</svg>', html, re.S)
    assert chart and f">Actual {value}</text>" in chart.group(0)
    tracked = cli("track", str(CAFE), "--format", "json", "--today", "2027-06-30")
    actual = {k["kpi"]: k["actual"] for k in json.loads(tracked.stdout)["kpis"]}[kpi]
    number = value.lstrip("€").rstrip("%").replace(",", "")
    assert round(actual, 2 if "." in number else 0) == pytest.approx(float(number), abs=0.051)


def test_no_results_section_without_actuals(cli, tmp_path):
    plan = tmp_path / "p.smplan.yaml"
    text = CAFE.read_text("utf-8").replace("  actuals: actuals/*\n", "")
    plan.write_text(text.replace("imports: [shared/team.yaml]", "imports: []"), "utf-8")
    out = tmp_path / "out"
    cli("build", str(plan), "-f", "md,html", "-o", str(out), "--today", "2027-06-30", "--force")
    assert "## Results" not in (out / "p.md").read_text("utf-8")
    assert 'id="results"' not in (out / "p.html").read_text("utf-8")


def test_progress_chart_draws_the_expected_path_the_actuals_and_the_status():
    svg = progress_chart(
        uid="c",
        title="Sessions: 1,650, At risk",
        start=(date(2026, 12, 31), 1200.0),
        end=(date(2027, 12, 31), 2400.0),
        actuals=[(date(2027, 3, 31), 1400.0), (date(2027, 6, 30), 1650.0)],
        expected_at=date(2027, 6, 30),
        label=lambda v: f"{v:,.0f}",
        status=("at-risk", "At risk"),
        captions=(("Baseline", "Dec 31, 2026"), ("Target", "Dec 31, 2027")),
        expected_caption="dashed: expected path",
        palette=Palette(),
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-result"')
    assert '<title id="c-title">Sessions: 1,650, At risk</title>' in svg
    dashed, actual = re.findall(r'<polyline points="([^"]+)"', svg)
    assert len(dashed.split()) == 25  # the expected path, sampled
    assert len(actual.split()) == 3  # baseline, then each measurement
    assert ">At risk</text>" in svg and ">1,650</text>" in svg and ">2,400</text>" in svg
    assert 'stroke="#8a6a10"' in svg  # the at-risk colour, beside the words


@pytest.mark.parametrize("pace", ["front", "back"])
def test_progress_chart_bends_with_the_pace(pace):
    def chart(shape: str) -> str:
        return progress_chart(
            uid="c",
            title="t",
            start=(date(2027, 1, 1), 0.0),
            end=(date(2027, 12, 31), 100.0),
            actuals=[(date(2027, 6, 30), 50.0)],
            expected_at=date(2027, 6, 30),
            label=str,
            status=("on-track", "On track"),
            captions=(("B", ""), ("T", "")),
            expected_caption="",
            palette=Palette(),
            pace=shape,
        )

    assert chart(pace) != chart("linear")


@pytest.mark.parametrize(
    "options",
    ["", '[tool.smplan.options."kpi-off-track"]\ntolerance = 0.5\npace = "back"\n'],
    ids=["defaults", "configured"],
)
def test_the_document_judges_kpis_as_track_does(cli, tmp_path, options):
    import json
    import shutil

    folder = tmp_path / "repo"
    shutil.copytree(CAFE.parent, folder)
    (folder / ".git").mkdir()
    (folder / "pyproject.toml").write_text(options, encoding="utf-8")
    plan = folder / CAFE.name
    tracked = cli("track", str(plan), "--as-of", "2027-06-30", "--format", "json")
    assert tracked.code == 0, tracked.stderr
    statuses = {k["kpi"]: k["status"] for k in json.loads(tracked.stdout)["kpis"]}
    markdown, _ = build(cli, tmp_path, plan, "--config", str(folder / "pyproject.toml"))
    results = section(markdown, "Results")
    labels = {
        "achieved": "Achieved",
        "on-track": "On track",
        "at-risk": "At risk",
        "off-track": "Off track",
        "no-data": "No data",
    }
    shown = {labels[s] for s in statuses.values()}
    counted = {
        label: results.count(f"| {label} |") + results.count(f"**{label}**") for label in shown
    }
    expected = {labels[s]: list(statuses.values()).count(s) for s in set(statuses.values())}
    assert counted == expected
