"""Rule packs come with the repository being linted: none may hang, exhaust or crash lint."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest

from smplan.rules import declarative
from smplan.rules.registry import RuleFileError, parse_rule_file

RULE = """\
name: kpi-id-shape
category: measurement
severity: error
summary: KPI ids have a shape
options:
  id-pattern: {{default: '^[a-z]', description: What an id looks like.}}
given: kpis[*]
then: {{field: name, function: {function}, options: {options}}}
message: {message}
docs: {{what: x, why: y, example: z, fix: w}}
"""


def _rule(
    options: str = "{match: '^[a-z]'}", message: str = "\"KPI '{id}' is oddly named\"", **kw: str
) -> str:
    return RULE.format(options=options, message=message, function=kw.get("function", "pattern"))


def _repo(tmp_path: Path, rule: str, name: str = "a" * 34 + "!", config: str = "") -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "kpi-id-shape.yaml").write_text(rule)
    (tmp_path / ".smplan.toml").write_text('rules = ["pack"]\n' + config)
    plan = tmp_path / "p.smplan.yaml"
    plan.write_text(
        "smplan: 1\n"
        "plan: {id: demo, name: Demo, period: {start: 2027-01-01, end: 2027-12-31}}\n"
        f"kpis: [{{id: reach, name: '{name}', metric: reach}}]\n"
    )
    return plan


@pytest.mark.parametrize(
    ("rule", "position", "message"),
    [
        # Accepted on load, then an internal error in every lint.
        (_rule("{match: '(unclosed'}"), "8:57", "'(unclosed' is not a valid regular expression"),
        (_rule("{not_match: '[z-a]'}"), "8:61", "'[z-a]' is not a valid regular expression"),
        (_rule("{match: 5}"), "8:57", "option 'match' must be str"),
        (_rule("{match: $option.nope}"), "8:57", "'$option.nope' names no option of this rule"),
        (
            _rule("{match: $option.id-pattern}").replace("'^[a-z]'", "'(('"),
            "6:25",
            "'((' is not a valid regular expression",
        ),
        (_rule("{min: ten}", function="length"), "8:54", "option 'min' must be int or float"),
        (_rule("{ignore_case: 1}"), "8:63", "option 'ignore_case' must be true/false"),
        # 7.8 GB and a 2 GB line.
        (
            _rule(message='"{value:>2000000000}"'),
            "9:10",
            "asks for 2000000000 characters; at most 100",
        ),
        (_rule(message='"{value:.999}"'), "9:10", "asks for 999 characters"),
        # Its width from the plan: {value:>{id}} with an id of '2000000000'.
        (_rule(message='"{value:>{id}}"'), "9:10", "may not take its format from a field"),
        # Python's objects: {value.__class__...} reaches module globals.
        (_rule(message='"{value.__class__}"'), "9:10", "must be a plain name such as {id}"),
        (_rule(message='"{id[0]}"'), "9:10", "must be a plain name"),
        (_rule(message='"{0}"'), "9:10", "must be a plain name"),
        (_rule(message='"{}"'), "9:10", "message field {} must be a plain name"),
        (_rule(message='"{value:%Y%m}"'), "9:10", "has an invalid format '%Y%m'"),
        (_rule(message='"{id"'), "9:10", "expected '}'"),
    ],
)
def test_a_rule_that_would_fail_or_exhaust_lint_is_refused_on_load_at_its_line(
    rule, position, message
):
    with pytest.raises(RuleFileError) as caught:
        parse_rule_file(rule, "pack/kpi-id-shape.yaml")
    assert str(caught.value).startswith(f"pack/kpi-id-shape.yaml:{position}: ")
    assert message in str(caught.value)


def test_the_refusal_is_one_line_and_exit_2(tmp_path, smplan_process):
    plan = _repo(tmp_path, _rule("{match: '(unclosed'}"))
    result = smplan_process("lint", str(plan))
    assert result.code == 2, result
    assert result.stderr == (
        f"smplan: error: {tmp_path / 'pack' / 'kpi-id-shape.yaml'}:8:57: '(unclosed' is not "
        "a valid regular expression: missing ) at position 9\n"
    )


@pytest.mark.parametrize(
    ("pattern", "outcome"),
    [
        # Backtracked for ever in Python's re; the regex package sees through it.
        ("^(a+)+$", "KPI 'reach' is oddly named"),
        ("^(a|aa)+$", "'name' could not be checked: pattern '^(a|aa)+$' took over"),
        ("^(a|a)*$", "'name' could not be checked: pattern '^(a|a)*$' took over"),
    ],
)
def test_a_catastrophic_pattern_ends_with_a_finding(tmp_path, smplan_process, pattern, outcome):
    plan = _repo(tmp_path, _rule(f"{{match: '{pattern}'}}"))
    started = time.monotonic()
    result = smplan_process("lint", str(plan), "--format", "json", timeout=60)
    assert time.monotonic() - started < 30
    assert result.code == 1, result
    [finding] = [d for d in json.loads(result.stdout)["diagnostics"] if d["rule"] == "kpi-id-shape"]
    # Never a pass: the value is judged, or reported as not checked, at its position.
    assert finding["message"].startswith(outcome)
    assert (finding["line"], finding["column"]) == (3, 26)


def test_a_pattern_that_matches_quickly_still_judges_the_value(tmp_path, cli):
    plan = _repo(tmp_path, _rule("{match: '^[a-z]+$'}"), name="Reach")
    result = cli("lint", str(plan), "--format", "json", "--select", "kpi-id-shape")
    assert [d["message"] for d in json.loads(result.stdout)["diagnostics"]] == [
        "KPI 'reach' is oddly named"
    ]


def test_a_broken_pattern_set_in_the_config_is_a_one_line_error(tmp_path, smplan_process):
    config = '[options."kpi-id-shape"]\nid-pattern = "(("\n'
    plan = _repo(tmp_path, _rule("{match: $option.id-pattern}"), config=config)
    result = smplan_process("lint", str(plan))
    assert result.code == 2, result
    assert result.stderr.startswith(
        "smplan: error: rule 'kpi-id-shape': '((' is not a valid regular expression"
    )
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ('"{value:>12}|"', " " * 7 + "Reach|"),
        ('"{value!r:.3}"', "'Re"),
        ('"{value:d} {nope}"', "Reach ?"),  # the plan decides a value's type: never a crash
        ('"{id:c}"', "reach"),
    ],
)
def test_message_fields_fill_safely(tmp_path, cli, message, expected):
    plan = _repo(tmp_path, _rule("{match: '^[a-z]+$'}", message=message), name="Reach")
    result = cli("lint", str(plan), "--format", "json", "--select", "kpi-id-shape")
    assert result.code == 1, result
    [finding] = json.loads(result.stdout)["diagnostics"]
    assert finding["message"] == expected


def test_a_message_is_cut_to_a_sane_length(tmp_path, cli):
    # Each {value} repeats a long id: a template must not multiply a plan's size.
    template = '"' + "{value}" * 5000 + '"'
    plan = _repo(tmp_path, _rule("{match: '^[a-z]+$'}", message=template), name="A" * 500)
    result = cli("lint", str(plan), "--format", "json", "--select", "kpi-id-shape")
    [finding] = json.loads(result.stdout)["diagnostics"]
    assert len(finding["message"]) == declarative.MAX_MESSAGE
    assert finding["message"].endswith("…")


def test_the_built_in_declarative_rules_still_load():
    from smplan.rules.registry import builtin_registry

    rules = [r for r in builtin_registry() if r.given is not None]
    assert rules
    for rule in rules:
        text = (Path(__file__).parent.parent / rule.source).read_text(encoding="utf-8")
        assert parse_rule_file(text, rule.source).name == rule.name


def test_the_pack_example_of_the_guide_is_accepted():
    rule = textwrap.dedent(
        """\
        name: pillar-count
        category: content
        severity: info
        summary: Too many content pillars
        given: strategy
        then: {field: pillars, function: length, options: {max: $option.max-pillars}}
        options:
          max-pillars: {default: 5, description: The most pillars a plan should juggle.}
        message: "the plan has too many pillars: {field} {problem}"
        docs: {what: a, why: b, example: c, fix: d}
        """
    )
    assert parse_rule_file(rule, "pack/pillar-count.yaml").name == "pillar-count"
