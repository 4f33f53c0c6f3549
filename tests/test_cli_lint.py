"""`smplan lint` through the CLI: output formats, exit codes, discovery, errors."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES, FIXTURES

LINT = FIXTURES / "lint"


def test_text_output_is_ruff_like(cli):
    result = cli("lint", str(LINT / "unknown-key.smplan.yaml"), "--color", "never")
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith(
        "unknown-key.smplan.yaml:12:5: error[schema-violation] unknown key 'baselin' "
        "in KPI 'delivery-orders'; did you mean 'baseline'?"
    )
    assert lines[-1] == "Found 1 error, 0 warnings, 0 infos in 1 file."
    assert result.stderr == ""


def test_json_output_is_the_public_shape(cli):
    result = cli("lint", str(LINT / "references.smplan.yaml"), "--format", "json")
    assert result.code == 1
    document = json.loads(result.stdout)
    assert set(document) == {"version", "diagnostics", "summary"}
    severities = [d["severity"] for d in document["diagnostics"]]
    assert document["summary"] == {
        "files": 1,
        "errors": severities.count("error"),
        "warnings": severities.count("warning"),
        "infos": severities.count("info"),
    }
    first = next(d for d in document["diagnostics"] if d["rule"] == "unresolved-reference")
    assert set(first) == {
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "path",
        "rule",
        "severity",
        "message",
    }
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (
        6,
        10,
        6,
        14,
    )
    assert first["path"] == "plan.owner"
    assert first["rule"] == "unresolved-reference"
    assert first["severity"] == "error"


def test_every_schema_problem_in_one_run(cli):
    result = cli("lint", str(LINT / "many-problems.smplan.yaml"), "--format", "json")
    found = [(d["line"], d["column"], d["rule"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert found == [
        (3, 7, "schema-violation"),
        (5, 36, "schema-violation"),
        (6, 11, "schema-violation"),
        (8, 5, "schema-violation"),
        (9, 5, "schema-violation"),
        (12, 16, "schema-violation"),
    ]


def test_clean_plan_exits_zero(cli):
    result = cli("lint", str(EXAMPLES), "--color", "never")
    assert result.code == 0, result.stdout
    assert result.stdout.startswith("All checks passed")


def test_directory_discovery_finds_only_plan_files(tmp_path, cli):
    (tmp_path / "a.smplan.yaml").write_text((LINT / "valid.smplan.yaml").read_text())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.smplan.yml").write_text("smplan: 1\n")
    (tmp_path / "notes.yaml").write_text("not: a plan\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.smplan.yaml").write_text("broken: [\n")
    result = cli("lint", str(tmp_path), "--format", "json", "--select", "structure")
    document = json.loads(result.stdout)
    assert document["summary"]["files"] == 2
    assert {d["file"].rsplit("/", 1)[-1] for d in document["diagnostics"]} == {"b.smplan.yml"}


def test_default_path_is_the_current_folder(tmp_path, smplan_process):
    (tmp_path / "x.smplan.yaml").write_text("smplan: 1\nplan: {id: x}\n")
    result = smplan_process("lint", cwd=tmp_path)
    assert result.code == 1
    assert result.stdout.startswith(
        "x.smplan.yaml:2:1: error[schema-violation] 'plan' is missing the required key 'name'"
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["lint", "does-not-exist.smplan.yaml"], "no such file or directory"),
        (["lint", "--format", "xml", "."], "unknown output format 'xml'"),
        (["lint", "--fail-on", "fatal", "."], "Invalid value for '--fail-on'"),
        (["lint", "--today", "tomorrow", "."], "invalid date 'tomorrow'"),
        (["lint", "--config", "nope.toml", "."], "config file does not exist"),
        (["lint", "--no-such-option", "."], "No such option"),
        (
            ["explian", "x"],
            "No such command 'explian'. Did you mean 'explain'? (see 'smplan --help')",
        ),
        (["build", "--format", "docx", "x.smplan.yaml"], "docx"),
        (["track"], "Missing argument 'PLAN'"),
        (["lint", "--select", "duplicate-ids", "."], "did you mean 'duplicate-id'?"),
    ],
)
def test_usage_and_io_errors_exit_2_with_one_line(args, words, smplan_process, tmp_path):
    result = smplan_process(*args, cwd=tmp_path)
    assert result.code == 2
    assert words in result.stderr
    assert result.stderr.startswith("smplan: error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_fail_on_warning(tmp_path, cli):
    plan = tmp_path / "p.smplan.yaml"
    plan.write_text(
        (LINT / "valid.smplan.yaml").read_text() + "# smplan: ignore[duplicate-id] stale\n"
    )
    relaxed = cli("lint", str(plan), "--color", "never")
    strict = cli("lint", str(plan), "--fail-on", "warning", "--color", "never")
    assert "warning[unused-suppression]" in relaxed.stdout
    assert relaxed.code == 0
    assert strict.code == 1


def test_color_only_when_asked_and_no_color_respected(cli):
    plan = str(LINT / "unknown-key.smplan.yaml")
    assert "\x1b[" in cli("lint", plan, "--color", "always").stdout
    assert "\x1b[" not in cli("lint", plan).stdout  # not a terminal
    assert "\x1b[" not in cli("lint", plan, env={"NO_COLOR": "1"}).stdout


def test_python_m_smplan_and_version(smplan_process):
    result = smplan_process("--version")
    assert result.code == 0
    assert result.stdout.startswith("smplan, version ")


def test_lint_does_not_import_heavy_modules(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from smplan.cli import main\n"
        "try:\n"
        f"    main(['lint', {str(LINT / 'valid.smplan.yaml')!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'jinja2', 'markdown_it', 'babel', 'weasyprint', 'jsonschema',\n"
        "         'smplan.baseline', 'smplan.gitref', 'multiprocessing'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


# ------------------------------------------------------------------ stdin
def test_a_plan_on_stdin_is_linted_as_the_file_it_stands_for(tmp_path, smplan_process):
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    (repo / ".smplan.toml").write_text('ignore = ["situation"]\n', encoding="utf-8")
    (repo / "plans" / "team.yaml").write_text(
        "team:\n  members: [{id: ana, name: Ana}]\n", encoding="utf-8"
    )
    text = (
        "smplan: 1\nimports: [team.yaml]\n"
        "plan: {id: p, name: P, period: {start: 2027-01-01, end: 2027-12-31}, owner: anna}\n"
    )
    result = smplan_process(
        "lint",
        "-",
        "--stdin-filename",
        "plans/p.smplan.yaml",
        "--format",
        "json",
        cwd=repo,
        stdin=text,
    )
    assert result.code == 1, result.stderr
    found = {(d["file"], d["rule"]) for d in json.loads(result.stdout)["diagnostics"]}
    # the import resolved from plans/, so 'anna' gets a did-you-mean for 'ana'
    assert ("plans/p.smplan.yaml", "unresolved-reference") in found
    assert "did you mean 'ana'?" in result.stdout
    # the config beside the named file applied
    assert not any(rule.startswith(("swot", "competitors")) for _, rule in found)
    assert not (repo / "plans" / "p.smplan.yaml").exists()  # nothing was written


def test_stdin_without_a_name_reports_dash_and_keeps_the_limits(tmp_path, smplan_process):
    broken = smplan_process("lint", "-", cwd=tmp_path, stdin="plan: [\n")
    assert broken.code == 1
    assert broken.stdout.startswith("-:2:1: error[yaml-syntax]")
    (tmp_path / ".smplan.toml").write_text("[limits]\nmax-file-size = 64\n", encoding="utf-8")
    big = smplan_process("lint", "-", cwd=tmp_path, stdin="# padding\n" * 20)
    assert "error[limit-exceeded] the file is more than 64 bytes" in big.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-", "."], "'-' (a plan on stdin) cannot be combined with other paths"),
        (["-", "--diff-base", "HEAD"], "it cannot be used with '-' (stdin)"),
        ([".", "--stdin-filename", "x.smplan.yaml"], "pass '-' as the path"),
    ],
)
def test_stdin_misuse_is_a_usage_error(tmp_path, smplan_process, args, message):
    result = smplan_process("lint", *args, cwd=tmp_path, stdin="")
    assert result.code == 2
    assert result.stderr.startswith("smplan: error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_crash_is_one_line_and_exit_code_3_never_1(cli, monkeypatch):
    # 1 means findings: the Action must not report a crash as findings.
    import smplan.api

    def crash(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr(smplan.api, "lint_files", crash)
    result = cli("lint", str(EXAMPLES / "cafe-verde"))
    assert result.code == 3, result
    assert result.stderr.startswith("smplan: error: internal error: KeyError: 'surprise' (at ")
    assert result.stderr.endswith("; please report this\n") and result.stderr.count("\n") == 1


def test_a_unit_spelled_percent_is_checked_as_a_percentage(cli):
    # `unit: percent` used to slip past every check that compares units with "%".
    plan = str(LINT / "percent-word.smplan.yaml")
    result = cli("lint", plan, "--select", "kpi-unit-out-of-range", "--format", "json")
    found = [(d["line"], d["message"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert len(found) == 1
    assert found[0][0] == 7
    assert "is a percentage above 100" in found[0][1]


def test_a_folder_without_plans_warns_instead_of_passing(cli, tmp_path):
    (tmp_path / "plan.yaml").write_text("smplan: 1\n", encoding="utf-8")  # not a plan name
    result = cli("lint", str(tmp_path), "--color", "never")
    assert result.code == 0  # as ruff with no Python files
    assert "All checks passed" not in result.stdout
    assert result.stdout == ""
    assert result.stderr == (
        f"smplan: warning: no plan found in {tmp_path}; "
        "plan files are named *.smplan.yaml or *.smplan.yml\n"
    )


def test_a_folder_without_plans_still_gives_a_json_document(cli, tmp_path):
    result = cli("lint", str(tmp_path), "--format", "json")
    assert result.code == 0
    assert json.loads(result.stdout)["summary"]["files"] == 0
    assert "no plan found" in result.stderr


def test_an_unquoted_comma_in_a_flow_mapping_is_explained(cli):
    plan = str(LINT / "comma-in-flow-mapping.smplan.yaml")
    result = cli("lint", plan, "--select", "schema-violation", "--format", "json")
    found = [
        (d["line"], d["column"], d["message"]) for d in json.loads(result.stdout)["diagnostics"]
    ]
    hint = (
        "; inside { } a comma starts a new key, so put a value that holds commas in quotes, "
        'e.g. name: "Classes (vinyasa, yin, hatha)"'
    )
    assert found == [
        (5, 45, "unknown key 'yin' in pillar 'classes'" + hint),
        (5, 50, "unknown key 'hatha)' in pillar 'classes'" + hint),
        # The same key in a block mapping is no comma's doing: no hint.
        (8, 7, "unknown key 'yin' in pillar 'retreats'"),
    ]
