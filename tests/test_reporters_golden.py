"""Every report format on one fixed fixture, compared with a committed golden file.

Regenerate after an intended change with ``SMPLAN_UPDATE_GOLDEN=1 python -m pytest
tests/test_reporters_golden.py`` and review the diff. The fixture runs a fixed
rule selection on a fixed date, so new rules elsewhere do not move the goldens.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "reporters"
FIXTURE = "tests/fixtures/ci/report"
RULES = (
    "unresolved-reference,kpi-incomplete,kpi-unrealistic-growth,objective-vague,"
    "crisis-plan-missing,audience-unreached,unused-suppression"
)
FILES = {
    "text": "report.txt",
    "json": "report.json",
    "sarif": "report.sarif",
    "github": "report.github.txt",
    "junit": "report.junit.xml",
    "gitlab": "report.gitlab.json",
    "markdown": "report.md",
}


def normalize_sarif(text: str) -> str:
    """Keep the driver's rules to those the fixture hits, and drop the version.

    The driver lists every built-in rule, and other work adds rules; that part
    (and ``ruleIndex``) is checked structurally in test_reporters.py instead.
    """
    document = json.loads(text)
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    used = {r["ruleId"] for r in run["results"]}
    driver["rules"] = [r for r in driver["rules"] if r["id"] in used]
    driver["version"] = driver["semanticVersion"] = "<version>"
    for result in run["results"]:
        result["ruleIndex"] = "<index>"
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("name", list(FILES))
def test_format_matches_golden(name, cli, monkeypatch):
    monkeypatch.chdir(ROOT)  # file names in reports are relative to the working folder
    result = cli(
        "lint",
        FIXTURE,
        "--format",
        name,
        "--select",
        RULES,
        "--today",
        "2027-01-01",
        "--color",
        "never",
        env={"GITHUB_ACTIONS": ""},
    )
    assert result.code == 1, result
    assert result.stderr == ""
    output = normalize_sarif(result.stdout) if name == "sarif" else result.stdout
    golden = GOLDEN / FILES[name]
    if os.environ.get("SMPLAN_UPDATE_GOLDEN") == "1":
        golden.write_text(output, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing; run with SMPLAN_UPDATE_GOLDEN=1"
    assert output == golden.read_text(encoding="utf-8")
