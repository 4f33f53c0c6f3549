"""The loader: positions for every key and value, and refusing hostile input."""

from __future__ import annotations

import datetime as dt
import resource
import subprocess
import sys
import time

import pytest

from smplan.api import lint_paths
from smplan.paths import format_path, parse_path, stable_path
from smplan.source import Limits, load_text, read_file
from tests.conftest import FIXTURES

PLAN = """\
smplan: 1
plan:
  id: demo
  name: Демо-план
  period: {start: 2027-01-01, end: 2027-12-31}
kpis:
  - id: reach
    objective: awareness
    target: {value: 5000, by: 2027-06-30}
calendar:
  - at: 2027-11-18T18:00:00+01:00
"""


def test_positions_of_keys_and_values():
    loaded = load_text(PLAN, "plan.yaml")
    smap = loaded.source_map
    assert loaded.diagnostics == []
    value = smap.locate(("kpis", 0, "objective"))
    assert (value.line, value.column, value.end_line, value.end_column) == (8, 16, 8, 25)
    key = smap.locate(("kpis", 0, "objective"), key=True)
    assert (key.line, key.column) == (8, 5)
    item = smap.locate(("kpis", 0))
    assert (item.line, item.column) == (7, 5)
    # Columns count characters, not bytes, so Cyrillic does not shift them.
    name = smap.locate(("plan", "name"))
    assert (name.line, name.column, name.end_column) == (4, 9, 18)


def test_longest_known_prefix_wins():
    smap = load_text(PLAN, "plan.yaml").source_map
    # target.currency does not exist: the position is that of 'target' (its key).
    pos = smap.locate(("kpis", 0, "target", "currency"))
    assert (pos.line, pos.column) == (9, 5)
    assert smap.locate(()).line == 1


def test_dates_and_datetimes_keep_offsets():
    data = load_text(PLAN, "plan.yaml").data
    assert data["plan"]["period"]["start"] == dt.date(2027, 1, 1)
    at = data["calendar"][0]["at"]
    assert at.utcoffset() == dt.timedelta(hours=1)


def test_keys_stay_text_not_booleans():
    data = load_text("yes: 1\nno: 2\n", "x.yaml").data
    assert data == {"yes": 1, "no": 2}


SCALARS = "a: 2027-01-15\nb: 12\nc: 1.5\nd: true\ne: ~\nf: 0x1F\ng: 12abc\nh: '12'\n"
TYPED = {
    "a": dt.date(2027, 1, 15),
    "b": 12,
    "c": 1.5,
    "d": True,
    "e": None,
    "f": 31,
    "g": "12abc",
    "h": "12",
}


@pytest.mark.parametrize("capacity", [10_000, 2])
def test_resolving_plain_scalars_once_per_spelling_changes_no_value(monkeypatch, capacity):
    import smplan.source

    monkeypatch.setattr(smplan.source, "_RESOLVED", {})
    monkeypatch.setattr(smplan.source, "_RESOLVED_MAX", capacity)
    for _ in range(3):  # first resolved, then remembered (or evicted and resolved again)
        data = load_text(SCALARS, "x.yaml").data
        assert data == TYPED
        assert {k: type(v) for k, v in data.items()} == {k: type(v) for k, v in TYPED.items()}
    assert len(smplan.source._RESOLVED) <= max(capacity, 1)
    # A remembered spelling never hides an invalid one, nor a quoted one's text.
    bad = load_text("a: 2027-01-15\nb: 2027-02-30\n", "x.yaml")
    assert bad.data is None and bad.diagnostics[0].rule == "yaml-syntax"
    assert load_text("a: '2027-01-15'\n", "x.yaml").data == {"a": "2027-01-15"}


@pytest.mark.parametrize(
    "path",
    [("kpis", 2, "objective"), ("a b", 0, 'x"y'), ("strategy", "channels", 0, "formats", 1)],
)
def test_paths_round_trip(path):
    assert parse_path(format_path(path)) == path


def test_stable_path_names_items_by_id():
    data = {"kpis": [{"id": "a"}, {"id": "reach"}]}
    assert stable_path(data, ("kpis", 1, "objective")) == "kpis[id=reach].objective"


