"""Report formats: SARIF against the official schema, JUnit's shape, escaping, outputs."""

from __future__ import annotations

import json
import os
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from smplan.api import Report
from smplan.diagnostics import Diagnostic, Severity
from smplan.markdown_text import text as cell
from smplan.reporters import FORMATS, ReportContext, get_reporter
from smplan.reporters.github_format import escape_data, escape_property
from smplan.rules.listing import rule_markdown
from smplan.rules.registry import builtin_registry
from tests.conftest import ROOT
from tests.markdown_support import EVIL, assert_inert, table_widths

SARIF_SCHEMA = ROOT.parent / "shared" / "vendor" / "sarif-schema-2.1.0.json"
FIXTURE = ROOT / "tests" / "fixtures" / "ci" / "report" / "plan.smplan.yaml"


def lint_json(cli, *args: str) -> dict:
    result = cli("lint", *args, "--today", "2027-01-01")
    assert result.code in (0, 1), result
    return json.loads(result.stdout)


def sarif_validator():
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"{SARIF_SCHEMA} is not available")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    # The OASIS file declares its own draft ($schema); pick the validator it names.
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def odd_report() -> Report:
    """Findings whose text could break each format if it were not escaped."""
    return Report(
        files=2,
        sources=["plans/a b,c:d.smplan.yaml", "plans/clean.smplan.yaml"],
        diagnostics=[
            Diagnostic(
                "schema-violation",
                Severity.ERROR,
                "unknown key 'a\nb' | 100% :: x, y\r\n<b>&</b> \x01",
                "plans/a b,c:d.smplan.yaml",
                3,
                5,
                3,
                9,
                path="plan",
                node_id="plan",
            ),
            Diagnostic(
                "objective-vague", Severity.INFO, "vague", "plans/a b,c:d.smplan.yaml", 7, 1, 7, 2
            ),
            Diagnostic(
                "objective-vague",
                Severity.WARNING,
                "waived",
                "plans/a b,c:d.smplan.yaml",
                8,
                1,
                8,
                2,
                suppressed=True,
                suppression_reason="known",
            ),
        ],
    )


# --------------------------------------------------------------------- SARIF
def test_sarif_validates_against_the_official_schema(cli):
    validator = sarif_validator()
    for args in (
        [str(FIXTURE)],
        [str(ROOT / "examples")],
        [str(FIXTURE), "--sarif-drop-suppressed"],
    ):
        document = lint_json(cli, *args, "--format", "sarif")
        errors = [e.message for e in validator.iter_errors(document)]
        assert errors == [], errors[:5]
    rendered = get_reporter("sarif")(odd_report(), ReportContext())
    assert list(validator.iter_errors(json.loads(rendered))) == []


