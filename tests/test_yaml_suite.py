"""A peer's test suite: every case of the YAML test suite through `smplan lint`.

No case may crash or hang smplan. Cases a conforming parser must reject give
`yaml-syntax` at a position inside the text; valid cases either lint or give
`schema-violation` (valid YAML that a plan may not hold). libyaml, the parser
smplan relies on, disagrees with the suite on a few cases: those are listed
below with the reason, and the test fails if one of them starts to agree (so
the list never goes stale).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SUITE = ROOT.parent / "shared" / "vendor" / "yaml-test-suite.json"
CASES: dict[str, dict[str, object]] = (
    json.loads(SUITE.read_text(encoding="utf-8")) if SUITE.exists() else {}
)

# Invalid YAML that libyaml accepts (it is more lenient than the 1.2 spec).
LIBYAML_ACCEPTS = {
    "9C9N": "flow sequence continuation lines not indented past the parent key",
    "9HCY": "a %TAG directive after a document without a '...' end marker",
    "9JBA": "a comment glued to the end of a flow sequence",
    "CVW2": "a comment glued to a comma in a flow sequence",
    "DK95/01": "a tab at the start of a quoted scalar's continuation line",
    "EB22": "a %YAML directive after a document without a '...' end marker",
    "G5U8": "plain '-' entries in a flow sequence",
    "MUS6/00": "a comment glued to a %YAML directive",
    "MUS6/01": "a repeated %YAML directive",
    "QB6E": "a multi-line quoted scalar not indented past its key",
    "RHX7": "a %YAML directive without a '...' end marker",
    "S98Z": "a block scalar whose leading empty lines are more indented",
    "SU5Z": "a comment glued to a double-quoted scalar",
    "X4QW": "a comment glued to a block scalar indicator",
    "Y79Y/003": "a tab indenting a flow sequence entry",
    "YJV2": "a plain '-' in a flow sequence",
}

# Valid YAML 1.2 that libyaml (a YAML 1.1 parser) rejects.
_TABS = "tabs as separation where YAML 1.1 parsers allow only spaces"
_FLOW = "YAML 1.2 flow-collection forms (adjacent ':' values, empty or multi-line keys)"
_DIRECTIVES = "reserved, unknown or YAML 1.3 directives"
_BARE = "bare documents and document markers handled by YAML 1.2 only"
_EMPTY_KEY = "empty keys in block mappings"
_ANCHOR = "anchor names with characters YAML 1.1 does not allow"
LIBYAML_REJECTS = {
    **dict.fromkeys(
        [
            "6BCT",
            "6CA3",
            "96NN/00",
            "96NN/01",
            "A2M4",
            "DK95/00",
            "DK95/03",
            "DK95/04",
            "Q5MG",
            "R4YG",
            "Y79Y/001",
            "Y79Y/010",
        ],
        _TABS,
    ),
    **dict.fromkeys(
        [
            "4ABK",
            "4MUZ/00",
            "4MUZ/01",
            "4MUZ/02",
            "58MP",
            "5MUD",
            "5T43",
            "9SA2",
            "CFD4",
            "DBG4",
            "FRK4",
            "HM87/00",
            "K3WX",
            "NJ66",
            "UT92",
            "VJP3/01",
        ],
        _FLOW,
    ),
    **dict.fromkeys(["2LFX", "6LVF", "BEC7", "MUS6/05", "MUS6/06", "W4TN"], _DIRECTIVES),
    **dict.fromkeys(["7Z25", "DK3J", "FP8R", "M7A3", "HWV9", "QT73"], _BARE),
    **dict.fromkeys(
        ["2JQS", "M2N8/00", "6M2F", "NHX8", "NKF9", "S3PD", "SM9W/01", "UKK6/00"], _EMPTY_KEY
    ),
    **dict.fromkeys(["8XYN", "W5VH", "2SXE"], _ANCHOR),
}

pytestmark = pytest.mark.skipif(not CASES, reason=f"{SUITE} is not present")


def _file_name(case_id: str) -> str:
    return case_id.replace("/", "-") + ".smplan.yaml"


@pytest.fixture(scope="module")
def suite_report(tmp_path_factory):
    """One real `smplan lint` process over every case (no traceback, no hang)."""
    import subprocess

    folder = tmp_path_factory.mktemp("yaml-suite")
    for case_id, case in CASES.items():
        (folder / _file_name(case_id)).write_text(str(case["yaml"]), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "smplan", "lint", "--format", "json", "--today", "2027-01-01", "."],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    by_file: dict[str, list[dict[str, object]]] = {}
    for item in json.loads(done.stdout)["diagnostics"]:
        by_file.setdefault(Path(str(item["file"])).name, []).append(item)
    return by_file


def test_every_case_was_linted(suite_report):
    assert len(CASES) > 300


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_case(case_id, suite_report):
    case = CASES[case_id]
    text = str(case["yaml"])
    found = suite_report.get(_file_name(case_id), [])
    syntax = [d for d in found if d["rule"] == "yaml-syntax"]
    if case["error"]:
        if case_id in LIBYAML_ACCEPTS:
            assert not syntax, f"libyaml now rejects {case_id}: drop it from LIBYAML_ACCEPTS"
            return
        assert syntax, f"{case_id} ({case['title']}) is invalid YAML but was accepted"
        line = int(syntax[0]["line"])
        assert 1 <= line <= text.count("\n") + 2, syntax[0]
        return
    if case_id in LIBYAML_REJECTS:
        assert syntax, f"libyaml now accepts {case_id}: drop it from LIBYAML_REJECTS"
        return
    assert not syntax, f"{case_id} ({case['title']}) is valid YAML: {syntax}"
    assert all(d["rule"] != "internal-error" for d in found), found