# One case per kind of bad or hostile input: (fixture, rule, line, column, words in message)
BAD_INPUT = [
    ("not-utf8", "yaml-syntax", 2, 28, "offset 37"),
    ("empty", "schema-violation", 1, 1, "no YAML document"),
    ("comment-only", "schema-violation", 1, 1, "no YAML document"),
    ("two-documents", "schema-violation", 3, 1, "one YAML document"),
    ("scalar-top", "schema-violation", 1, 1, "must be a mapping"),
    ("list-top", "schema-violation", 1, 1, "not a list"),
    ("python-tag", "schema-violation", 2, 7, "unsupported YAML tag"),
    ("alias-bomb", "limit-exceeded", 8, 14, "alias bomb"),
    # PyYAML >= 6.0.4 bundles a libyaml that stops at 1,000 levels while scanning,
    # before smplan's limit of 64 sees the events: column 1006 then, 70 before.
    ("deep-nesting", "limit-exceeded", 2, None, "nesting"),
    ("bad-yaml", "yaml-syntax", 4, 8, "mapping values"),
    ("tab-indent", "yaml-syntax", 3, 1, "tab"),
    # libyaml gives the NUL's offset in bytes (each é is two); the column counts characters.
    ("control-char", "yaml-syntax", 4, 15, "control characters are not allowed: U+0000"),
]


@pytest.mark.parametrize(("name", "rule", "line", "column", "words"), BAD_INPUT)
def test_bad_input_gets_one_positioned_finding(name, rule, line, column, words):
    path = FIXTURES / "bad" / f"{name}.smplan.yaml"
    report = lint_paths([path], today="2027-01-01")
    assert len(report.diagnostics) == 1, report.diagnostics
    (d,) = report.diagnostics
    assert (d.rule, d.line) == (rule, line)
    assert column is None or d.column == column
    assert words in d.message


def test_bom_and_crlf_are_accepted():
    path = FIXTURES / "bad" / "bom-crlf.smplan.yaml"
    loaded = read_file(path, path.name)
    assert loaded.diagnostics == []
    assert loaded.data["plan"]["name"] == "Demo"
    pos = loaded.source_map.locate(("plan", "name"))
    assert (pos.line, pos.column) == (4, 9)


def test_python_tags_execute_nothing(tmp_path):
    marker = tmp_path / "pwned"
    text = f'smplan: 1\nplan: !!python/object/apply:os.system ["touch {marker}"]\n'
    loaded = load_text(text, "x.yaml")
    assert loaded.data is None
    assert not marker.exists()