def test_sarif_driver_describes_every_rule(cli):
    document = lint_json(cli, str(FIXTURE), "--format", "sarif")
    driver = document["runs"][0]["tool"]["driver"]
    registry = builtin_registry()
    by_id = {r["id"]: r for r in driver["rules"]}
    assert set(by_id) >= {rule.name for rule in registry}
    for rule in registry:
        descriptor = by_id[rule.name]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.docs["what"].strip()
        assert descriptor["help"]["markdown"] == rule_markdown(rule)
        assert descriptor["help"]["text"]
        assert descriptor["helpUri"] == (
            f"https://github.com/smplan/smplan/blob/main/docs/rules/{rule.name}.md"
        )
        level = {"error": "error", "warning": "warning", "info": "note"}[rule.severity.label]
        assert descriptor["defaultConfiguration"]["level"] == level
        assert (ROOT / "docs" / "rules" / f"{rule.name}.md").is_file()
    for result in document["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert not uri.startswith("/") and "\\" not in uri
        assert set(location["region"]) == {"startLine", "startColumn", "endLine", "endColumn"}


def test_sarif_marks_waived_findings_and_can_drop_them(cli):
    kept = lint_json(cli, str(FIXTURE), "--format", "sarif")["runs"][0]["results"]
    waived = [r for r in kept if "suppressions" in r]
    assert len(waived) == 1
    assert waived[0]["suppressions"] == [
        {"kind": "inSource", "justification": "the owner joins in March"}
    ]
    dropped = lint_json(cli, str(FIXTURE), "--format", "sarif", "--sarif-drop-suppressed")
    results = dropped["runs"][0]["results"]
    assert len(results) == len(kept) - 1
    assert not any("suppressions" in r for r in results)
    # Dropping a waived finding must not change the others' fingerprints.
    prints = {json.dumps(r["partialFingerprints"]) for r in results}
    assert prints <= {json.dumps(r["partialFingerprints"]) for r in kept}


def test_sarif_fingerprints_survive_edits_above_a_finding(cli, tmp_path):
    plan = tmp_path / "plan.smplan.yaml"
    text = FIXTURE.read_text(encoding="utf-8")
    (tmp_path / "team.yaml").write_text(
        (FIXTURE.parent / "team.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )

    def results() -> dict[str, tuple[str, int]]:
        document = lint_json(cli, str(plan), "--format", "sarif")
        return {
            r["partialFingerprints"]["smplanFindingHash/v1"]: (
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in document["runs"][0]["results"]
        }

    plan.write_text(text, encoding="utf-8")
    before = results()
    plan.write_text("# a new comment\n# and another\n" + text, encoding="utf-8")
    after = results()
    assert before.keys() == after.keys()
    assert len(before) == 12
    moved = [p for p in before if p in after and after[p][1] == before[p][1] + 2]
    assert len(moved) == len(before)
    # A changed message is a different finding.
    plan.write_text(text.replace("Improve things", "Improve stuff"), encoding="utf-8")
    assert len(set(results()) - set(before)) == 1


# -------------------------------------------------------------------- GitHub
def test_github_escaping_follows_the_runner_rules():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"


def test_github_annotations_are_one_line_each_with_escaped_values():
    output = get_reporter("github")(odd_report(), ReportContext(show_suppressed=True))
    lines = output.splitlines()
    assert len(lines) == 2  # a waived finding is never an annotation
    first = lines[0]
    assert first.startswith(
        "::error file=plans/a b%2Cc%3Ad.smplan.yaml,line=3,col=5,endLine=3,endColumn=9,"
        "title=schema-violation::"
    )
    message = first.split("::", 2)[2]
    unescaped = message.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
    assert unescaped == odd_report().diagnostics[0].message
    assert lines[1].startswith("::notice ")


# --------------------------------------------------------------------- JUnit
def test_junit_has_the_usual_shape(cli):
    result = cli("lint", str(FIXTURE), "--format", "junit", "--today", "2027-01-01")
    root = ET.fromstring(result.stdout.encode("utf-8"))
    findings = lint_json(cli, str(FIXTURE), "--format", "json")["diagnostics"]
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == sorted(
        {os.path.relpath(FIXTURE), os.path.relpath(FIXTURE.parent / "team.yaml")}
    )
    total_tests = total_failures = 0
    for suite in suites:
        cases = suite.findall("testcase")
        failures = suite.findall("testcase/failure")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == len(failures)
        for case in cases:
            assert case.get("name") and case.get("classname") == suite.get("name")
        names = [c.get("name") for c in cases]
        assert len(names) == len(set(names)), "one test case per file and rule"
        total_tests += len(cases)
        total_failures += len(failures)
    assert int(root.get("tests")) == total_tests
    assert int(root.get("failures")) == total_failures == len(findings)
    failure = root.find("testsuite/testcase[@name='kpi-incomplete']/failure")
    assert failure is not None and failure.get("type") == "error"
    assert "KPI 'sessions' lacks source and review" in failure.get("message")
    clean = next(s for s in suites if s.get("name").endswith("team.yaml"))
    assert clean.get("failures") == "0" and len(clean.findall("testcase")) == 1


def test_junit_is_valid_xml_whatever_the_text():
    output = get_reporter("junit")(odd_report(), ReportContext())
    root = ET.fromstring(output.encode("utf-8"))
    messages = [f.get("message") for f in root.iter("failure")]
    assert any("unknown key 'a" in m and "<b>&amp;</b>" not in m for m in messages)
    assert len(messages) == 2  # the waived finding is not a failure
    assert [s.get("name") for s in root.findall("testsuite")] == [
        "plans/a b,c:d.smplan.yaml",
        "plans/clean.smplan.yaml",
    ]


# ------------------------------------------------------------ GitLab, Markdown
def test_gitlab_code_quality_fields(cli):
    issues = json.loads(
        cli("lint", str(FIXTURE), "--format", "gitlab", "--today", "2027-01-01").stdout
    )
    assert issues and len({i["fingerprint"] for i in issues}) == len(issues)
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in {"major", "minor", "info"}
        lines = issue["location"]["lines"]
        assert 1 <= lines["begin"] <= lines["end"]
        assert "\\" not in issue["location"]["path"]
    by_rule = {i["check_name"]: i["severity"] for i in issues}
    assert by_rule["kpi-incomplete"] == "major"
    assert by_rule["audience-unreached"] == "minor"
    assert by_rule["objective-vague"] == "info"


def test_markdown_cells_cannot_break_the_table():
    assert cell("a | b\nc") == "a \\| b c"
    output = get_reporter("markdown")(odd_report(), ReportContext())
    rows = [line for line in output.splitlines() if line.startswith("| ")]
    assert len(rows) == 2 + 2  # header and rule, then the two active findings
    unescaped_pipes = [row.replace("\\|", "").count("|") for row in rows]
    assert unescaped_pipes == [5, 5, 5, 5]
    assert (
        "[schema-violation](https://github.com/smplan/smplan/blob/main/docs/rules/schema-violation.md)"
        in output
    )
    assert "1 suppressed" in output


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_renders_a_clean_run(name):
    output = get_reporter(name)(Report(files=1, sources=["a.smplan.yaml"]), ReportContext())
    assert isinstance(output, str)
    if name in ("json", "sarif", "gitlab"):
        json.loads(output)
    if name == "junit":
        assert ET.fromstring(output.encode()).get("failures") == "0"


# ----------------------------------------------------------------------- CLI
def test_several_outputs_in_one_run(cli, tmp_path):
    sarif = tmp_path / "out" / "smplan.sarif"
    sarif.parent.mkdir()
    junit = tmp_path / "out" / "junit.xml"
    result = cli(
        "lint",
        str(FIXTURE),
        "--output-format",
        f"sarif:{sarif}",
        "--output-format",
        "github",
        "--output-format",
        f"junit:{junit}",
        "--output-format",
        "text",
        "--today",
        "2027-01-01",
        "--color",
        "never",
    )
    assert result.code == 1
    json.loads(sarif.read_text(encoding="utf-8"))
    ET.fromstring(junit.read_bytes())
    lines = result.stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert lines[: len(annotations)] == annotations  # annotations first, in --output-format order
    assert sum(line.startswith("::error file=") for line in annotations) == 3
    assert lines[-1].startswith("Found 3 errors")
    assert sorted(p.name for p in sarif.parent.iterdir()) == ["junit.xml", "smplan.sarif"]


def test_output_replaces_an_existing_file_whole(cli, tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old content that is longer than nothing" * 1000, encoding="utf-8")
    target.chmod(0o640)
    result = cli("lint", str(FIXTURE), "--output-format", f"json:{target}")
    assert result.stdout == ""
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["summary"]["errors"] == 3
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.parametrize("victim", ["plan.smplan.yaml", "team.yaml", ".smplan.toml"])
def test_an_output_never_replaces_an_input(cli, tmp_path, monkeypatch, victim):
    for name in ("plan.smplan.yaml", "team.yaml"):
        (tmp_path / name).write_bytes((FIXTURE.parent / name).read_bytes())
    (tmp_path / ".smplan.toml").write_text('ignore = ["objective-vague"]\n', encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    monkeypatch.chdir(tmp_path)
    result = cli("lint", ".", "--output-format", f"json:{victim}")
    assert result.code == 2
    assert (
        result.stderr
        == f"smplan: error: {victim}: is an input of this run; name another file to write\n"
    )
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_github_actions_default_is_annotations_then_text(cli):
    result = cli("lint", str(FIXTURE), "--color", "never", env={"GITHUB_ACTIONS": "true"})
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::warning file=")
    assert lines[-1].startswith("Found ")
    plain = cli("lint", str(FIXTURE), "--color", "never", env={"GITHUB_ACTIONS": "false"})
    assert not plain.stdout.startswith("::")
    chosen = cli("lint", str(FIXTURE), "--format", "json", env={"GITHUB_ACTIONS": "true"})
    json.loads(chosen.stdout)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--format", "xml"], "unknown output format 'xml'; choose from: text, json, sarif"),
        (["--output-format", "sarif:"], "give a file after ':'"),
        (["--output-format", "nope:out.txt"], "unknown output format 'nope'"),
        (["--output-format", "sarif:{tmp}/missing/out.sarif"], "does not exist"),
        (["--output-format", "sarif:{tmp}"], "is a folder"),
    ],
)
def test_bad_outputs_are_one_line_errors(smplan_process, tmp_path, args, expected):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = smplan_process("lint", str(FIXTURE), *args)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_is_a_one_line_error(smplan_process, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = smplan_process("lint", str(FIXTURE), "--output-format", f"sarif:{locked}/x.sarif")
    finally:
        locked.chmod(0o700)
    assert result.code == 2 and "not writable" in result.stderr


def test_json_summary_keeps_its_keys_without_a_baseline(cli):
    document = lint_json(cli, str(FIXTURE), "--format", "json")
    assert set(document["summary"]) == {"files", "errors", "warnings", "infos"}


def hostile_report() -> Report:
    """A finding whose message and file name try to become Markdown or HTML."""
    file = "plans/e`v <img src=x onerror=alert(1)> [x](https:\\evil) |.smplan.yaml"
    finding = Diagnostic("schema-violation", Severity.ERROR, EVIL, file, 3, 5, 3, 9, path="plan")
    return Report(files=1, sources=[file], diagnostics=[finding])


def test_markdown_shows_hostile_messages_and_file_names_as_text():
    report = hostile_report()
    output = get_reporter("markdown")(report, ReportContext())
    tokens = assert_inert(output, shown=report.diagnostics[0].message)
    assert_inert(output, shown=f"{report.diagnostics[0].file}:3")
    assert table_widths(tokens) == {4}


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_stays_well_formed_with_hostile_text(name):
    report = hostile_report()
    output = get_reporter(name)(report, ReportContext())
    message = report.diagnostics[0].message
    if name in ("json", "sarif", "gitlab"):
        assert message in _strings(json.loads(output))
    elif name == "junit":
        (failure,) = ET.fromstring(output.encode()).iter("failure")
        assert failure.get("message").endswith(message)
    elif name == "github":
        (line,) = output.splitlines()
        assert line.split("::", 2)[2] == message.replace("%", "%25")
    elif name == "markdown":
        assert_inert(output, shown=message)


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []
