"""The GitHub Action (action.yml) and the example workflow.

Both are validated against the published schemas (bundled in check-jsonschema),
and the action's steps run here the way the runner runs a composite action:
expressions substituted, each ``run:`` script executed by bash with the
runner's files (GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY) in a
temporary folder. The install step really installs smplan from this checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.ci_support import clean_env, edit, git
from tests.conftest import EXAMPLES, ROOT, require_tool

ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "docs" / "examples" / "workflow.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize(
    ("path", "schema"),
    [(ACTION, "vendor.github-actions"), (WORKFLOW, "vendor.github-workflows")],
)
def test_validates_against_the_published_schema(path, schema):
    tool = require_tool("check-jsonschema")
    done = subprocess.run(
        [tool, "--builtin-schema", schema, str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_uses_the_action_and_uploads_what_it_makes():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    for job in workflow["jobs"].values():
        step = next(s for s in job["steps"] if s.get("uses", "").startswith("smplan/smplan@"))
        assert set(step["with"]) <= set(action["inputs"])
    lint_steps = workflow["jobs"]["lint"]["steps"]
    upload = next(s for s in lint_steps if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "smplan.sarif"
    assert workflow["jobs"]["lint"]["permissions"]["security-events"] == "write"
    artifact = next(
        s for s in workflow["jobs"]["build"]["steps"] if "upload-artifact" in s.get("uses", "")
    )
    assert artifact["with"]["path"] == "${{ steps.smplan.outputs.build-dir }}"


def test_inputs_reach_scripts_only_through_env():
    """An input pasted into a script could inject shell code (GitHub's hardening guide)."""
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    for step in action["runs"]["steps"]:
        assert "${{" not in step["run"], step["name"]


# ----------------------------------------------------------------- the runner
@dataclass
class Run:
    steps: list[tuple[str, subprocess.CompletedProcess[str]]] = field(default_factory=list)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    summary: str = ""
    action_outputs: dict[str, str] = field(default_factory=dict)

    @property
    def log(self) -> str:
        return "".join(
            f"--- {name} (exit {p.returncode})\n{p.stdout}{p.stderr}" for name, p in self.steps
        )

    def step(self, name: str) -> subprocess.CompletedProcess[str]:
        return dict(self.steps)[name]


def run_action(workspace: Path, temp: Path, inputs: dict[str, str], event: dict) -> Run:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    assert set(inputs) <= set(values), "unknown input"
    values.update(inputs)
    run = Run()

    def resolve(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            expression = match.group(1)
            if expression.startswith("inputs."):
                return values[expression.removeprefix("inputs.")]
            if expression == "github.action_path":
                return str(ROOT)
            if expression.startswith("github.event."):
                node = event
                for part in expression.removeprefix("github.event.").split("."):
                    node = node.get(part, {}) if isinstance(node, dict) else {}
                return node if isinstance(node, str) else ""
            step_output = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
            if step_output:
                return run.outputs.get(step_output.group(1), {}).get(step_output.group(2), "")
            raise AssertionError(f"the test runner does not know ${{{{ {expression} }}}}")

        return EXPRESSION.sub(one, str(text))

    base_env = {k: v for k, v in clean_env().items() if not k.startswith("GITHUB_")}
    base_env.update(
        GITHUB_ACTIONS="true",
        GITHUB_WORKSPACE=str(workspace),
        RUNNER_TEMP=str(temp),
        SMPLAN_TODAY="2027-01-01",
        SMPLAN_NO_CACHE="1",
    )
    extra_path: list[str] = []
    for index, step in enumerate(action["runs"]["steps"]):
        assert set(step) <= {"name", "id", "shell", "env", "run"}, step
        assert step["shell"] == "bash"
        files = {name: temp / f"{name}-{index}" for name in ("output", "path", "summary")}
        for file in files.values():
            file.write_text("", encoding="utf-8")
        script = temp / f"step-{index}.sh"
        script.write_text(step["run"], encoding="utf-8")
        env = {
            **base_env,
            **{k: resolve(v) for k, v in (step.get("env") or {}).items()},
            "PATH": os.pathsep.join([*extra_path, base_env["PATH"]]),
            "GITHUB_OUTPUT": str(files["output"]),
            "GITHUB_PATH": str(files["path"]),
            "GITHUB_STEP_SUMMARY": str(files["summary"]),
        }
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        run.steps.append((step["name"], done))
        outputs = dict(
            line.split("=", 1) for line in files["output"].read_text().splitlines() if line
        )
        run.outputs[step.get("id", str(index))] = outputs
        extra_path = [*reversed(files["path"].read_text().split()), *extra_path]
        run.summary += files["summary"].read_text(encoding="utf-8")
        if done.returncode != 0:
            break  # the runner skips the remaining steps
    # Outputs are evaluated even when a step failed (the workflow may still read them).
    run.action_outputs = {name: resolve(spec["value"]) for name, spec in action["outputs"].items()}
    return run


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A repository whose main branch holds the Café Verde plan; (workspace, base sha, temp)."""
    require_tool("git")
    require_tool("python3")
    root = tmp_path_factory.mktemp("action")
    workspace = root / "workspace"
    shutil.copytree(EXAMPLES / "cafe-verde", workspace / "plans" / "verde")
    git(workspace, "init", "-q", "-b", "main")
    git(workspace, "add", ".")
    git(workspace, "commit", "-qm", "plans")
    temp = root / "runner-temp"
    temp.mkdir()
    return workspace, git(workspace, "rev-parse", "HEAD"), temp


def test_pull_request_with_problems(workspace):
    folder, base, temp = workspace
    plan = folder / "plans" / "verde" / "cafe-verde.smplan.yaml"
    original = plan.read_text(encoding="utf-8")
    try:
        edit(plan, "target: {value: 2400, by: 2027-12-31}", "target: {value: 3000, by: 2027-12-31}")
        edit(plan, "    due: 2027-12-31\n", "    due: 2030-01-01\n")
        git(folder, "commit", "-qam", "change")
        run = run_action(
            folder,
            temp,
            {"paths": "plans", "sarif": "smplan.sarif"},
            {"pull_request": {"base": {"sha": base}}},
        )
    finally:
        plan.write_text(original, encoding="utf-8")
        git(folder, "commit", "-qam", "revert")
    names = [name for name, _ in run.steps]
    assert names == ["Install smplan", "Lint plans", "Plan changes", "Build documents", "Result"]
    assert [p.returncode for _, p in run.steps] == [0, 0, 0, 0, 1], run.log
    lint = ANSI.sub("", run.step("Lint plans").stdout)
    annotation = next(line for line in lint.splitlines() if line.startswith("::error "))
    assert annotation.startswith("::error file=plans/verde/cafe-verde.smplan.yaml,line=")
    assert "title=kpi-deadline-outside-period::" in annotation
    assert "Found 1 error, 0 warnings, 0 infos in 1 file" in lint  # the example waives one KPI
    # The job summary: findings, then what the pull request changes in the plan.
    assert run.summary.startswith("## smplan lint\n\n**Found 1 error, 0 warnings, 0 infos**")
    assert "| [kpi-deadline-outside-period](" in run.summary
    assert "## Plan changes" in run.summary
    assert (
        "- KPI `social-sessions` target: 2400 (by 2027-12-31) → 3000 (by 2027-12-31)" in run.summary
    )
    assert run.action_outputs == {"exit-code": "1", "sarif-file": "smplan.sarif", "build-dir": ""}
    sarif = json.loads((folder / "smplan.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["kpi-deadline-outside-period"]
    uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "plans/verde/cafe-verde.smplan.yaml"
    (folder / "smplan.sarif").unlink()


def test_clean_push_builds_documents(workspace):
    folder, _base, temp = workspace
    run = run_action(folder, temp, {"paths": "plans", "sarif": "", "build": "md"}, {})
    assert [p.returncode for _, p in run.steps] == [0, 0, 0, 0, 0], run.log
    assert run.summary.startswith("## smplan lint\n\nAll checks passed: 1 file")
    assert "Plan changes" not in run.summary  # not a pull request
    out = Path(run.action_outputs["build-dir"])
    assert out.is_dir() and [p.name for p in out.iterdir()] == ["cafe-verde.md"]
    assert run.action_outputs["exit-code"] == "0"
    assert not (folder / "smplan.sarif").exists()


def test_bad_input_fails_the_lint_step(workspace):
    folder, _base, temp = workspace
    run = run_action(folder, temp, {"fail-on": "fatal"}, {})
    assert [name for name, _ in run.steps][-1] == "Lint plans"
    failed = run.step("Lint plans")
    assert failed.returncode == 2
    assert "Traceback" not in failed.stderr and "fatal" in failed.stderr