def test_alias_bomb_is_refused_fast_in_small_memory():
    code = (
        "import resource, sys, time\n"
        "resource.setrlimit(resource.RLIMIT_AS, (512 * 1024 * 1024, 512 * 1024 * 1024))\n"
        "from smplan.source import read_file\n"
        "from pathlib import Path\n"
        f"p = Path({str(FIXTURES / 'bad' / 'alias-bomb.smplan.yaml')!r})\n"
        "t = time.perf_counter(); r = read_file(p, 'x')\n"
        "assert r.diagnostics[0].rule == 'limit-exceeded'\n"
        "print(time.perf_counter() - t)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) < 5


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.smplan.yaml"
    path.write_text("smplan: 1\n" + "# padding\n" * 2000)
    loaded = read_file(path, "big.smplan.yaml", Limits(max_file_size=1000))
    assert [d.rule for d in loaded.diagnostics] == ["limit-exceeded"]
    assert "1000-byte limit" in loaded.diagnostics[0].message


def test_very_long_string_is_refused():
    loaded = load_text("a: " + "x" * 2000 + "\n", "x.yaml", Limits(max_string_length=1000))
    assert "longer than 1000" in loaded.diagnostics[0].message


def test_recursive_alias_is_refused():
    loaded = load_text("a: &a [*a]\n", "x.yaml")
    assert loaded.data is None
    assert "contains it" in loaded.diagnostics[0].message


def test_duplicate_key_keeps_first_and_reports_second():
    loaded = load_text("a: 1\nb: 2\na: 3\n", "x.yaml")
    assert loaded.data == {"a": 1, "b": 2}
    (d,) = loaded.diagnostics
    assert (d.rule, d.line, d.column) == ("duplicate-key", 3, 1)


def test_deeply_nested_block_mapping_does_not_crash():
    text = "".join("  " * i + f"k{i}:\n" for i in range(3000)) + "  " * 3000 + "v\n"
    started = time.perf_counter()
    loaded = load_text(text, "x.yaml")
    assert "nesting deeper" in loaded.diagnostics[0].message
    assert time.perf_counter() - started < 10


def test_memory_of_large_list_stays_bounded():
    limit = 400 * 1024 * 1024
    code = (
        "import resource\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))\n"
        "from smplan.source import load_text\n"
        "text = 'items:\\n' + '- x\\n' * 100000\n"
        "r = load_text(text, 'x')\n"
        "assert len(r.data['items']) == 100000\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert resource.getrlimit(resource.RLIMIT_AS)  # the cap applied only to the child


HOSTILE = [
    *sorted((FIXTURES / "fuzz" / "loader").glob("*.yaml")),
    FIXTURES / "bad" / "alias-bomb.smplan.yaml",
    FIXTURES / "bad" / "deep-nesting.smplan.yaml",
]


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.name)
def test_hostile_input_is_refused_within_time_and_memory_caps(path):
    """A cap on time and memory, not a speed target: a hang or a blow-up fails."""
    cap = 512 * 1024 * 1024
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))\n"
        "from pathlib import Path\n"
        "from smplan.api import lint_paths\n"
        f"report = lint_paths([Path({str(path)!r})])\n"
        "print(report.diagnostics[0].rule if report.diagnostics else 'clean')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in {"yaml-syntax", "schema-violation", "limit-exceeded"}


# The parser's complaint keeps its position and gains the likely fix, with
# libyaml and with PyYAML's pure-Python parser (their wordings differ).
YAML_HINTS = [
    ("colon-in-value", 4, 19, 'must be put in quotes, e.g. name: "Cafe Verde: the best coffee"'),
    ("key-indented-deeper", 5, 10, "indented deeper than the key above it"),
    ("key-dedented", 4, 3, "the indentation of this line does not match the lines above it"),
    ("list-dedented", 4, 2, "the indentation of this line does not match the lines above it"),
    ("list-item-out-of-line", 5, 4, "every '- ' of one list starts at the same column"),
    ("key-without-colon", 5, 3, "line 4 holds text with no ':' after it"),
    ("text-after-quote", 4, 16, "e.g. name: '\"Cafe\" Verde'"),
    (
        "value-starts-with-at",
        4,
        10,
        "cannot start with '@'; put it in quotes, e.g. owner: \"@ana\"",
    ),
    ("list-not-closed", 5, 7, "a list in [ ] is not closed: end it with ']'"),
    ("tab-indent", 4, 1, "YAML indents with spaces only, so replace it with spaces"),
]


@pytest.mark.parametrize("parser", ["libyaml", "python"])
@pytest.mark.parametrize(("name", "line", "column", "words"), YAML_HINTS)
def test_yaml_errors_say_how_to_fix_them(monkeypatch, parser, name, line, column, words):
    import yaml

    import smplan.source

    if parser == "python":
        monkeypatch.setattr(smplan.source, "_Loader", yaml.SafeLoader)
    path = FIXTURES / "yaml-hints" / f"{name}.yaml"
    loaded = read_file(path, path.name)
    (d,) = loaded.diagnostics
    assert (d.rule, d.line, d.column) == ("yaml-syntax", line, column)
    assert words in d.message
    assert "\n" not in d.message


def test_source_map_tells_inline_mappings_from_block_ones():
    text = "plan: {id: demo}\nkpis:\n  - id: reach\n  - {id: visits, unit: count}\nempty: {}\n"
    loaded = load_text(text, "plan.smplan.yaml")
    inline = [
        loaded.source_map.is_flow_mapping(path, loaded.texts)
        for path in [("plan",), ("kpis", 0), ("kpis", 1), ("empty",), (), ("kpis",), ("nope",)]
    ]
    assert inline == [True, False, True, True, False, False, False]
