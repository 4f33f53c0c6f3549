"""`smplan track`: the table, the JSON contract, exit codes, and agreement with lint."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import FIXTURES
from tests.markdown_support import EVIL, assert_inert, table_widths

SHOP = FIXTURES / "actuals" / "shop" / "shop.smplan.yaml"
KEYS = ["kpi", "objective", "baseline", "actual", "target", "attainment", "expected", "status"]


def test_text_has_a_table_per_objective_and_what_to_redefine(cli):
    result = cli("track", str(SHOP), "--as-of", "2027-06-30")
    assert result.code == 0, result
    out = result.stdout
    assert out.startswith("KPI status on 2027-06-30: Shop 2027\n")
    assert "web-traffic: Visits to the web shop from social" in out
    assert "club: Subscriptions sold through social ads" in out
    assert (
        "  sessions  1,600 (2027-06-30)  2,000 by 2027-12-31         60%       50%  on-track" in out
    )
    assert (
        "  cpa        25 EUR (2027-06-30)  21 EUR by 2027-12-31         20%       50%  off-track"
        in out
    )
    assert "Off track, to redefine:\n  cpa (objective club): Stop the weakest ad set\n" in out
    assert "  launch      600     500         120%        66%  overspent" in out
    assert out.endswith("5 KPIs: 1 achieved, 1 on-track, 1 at-risk, 1 off-track, 1 no-data\n")


def test_json_is_the_public_contract(cli):
    result = cli("track", str(SHOP), "--as-of", "2027-06-30", "--format", "json")
    assert result.code == 0
    data = json.loads(result.stdout)
    assert list(data) == ["as_of", "kpis"]
    assert data["as_of"] == "2027-06-30"
    assert all(list(item) == KEYS for item in data["kpis"])
    assert data["kpis"][2] == {
        "kpi": "cpa",
        "objective": "club",
        "baseline": 26,
        "actual": 25,
        "target": 21,
        "attainment": 0.2,
        "expected": 0.4959,
        "status": "off-track",
    }
    assert [k["status"] for k in data["kpis"]] == [
        "on-track",
        "achieved",
        "off-track",
        "at-risk",
        "no-data",
    ]
    assert data["kpis"][4]["actual"] is None


def test_markdown_tables(cli):
    out = cli("track", str(SHOP), "--as-of", "2027-06-30", "--format", "markdown").stdout
    assert out.startswith("# KPI status on 2027-06-30: Shop 2027\n")
    assert (
        "| `cpa` | 25 EUR (2027-06-30) | 21 EUR by 2027-12-31 | 20% | 50% | **off-track** |" in out
    )
    assert "- `cpa` (objective `club`): Stop the weakest ad set" in out
    assert "| launch | 600 | 500 | 120% | 66% | overspent |" in out


def test_fail_on_off_track_sets_the_exit_code(cli):
    assert cli("track", str(SHOP), "--as-of", "2027-06-30", "--fail-on-off-track").code == 1
    # on 2027-03-31 nothing is off track yet (the CPA has no measurement)
    early = cli("track", str(SHOP), "--as-of", "2027-03-31", "--fail-on-off-track")
    assert early.code == 0, early.stdout


@pytest.mark.parametrize(
    ("today", "as_of"),
    [
        ("2028-03-01", "2027-09-30"),  # the latest measurement
        ("2027-05-15", "2027-04-30"),  # the latest on or before today: not today itself
        ("2027-04-30", "2027-04-30"),
        ("2027-01-15", "2027-01-15"),  # nothing measured yet: today
    ],
)
def test_the_report_date_is_the_latest_measurement_on_or_before_today(cli, today, as_of):
    tracked = json.loads(cli("track", str(SHOP), "--format", "json", "--today", today).stdout)
    assert tracked["as_of"] == as_of
    text = cli("track", str(SHOP), "--today", today).stdout
    assert text.startswith(f"KPI status on {as_of}: ")
    markdown = cli("track", str(SHOP), "--format", "markdown", "--today", today).stdout
    assert markdown.startswith(f"# KPI status on {as_of}: ")


def test_smplan_today_sets_the_report_date_too(cli):
    env = {"SMPLAN_TODAY": "2027-05-16"}
    assert json.loads(cli("track", str(SHOP), "--format", "json", env=env).stdout)["as_of"] == (
        "2027-04-30"
    )


def test_config_options_of_kpi_off_track_apply(tmp_path, cli):
    config = tmp_path / ".smplan.toml"
    config.write_text('[options.kpi-off-track]\ntolerance = 0.2\npace = "back"\n', encoding="utf-8")
    out = json.loads(
        cli(
            "track", str(SHOP), "--as-of", "2027-06-30", "--format", "json", "--config", str(config)
        ).stdout
    )
    cpa = out["kpis"][2]
    assert cpa["expected"] == round((181 / 365) ** 2, 4)
    assert cpa["status"] == "on-track"


def test_bad_options_and_dates_are_one_line_errors(tmp_path, cli):
    bad = cli("track", str(SHOP), "--as-of", "30/06/2027")
    assert (bad.code, bad.stderr) == (
        2,
        "smplan: error: invalid date '30/06/2027' for --as-of; use YYYY-MM-DD\n",
    )
    config = tmp_path / ".smplan.toml"
    config.write_text('[options.kpi-off-track]\npace = "fast"\n', encoding="utf-8")
    result = cli("track", str(SHOP), "--config", str(config))
    assert result.code == 2
    assert "option 'pace' must be one of linear, front, back, not 'fast'" in result.stderr
    missing = cli("track", str(tmp_path / "nope.smplan.yaml"))
    assert missing.code == 2 and "no such file" in missing.stderr
    folder = cli("track", str(tmp_path))
    assert (folder.code, folder.stderr) == (
        2,
        f"smplan: error: {tmp_path}: is a folder; name a plan file\n",
    )


def test_a_plan_that_does_not_load_is_an_error_at_its_position(tmp_path, cli):
    plan = tmp_path / "p.smplan.yaml"
    plan.write_text("smplan: 1\nplan: {id: p, name: P}\n", encoding="utf-8")
    result = cli("track", str(plan))
    assert result.code == 2
    assert result.stderr.count("\n") == 1 and ":2:" in result.stderr


def test_a_plan_without_actuals_is_all_no_data(tmp_path, cli):
    plan = tmp_path / "p.smplan.yaml"
    plan.write_text(
        "smplan: 1\nplan: {id: p, name: P, period: {start: 2027-01-01, end: 2027-12-31}}\n"
        "kpis: [{id: a, baseline: {value: 1, as_of: 2026-12-31}, target: {value: 2, by: 2027-12-31}}]\n",
        encoding="utf-8",
    )
    result = cli("track", str(plan), "--today", "2027-04-01", "--fail-on-off-track")
    assert result.code == 0
    assert "1 KPIs: 1 no-data" in result.stdout
    assert "Budget" not in result.stdout


def test_track_has_no_traceback_on_bad_actuals(smplan_process):
    result = smplan_process("track", str(FIXTURES / "actuals" / "bad" / "bad.smplan.yaml"))
    assert "Traceback" not in result.stderr
    assert result.code in (0, 2)


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("late.csv", 'kpi,as_of,value\nsessions,2027-05-31,"17\n', "late.csv:2:1: malformed CSV"),
        ("late.csv", "kpi,as_of,value\nsessions,2027-05-31,1,7\n", "late.csv:2:1: this row has 4"),
        ("late.yaml", "- {kpi: sessions, as_of: 2027-05-31, value: [\n", "late.yaml:2:1: "),
    ],
)
def test_a_broken_actuals_file_fails_track_instead_of_being_left_out(
    tmp_path, cli, name, text, where
):
    shop = tmp_path / "shop"
    shutil.copytree(SHOP.parent, shop)
    (shop / ".git").mkdir()
    (shop / "actuals" / name).write_text(text, encoding="utf-8")
    plan = str(shop / "shop.smplan.yaml")
    result = cli("track", plan, "--as-of", "2027-06-30")
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.startswith("smplan: error: ") and result.stderr.count("\n") == 1
    assert where in result.stderr
    # The config decides, as for lint: an ignored rule does not stop the report.
    (shop / ".smplan.toml").write_text('ignore = ["actuals-invalid"]\n', encoding="utf-8")
    if name.endswith(".csv"):
        assert cli("track", plan, "--as-of", "2027-06-30").code == 0


def test_a_missing_import_fails_track(tmp_path, cli):
    plan = tmp_path / "p.smplan.yaml"
    plan.write_text(
        "smplan: 1\nimports: [team.yaml]\n"
        "plan: {id: p, name: P, period: {start: 2027-01-01, end: 2027-12-31}}\n",
        encoding="utf-8",
    )
    result = cli("track", str(plan))
    assert result.code == 2
    assert result.stderr == (
        f"smplan: error: {plan}:2:11: imported file 'team.yaml' does not exist\n"
    )


def test_lint_reports_the_same_off_track_kpi_and_the_overspend(cli):
    result = cli(
        "lint",
        str(SHOP),
        "--format",
        "json",
        "--today",
        "2027-06-30",
        "--select",
        "kpi-off-track,budget-overspent",
    )
    found = [(d["line"], d["rule"], d["message"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert [(line, rule) for line, rule, _ in found] == [
        (27, "kpi-off-track"),
        (54, "budget-overspent"),
    ]
    assert found[0][2] == (
        "KPI 'cpa' (objective 'club') is off track: 25 EUR on 2027-06-30 is 20% of the way from "
        "26 EUR to 21 EUR, where 50% was due by then (tolerance 10%); on miss: Stop the weakest ad set"
    )
    assert found[1][2].startswith("campaign 'launch' has spent 600 EUR by 2027-06-30, 120% of its")


def test_lint_before_any_measurement_finds_nothing_off_track(cli):
    result = cli(
        "lint", str(SHOP), "--today", "2027-01-15", "--select", "kpi-off-track,budget-overspent"
    )
    assert result.code == 0, result.stdout


def test_markdown_shows_hostile_plan_text_as_text(cli, tmp_path):
    """A plan name, a statement or an on_miss action cannot become markup in a summary."""
    shutil.copytree(SHOP.parent, tmp_path / "shop")
    plan = tmp_path / "shop" / SHOP.name
    hostile = json.dumps(EVIL)
    source = plan.read_text(encoding="utf-8")
    source = source.replace("name: Shop 2027", f"name: {hostile}")
    source = source.replace(
        "statement: Subscriptions sold through social ads", f"statement: {hostile}"
    )
    source = source.replace("on_miss: Stop the weakest ad set", f"on_miss: {hostile}")
    plan.write_text(source, encoding="utf-8")
    result = cli("track", str(plan), "--as-of", "2027-06-30", "--format", "markdown")
    assert result.code == 0, result
    tokens = assert_inert(result.stdout, times=3)  # the title, a heading, the action
    assert table_widths(tokens) == {6}
