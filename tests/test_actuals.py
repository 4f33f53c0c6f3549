"""Actuals files: merged into the plan, every problem at its own file, line and cell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smplan.actuals import cell_spans, parse_csv, read_csv
from smplan.api import Session, lint_files, lint_text, load_plan
from smplan.source import Limits
from tests.conftest import FIXTURES

ACTUALS = FIXTURES / "actuals"
HEAD = """smplan: 1
plan:
  id: demo
  name: Demo
  period: {start: 2027-01-01, end: 2027-12-31}
  currency: EUR
  actuals: ACTUALS
objectives: [{id: web, statement: Visits to the web shop from social}]
kpis:
  - {id: sessions, objective: web, metric: sessions, unit: count, baseline: {value: 1000, as_of: 2026-12-31}}
  - {id: ctr, objective: web, metric: ctr, unit: "%"}
strategy:
  channels: [{id: ig, network: instagram}]
"""
RULES = ("structure", "actuals-invalid", "date-range-reversed", "limit-exceeded")


def make_repo(tmp_path: Path, files: dict[str, str | bytes], glob: str = "data/*") -> Path:
    """A repository (``.git``) holding a plan and the given files; returns the plan."""
    (tmp_path / ".git").mkdir()
    plan = tmp_path / "plan.smplan.yaml"
    plan.write_text(HEAD.replace("ACTUALS", glob), encoding="utf-8")
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return plan


def found(plan: Path, rules: tuple[str, ...] = RULES) -> list[tuple[str, int, int, str]]:

    session = Session(select=rules, today=None)
    report = lint_files([plan], session)
    return [(Path(d.file).name, d.line, d.column, d.rule) for d in report.active]


def messages(plan: Path, rules: tuple[str, ...] = RULES) -> list[str]:

    report = lint_files([plan], Session(select=rules))
    return [d.message for d in report.active]


# ------------------------------------------------------------------ merging
def test_inline_csv_and_yaml_actuals_become_one_list():
    plan = load_plan(ACTUALS / "shop" / "shop.smplan.yaml")
    assert plan.actuals is not None
    assert len(plan.actuals) == 1 + 6 + 3  # inline, CSV, YAML (files in name order)
    assert [m.kpi for m in plan.actuals[:3]] == ["sessions", "sessions", "sessions"]
    cpa = plan.actuals[4]
    assert (cpa.channel, cpa.campaign, cpa.conversions) == ("ig", "launch", 16.0)
    assert cpa.spend is not None and cpa.spend.amount == 400.0
    assert plan.actuals[8].note == "Spring newsletter"


def test_every_bad_row_is_reported_at_its_file_line_and_cell():
    assert found(ACTUALS / "bad" / "bad.smplan.yaml") == [
        ("bad.smplan.yaml", 6, 12, "actuals-invalid"),  # readme.txt is not CSV or YAML
        ("export.csv", 1, 36, "actuals-invalid"),  # unknown column 'vlaue'
        ("export.csv", 3, 1, "unresolved-reference"),  # kpi 'sesions'
        ("export.csv", 4, 10, "actuals-invalid"),  # before the baseline and the plan
        ("export.csv", 5, 1, "actuals-invalid"),  # no value, and no impressions for a CTR
        ("export.csv", 6, 1, "actuals-invalid"),  # 4 cells for 6 columns
        ("export.csv", 7, 10, "actuals-invalid"),  # sessions on 2027-02-28 twice
        ("typed.yaml", 2, 26, "actuals-invalid"),  # after the plan ends
    ]


def test_messages_say_what_is_wrong_and_what_to_do():
    text = "\n".join(messages(ACTUALS / "bad" / "bad.smplan.yaml"))
    assert "unknown column 'vlaue'; its cells are ignored; did you mean 'value'?" in text
    assert (
        "kpi 'sesions' of measurement 'sesions' is not a known KPI; did you mean 'sessions'?"
        in text
    )
    assert "this row has 4 cells, but the header (line 1) names 6 columns" in text
    assert "KPI 'sessions' is already measured on 2027-02-28" in text
    assert "but impressions is missing; add 'value' or the missing figures" in text
    assert "dated 2028-01-31, after the plan end (2027-12-31)" in text


def test_wrong_types_and_negative_counts_are_schema_violations_at_the_cell(tmp_path):
    plan = make_repo(
        tmp_path,
        {
            "data/a.csv": "kpi,as_of,value,clicks,spend\n"
            "sessions,2027-02-28,12.5k,,\n"
            "ctr,31/03/2027,,-4,\n"
            "ctr,2027-04-30,,4,ten\n"
        },
    )
    assert found(plan) == [
        ("a.csv", 2, 21, "schema-violation"),
        ("a.csv", 3, 5, "schema-violation"),
        ("a.csv", 3, 17, "schema-violation"),
        ("a.csv", 4, 19, "schema-violation"),
    ]
    text = "\n".join(messages(plan))
    assert "'value' of measurement 'sessions' must be a number, not text ('12.5k')" in text
    assert "'as_of' of measurement 'ctr' must be a date (YYYY-MM-DD)" in text
    assert "'clicks' of measurement 'ctr' must be at least 0" in text
    assert "'spend.amount' of measurement 'ctr' must be a number" in text


def test_period_columns_nest_and_keep_their_cells(tmp_path):
    plan = make_repo(
        tmp_path,
        {
            "data/a.csv": "kpi,as_of,period_start,period_end,clicks,impressions\n"
            "ctr,2027-03-31,2027-03-31,2027-03-01,20,1000\n"
        },
    )
    assert found(plan) == [("a.csv", 2, 16, "date-range-reversed")]


def test_unresolved_channel_and_campaign_point_at_their_cells(tmp_path):
    plan = make_repo(
        tmp_path,
        {"data/a.csv": "kpi,as_of,value,channel,campaign\nsessions,2027-03-31,5,tt,xmas\n"},
    )
    assert found(plan) == [
        ("a.csv", 2, 23, "unresolved-reference"),
        ("a.csv", 2, 26, "unresolved-reference"),
    ]


# ---------------------------------------------------------------- the glob
def test_a_glob_outside_the_repository_is_refused(tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("kpi,as_of,value\nsessions,2027-03-31,5\n", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    plan = make_repo(repo, {}, glob="../*.csv")
    assert found(plan) == [("plan.smplan.yaml", 7, 12, "actuals-invalid")]
    assert "outside the repository root" in messages(plan)[0]


def test_a_symlink_out_of_the_repository_is_refused(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("kpi,as_of,value\nsessions,2027-03-31,5\n", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    plan = make_repo(repo, {"data/ok.csv": "kpi,as_of,value\nsessions,2027-03-31,5\n"})
    (repo / "data" / "link.csv").symlink_to(secret)
    assert messages(plan) == [
        f"actuals file 'data/link.csv' is outside the repository root ({repo.resolve()})"
    ]
    assert len(load_plan(plan).actuals or []) == 1


def test_symlink_loops_under_a_recursive_glob_end(tmp_path, smplan_process):
    plan = make_repo(
        tmp_path, {"data/2027/q1.csv": "kpi,as_of,value\nsessions,2027-03-31,5\n"}, "data/**/*.csv"
    )
    for name in ("l1", "l2", "l3"):  # each link leads back to data/: 3^n paths under **
        (tmp_path / "data" / name).symlink_to(".")
    result = smplan_process("lint", "--no-cache", "--format", "json", str(plan), timeout=30)
    assert result.code in (0, 1), result.stderr
    assert len(load_plan(plan).actuals or []) == 1


@pytest.mark.parametrize(
    ("glob", "message"),
    [
        ("/etc/*.csv", "plan.actuals '/etc/*.csv' must be a glob relative to the plan file"),
        ("results/*.csv", "plan.actuals 'results/*.csv' matches no file; export measurements"),
    ],
)
def test_a_glob_that_cannot_work_is_reported_on_plan_actuals(tmp_path, glob, message):
    plan = make_repo(tmp_path, {}, glob=glob)
    assert found(plan) == [("plan.smplan.yaml", 7, 12, "actuals-invalid")]
    assert messages(plan)[0].startswith(message)


def test_the_plan_itself_is_never_read_as_actuals(tmp_path):
    plan = make_repo(
        tmp_path, {"m.yaml": "- {kpi: sessions, as_of: 2027-03-31, value: 5}\n"}, '"*"'
    )
    assert found(plan) == []
    assert len(load_plan(plan).actuals or []) == 1


def test_in_memory_plans_ignore_the_glob():
    report = lint_text(HEAD.replace("ACTUALS", "data/*"), "p.smplan.yaml")
    assert not [d for d in report.active if d.rule == "actuals-invalid"]


# -------------------------------------------------------------- CSV shapes
def test_a_csv_without_header_is_reported_once(tmp_path):
    plan = make_repo(tmp_path, {"data/a.csv": "sessions,2027-03-31,5\nsessions,2027-04-30,6\n"})
    assert found(plan) == [("a.csv", 1, 1, "actuals-invalid")]
    assert "the first row must be a header naming the columns" in messages(plan)[0]


def test_semicolon_separated_files_get_a_hint(tmp_path):
    plan = make_repo(tmp_path, {"data/a.csv": "kpi;as_of;value\nsessions;2027-03-31;5\n"})
    assert messages(plan)[0].endswith("separate columns with commas, not semicolons")


def test_empty_files_are_months_not_yet_measured(tmp_path):
    plan = make_repo(tmp_path, {"data/a.csv": "", "data/b.yaml": "# nothing yet\n"})
    assert found(plan) == []


def test_header_problems_point_at_their_cell(tmp_path):
    plan = make_repo(tmp_path, {"data/a.csv": "kpi,as_of,value,value\nsessions,2027-03-31,5,6\n"})
    assert found(plan) == [("a.csv", 1, 17, "actuals-invalid")]
    assert messages(plan) == ["column 'value' appears twice in the header; keep one"]


def test_broken_quoting_stops_the_file_with_a_position(tmp_path):
    plan = make_repo(
        tmp_path,
        {
            "data/a.csv": 'kpi,as_of,value,note\nsessions,2027-03-31,5,"ok"\nsessions,2027-04-30,6,"a"b\n'
        },
    )
    assert found(plan) == [("a.csv", 3, 1, "actuals-invalid")]
    assert messages(plan)[0].startswith("malformed CSV:")


def test_invalid_utf8_is_reported_at_its_byte(tmp_path):
    plan = make_repo(
        tmp_path, {"data/a.csv": b"kpi,as_of,value,note\nsessions,2027-03-31,5,caf\xe9\n"}
    )
    assert found(plan) == [("a.csv", 2, 26, "actuals-invalid")]


def test_quoted_cells_keep_commas_and_line_breaks(tmp_path):
    plan = make_repo(
        tmp_path,
        {
            "data/a.csv": 'kpi,as_of,value,note\r\nsessions,2027-03-31,5,"a, b"\r\n'
            'sessions,2027-04-30,6,"two\r\nlines"\r\nsessions,2027-05-31,x,\r\n'
        },
    )
    assert found(plan) == [("a.csv", 5, 21, "schema-violation")]


def test_oversized_files_are_refused(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("kpi,as_of,value\n" + "sessions,2027-03-31,5\n" * 10, encoding="utf-8")
    rows = read_csv(path, "a.csv", Limits(max_file_size=100))
    assert [d.rule for d in rows.diagnostics] == ["limit-exceeded"]
    assert rows.rows == []


def test_rows_beyond_the_node_limit_are_refused():
    text = "kpi,as_of,value\n" + "sessions,2027-03-31,5\n" * 30
    rows = parse_csv(text, "a.csv", Limits(max_nodes=80))
    assert len(rows.rows) == 20
    assert [(d.rule, d.line) for d in rows.diagnostics] == [("limit-exceeded", 22)]


@pytest.mark.parametrize(
    ("line", "spans"),
    [
        ("a,b,c", [(0, 1), (2, 3), (4, 5)]),
        ('a,"b,c",d', [(0, 1), (2, 7), (8, 9)]),
        ("", [(0, 0)]),
    ],
)
def test_cell_spans(line, spans):
    assert cell_spans(line) == spans


# ------------------------------------------------------------- YAML shapes
def test_yaml_actuals_as_a_mapping_and_its_unknown_keys(tmp_path):
    plan = make_repo(
        tmp_path,
        {
            "data/a.yaml": "actuals:\n  - {kpi: sessions, as_of: 2027-03-31, value: 5}\n"
            "  - {kpi: sessions, as_of: 2027-04-30, valeu: 6}\nsmplan: 1\n"
        },
    )
    assert found(plan) == [
        ("a.yaml", 3, 40, "schema-violation"),
        ("a.yaml", 4, 1, "schema-violation"),
    ]
    assert (
        messages(plan)[0] == "unknown key 'valeu' in measurement 'sessions'; did you mean 'value'?"
    )


def test_yaml_actuals_that_are_not_a_list(tmp_path):
    plan = make_repo(tmp_path, {"data/a.yaml": "kpi: sessions\n", "data/b.yaml": "just text\n"})
    assert found(plan) == [
        ("a.yaml", 1, 1, "schema-violation"),
        ("b.yaml", 1, 1, "schema-violation"),
    ]


def test_yaml_actuals_get_the_loader_care_plans_get(tmp_path):
    plan = make_repo(
        tmp_path,
        {
            "data/a.yaml": "- {kpi: sessions, as_of: 2027-03-31, value: 5, value: 6}\n",
            "data/b.yaml": "- {kpi: sessions, as_of: 2027-04-30\n",
            "data/c.yaml": "- !!python/object:os.system {kpi: sessions}\n",
        },
    )
    rules = (*RULES, "duplicate-key", "yaml-syntax", "schema-violation")
    assert found(plan, rules) == [
        ("a.yaml", 1, 48, "duplicate-key"),
        ("b.yaml", 2, 1, "yaml-syntax"),
        ("c.yaml", 1, 3, "schema-violation"),
    ]


def test_waivers_in_an_actuals_file_work(tmp_path):
    plan = make_repo(
        tmp_path,
        {
            "data/a.yaml": "- {kpi: sessions, as_of: 2026-06-30, value: 5}  "
            "# smplan: ignore[actuals-invalid] imported from last year's report\n"
        },
    )
    assert found(plan) == []


# ------------------------------------------------------------------ the CLI
def test_lint_json_points_into_actuals_files(cli):
    result = cli("lint", str(ACTUALS / "bad"), "--format", "json", "--select", "actuals-invalid")
    assert result.code == 1
    files = {Path(d["file"]).name for d in json.loads(result.stdout)["diagnostics"]}
    assert files == {"bad.smplan.yaml", "export.csv", "typed.yaml"}


def test_bad_actuals_never_give_a_traceback(tmp_path, smplan_process):
    plan = make_repo(
        tmp_path,
        {
            "data/a.csv": b"\x00\x01kpi,as_of\n\xff\xfe",
            "data/b.csv": '"unclosed\n',
            "data/c.yaml": "- &a [*a]\n",
            "data/d.csv": "kpi,as_of\n" + "x" * 200_000 + ",2027-01-01\n",
        },
    )
    result = smplan_process("lint", str(plan))
    assert result.code == 1, result
    assert "Traceback" not in result.stderr + result.stdout
