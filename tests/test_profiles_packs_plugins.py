"""Severity profiles, rule packs from the repository, and installed plugins."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

PACK_RULE = textwrap.dedent(
    """\
    name: plan-needs-organization
    category: structure
    severity: error
    completeness: true
    summary: The plan names no organization
    given: plan
    then: {field: organization, function: truthy}
    message: "the plan names no organization; set plan.organization"
    docs: {what: x, why: y, example: z, fix: w}
    """
)


def _repo(tmp_path: Path, status: str, config: str) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "plan-needs-organization.yaml").write_text(PACK_RULE)
    (tmp_path / ".smplan.toml").write_text(config)
    plan = tmp_path / "p.smplan.yaml"
    plan.write_text(
        "smplan: 1\n"
        f"plan: {{id: demo, name: Demo, status: {status}, "
        "period: {start: 2027-01-01, end: 2027-12-31}}\n"
        "objectives:\n  - {id: a, statement: Sell 300 boxes}\n  - {id: a, statement: Sell 9 cards}\n"
    )
    return plan


def _found(cli, plan: Path, *args: str) -> dict[str, str]:
    result = cli("lint", str(plan), "--format", "json", *args)
    assert result.code in (0, 1), result
    return {
        d["rule"]: d["severity"]
        for d in json.loads(result.stdout)["diagnostics"]
        if d["rule"] in ("plan-needs-organization", "duplicate-id")
    }


def test_pack_rule_runs(tmp_path, cli):
    plan = _repo(tmp_path, "approved", 'rules = ["pack"]\n')
    assert _found(cli, plan) == {"plan-needs-organization": "error", "duplicate-id": "error"}


def test_draft_plans_see_completeness_errors_as_warnings(tmp_path, cli):
    plan = _repo(tmp_path, "draft", 'rules = ["pack"]\n')
    # Structural errors stay errors in every profile.
    assert _found(cli, plan) == {"plan-needs-organization": "warning", "duplicate-id": "error"}
    assert _found(cli, plan, "--profile", "strict")["plan-needs-organization"] == "error"


def test_profile_option_drafts_an_approved_plan(tmp_path, cli):
    plan = _repo(tmp_path, "approved", 'rules = ["pack"]\n')
    assert _found(cli, plan, "--profile", "draft")["plan-needs-organization"] == "warning"


def test_pack_may_not_name_python_code(tmp_path, cli):
    plan = _repo(tmp_path, "approved", 'rules = ["pack"]\n')
    (tmp_path / "pack" / "evil.yaml").write_text(
        PACK_RULE.replace("plan-needs-organization", "evil")
        .replace("given: plan\n", "check: structure.duplicate_id\n")
        .replace("then: {field: organization, function: truthy}\n", "")
    )
    result = cli("lint", str(plan))
    assert result.code == 2
    assert "rule packs are declarative" in result.stderr


def test_a_pack_file_that_is_not_utf8_is_a_one_line_error(tmp_path, smplan_process):
    plan = _repo(tmp_path, "approved", 'rules = ["pack"]\n')
    (tmp_path / "pack" / "latin1.yaml").write_bytes(b"name: caf\xe9\n")
    for args in (("lint", str(plan)), ("rules", "test", str(tmp_path / "pack"))):
        result = smplan_process(*args, cwd=tmp_path)
        assert result.code == 2, result
        assert result.stderr == (
            f"smplan: error: {tmp_path / 'pack' / 'latin1.yaml'}:1:10: the file is not valid "
            "UTF-8: byte 0xe9 at offset 9; save it as UTF-8\n"
        )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_or_folder_in_a_pack_is_a_one_line_error_not_a_hang(tmp_path, smplan_process):
    plan = _repo(tmp_path, "approved", 'rules = ["pack"]\n')
    pipe = tmp_path / "pack" / "a-pipe.yaml"
    os.mkfifo(pipe)
    for args in (("lint", str(plan)), ("rules", "test", str(tmp_path / "pack"))):
        result = smplan_process(*args, cwd=tmp_path, timeout=20)
        assert result.code == 2, result
        assert result.stderr == f"smplan: error: {pipe}: not a regular file, so not a rule file\n"
    pipe.unlink()
    (tmp_path / "pack" / "a-folder.yaml").mkdir()
    result = smplan_process("rules", "test", str(tmp_path / "pack"), cwd=tmp_path)
    assert result.stderr == (
        f"smplan: error: {tmp_path / 'pack' / 'a-folder.yaml'}: is a folder, not a rule file\n"
    )


def test_a_pack_that_is_a_file_says_so(tmp_path, smplan_process):
    plan = _repo(tmp_path, "approved", 'rules = ["pack/plan-needs-organization.yaml"]\n')
    result = smplan_process("lint", str(plan), cwd=tmp_path)
    assert result.code == 2
    assert "rule pack folder 'pack/plan-needs-organization.yaml' is a file, not a folder" in (
        result.stderr
    )
    (tmp_path / ".smplan.toml").unlink()
    rule = tmp_path / "pack" / "plan-needs-organization.yaml"
    result = smplan_process("rules", "test", str(rule), cwd=tmp_path)
    assert (result.code, result.stderr) == (
        2,
        f"smplan: error: {rule}: is a file; a rule pack is a folder of rule files\n",
    )


PLUGIN = textwrap.dedent(
    """\
    from pathlib import Path
    from smplan.diagnostics import Severity
    from smplan.findings import Finding
    from smplan.rules.base import Rule

    Path(__file__).with_name("imported.marker").write_text("imported")

    def _check(ctx):
        if not (ctx.plan.plan.owner):
            yield Finding(("plan",), "the plan has no owner (acme policy)", key=True)

    def rules():
        return [Rule(name="acme-owner", category="team", severity=Severity.WARNING,
                     summary="Acme plans name an owner",
                     docs={"what": "a", "why": "b", "example": "c", "fix": "d"},
                     function=_check)]
    """
)


def _plugin(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "acme_rules").mkdir(parents=True)
    (site / "acme_rules" / "__init__.py").write_text(PLUGIN)
    info = site / "acme_rules-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[smplan.rules]\nacme = acme_rules:rules\n")
    return site


def test_installed_plugin_named_in_config_runs(tmp_path, smplan_process):
    site = _plugin(tmp_path)
    plan = _repo(tmp_path, "approved", 'plugins = ["acme"]\n')
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    result = smplan_process("lint", str(plan), "--format", "json", env=env)
    rules = {d["rule"] for d in json.loads(result.stdout)["diagnostics"]}
    assert "acme-owner" in rules
    assert (site / "acme_rules" / "imported.marker").exists()


def test_plugin_code_is_not_loaded_unless_config_names_it(tmp_path, smplan_process):
    site = _plugin(tmp_path)
    plan = _repo(tmp_path, "approved", "")
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    result = smplan_process("lint", str(plan), "--format", "json", env=env)
    assert "acme-owner" not in result.stdout
    assert not (site / "acme_rules" / "imported.marker").exists()


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('select = ["ALL"]\nplugins = ["nope"]\n', ":2:13: plugin 'nope' is not installed"),
        ('rules = ["./pack", "./packs"]\n', ":1:21: rule pack folder './packs' does not exist"),
    ],
)
def test_a_missing_plugin_or_pack_is_an_error_at_its_config_line(
    tmp_path, smplan_process, config, message
):
    plan = _repo(tmp_path, "approved", config)
    result = smplan_process("lint", str(plan))
    assert result.code == 2
    assert result.stderr.startswith(f"smplan: error: {tmp_path / '.smplan.toml'}{message}")
    assert result.stderr.count("\n") == 1


def test_a_pack_with_no_rule_files_is_an_error_not_a_pass(tmp_path, smplan_process):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("rules go here\n")
    result = smplan_process("rules", "test", str(empty), cwd=tmp_path)
    assert (result.code, result.stderr) == (
        2,
        f"smplan: error: {empty}: no rule files (*.yaml, *.yml) in this rule pack\n",
    )


def test_yml_rule_files_are_part_of_the_pack(tmp_path, smplan_process):
    plan = _repo(tmp_path, "approved", 'rules = ["pack"]\n')
    rule = tmp_path / "pack" / "plan-needs-organization.yaml"
    rule.rename(rule.with_suffix(".yml"))
    result = smplan_process("lint", "--format", "json", str(plan), cwd=tmp_path)
    assert "plan-needs-organization" in {
        d["rule"] for d in json.loads(result.stdout)["diagnostics"]
    }


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        ("raise ValueError('boom')", "ValueError: boom"),
        ("raise SystemExit(0)", "SystemExit: 0"),
        # A BaseException of the plugin's own, or GeneratorExit, used to end lint
        # with a traceback and exit 1, as if the plan had findings.
        ("raise type('Bail', (BaseException,), {})('bail')", "Bail: bail"),
        ("raise GeneratorExit", "GeneratorExit"),
        # Not a Finding: a crash when placing it, outside the rule, naming no plugin.
        ("yield 'oops'", "TypeError: it yielded str, not a Finding"),
    ],
)
def test_a_failing_plugin_rule_is_an_internal_error_with_its_own_exit_code(
    tmp_path, smplan_process, check, expected
):
    # exit(0) inside a plugin's check used to end lint with 0 on a plan with errors.
    site = _plugin(tmp_path)
    module = site / "acme_rules" / "__init__.py"
    module.write_text(
        module.read_text().replace(
            "    if not (ctx.plan.plan.owner):", f"    {check}\n    if not (ctx.plan.plan.owner):"
        )
    )
    plan = _repo(tmp_path, "approved", 'plugins = ["acme"]\n')
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    result = smplan_process("lint", str(plan), "--format", "json", env=env)
    assert result.code == 3, result
    messages = [
        d["message"]
        for d in json.loads(result.stdout)["diagnostics"]
        if d["rule"] == "internal-error"
    ]
    assert len(messages) == 1 and "rule 'acme-owner' of plugin 'acme' failed" in messages[0]
    assert expected in messages[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("raise ImportError('no numpy here')", "plugin 'acme' failed to load: ImportError"),
        ("raise SystemExit(0)", "plugin 'acme' called exit(0) while loading"),
        ("raise type('Bail', (BaseException,), {})('bail')", "plugin 'acme' failed to load: Bail"),
    ],
)
def test_a_plugin_that_fails_to_load_is_one_line_naming_it(
    tmp_path, smplan_process, code, expected
):
    site = _plugin(tmp_path)
    module = site / "acme_rules" / "__init__.py"
    module.write_text(code + "\n" + module.read_text())
    plan = _repo(tmp_path, "approved", 'plugins = ["acme"]\n')
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    result = smplan_process("lint", str(plan), env=env)
    assert result.code == 2, result
    # At the config line that names the plugin, as a plugin that is not installed is.
    assert result.stderr.startswith(f"smplan: error: {tmp_path / '.smplan.toml'}:1:")
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_crash_is_never_served_from_the_cache(tmp_path, smplan_process):
    # A rule that crashed once (a plugin since fixed, a MemoryError) kept
    # reporting internal-error, and exiting 3, from the cache.
    site = _plugin(tmp_path)
    module = site / "acme_rules" / "__init__.py"
    module.write_text(
        module.read_text().replace(
            "    if not (ctx.plan.plan.owner):",
            "    if Path(__file__).with_name('broken').exists():\n"
            "        raise ValueError('boom')\n"
            "    if not (ctx.plan.plan.owner):",
        )
    )
    (site / "acme_rules" / "broken").write_text("")
    plan = _repo(tmp_path, "approved", 'plugins = ["acme"]\n')
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    assert smplan_process("lint", str(plan), env=env).code == 3
    (site / "acme_rules" / "broken").unlink()
    result = smplan_process("lint", str(plan), "--format", "json", env=env)
    assert result.code == 1, result
    rules = {d["rule"] for d in json.loads(result.stdout)["diagnostics"]}
    assert "internal-error" not in rules and "acme-owner" in rules


def test_an_upgraded_plugin_is_not_answered_from_the_cache(tmp_path, smplan_process):
    # The cache key held the plugin's name only: a new version with other
    # findings replayed the old version's findings.
    site = _plugin(tmp_path)
    plan = _repo(tmp_path, "approved", 'plugins = ["acme"]\n')
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    first = smplan_process("lint", str(plan), "--format", "json", env=env)
    assert "acme policy" in first.stdout
    module = site / "acme_rules" / "__init__.py"
    module.write_text(module.read_text().replace("(acme policy)", "(acme policy v2)"))
    info = site / "acme_rules-0.1.dist-info"
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 0.2\n")
    info.rename(site / "acme_rules-0.2.dist-info")
    second = smplan_process("lint", str(plan), "--format", "json", env=env)
    assert "acme policy v2" in second.stdout, second
