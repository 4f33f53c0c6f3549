"""A plan whose file name is not UTF-8 is linted and reported, never a traceback.

Such names come from old archives and other systems' exports. Everything smplan
prints or writes names the file escaped (``b\\udcff.smplan.yaml``, as Python's
stderr does), so reports stay valid UTF-8 and JSON reads the name back.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import FIXTURES

ODD = b"b\xff.smplan.yaml"
SHOWN = "b\\udcff.smplan.yaml"  # how it reads in text output


@pytest.fixture
def folder(tmp_path):
    text = (FIXTURES / "lint" / "unknown-key.smplan.yaml").read_bytes()
    try:
        with open(os.path.join(os.fsencode(tmp_path), ODD), "wb") as handle:
            handle.write(text)
    except OSError:  # a file system that only takes UTF-8 names cannot hold one
        pytest.skip("this file system refuses names that are not UTF-8")
    return tmp_path


# utf-8:strict is what a UTF-8 locale gives; C.UTF-8 would hide the problem.
STRICT = {"PYTHONIOENCODING": "utf-8:strict"}


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "gitlab", "junit", "github", "markdown"])
def test_every_report_format_names_the_file(folder, smplan_process, fmt):
    result = smplan_process("lint", "--format", fmt, cwd=folder, env=STRICT)
    assert result.code == 1, result.stderr
    assert "Traceback" not in result.stderr
    if fmt == "json":
        assert json.loads(result.stdout)["diagnostics"][0]["file"] == "b\udcff.smplan.yaml"
    elif fmt == "junit":  # XML cannot carry the escape's surrogate: U+FFFD stands in
        assert 'classname="b\ufffd.smplan.yaml"' in result.stdout
    elif fmt == "sarif":
        location = json.loads(result.stdout)["runs"][0]["results"][0]["locations"][0]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == "b%FF.smplan.yaml"
    else:
        assert SHOWN in result.stdout


def test_report_files_cache_and_baseline_round_trip(folder, smplan_process):
    first = smplan_process(
        "lint", "--output-format", "json:r.json", "--output-format", "junit:r.xml", cwd=folder
    )
    assert first.code == 1 and "Traceback" not in first.stderr
    report = json.loads((folder / "r.json").read_text("utf-8"))  # valid UTF-8
    assert report["diagnostics"][0]["file"] == "b\udcff.smplan.yaml"
    assert "b\ufffd.smplan.yaml" in (folder / "r.xml").read_text("utf-8")
    cached = smplan_process("lint", cwd=folder, env=STRICT)  # read back from the cache
    assert cached.code == 1 and SHOWN in cached.stdout
    created = smplan_process("baseline", "create", "-o", "base.json", cwd=folder)
    assert created.code == 0, created.stderr
    accepted = smplan_process("lint", "--baseline", "base.json", cwd=folder)
    assert accepted.code == 0, accepted.stdout + accepted.stderr
