"""``smplan diff``: a semantic change summary for reviewers."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smplan.plandiff import compare
from tests.ci_support import edit, git
from tests.conftest import EXAMPLES, require_tool
from tests.markdown_support import EVIL, assert_inert

VERDE = EXAMPLES / "cafe-verde"


@pytest.fixture
def plans(tmp_path):
    """Two copies of the Café Verde example (with its shared team file)."""
    shutil.copytree(VERDE, tmp_path / "old")
    shutil.copytree(VERDE, tmp_path / "new")
    return tmp_path / "old" / "cafe-verde.smplan.yaml", tmp_path / "new" / "cafe-verde.smplan.yaml"


def changes(cli, old, new):
    result = cli("diff", str(old), str(new), "--format", "json")
    assert result.code == 0, result
    (plan,) = json.loads(result.stdout)["plans"]
    return [(c["kind"], c["path"], c["old"], c["new"]) for c in plan["changes"]]


def test_identical_plans_have_no_changes(cli, plans):
    assert changes(cli, *plans) == []
    result = cli("diff", *map(str, plans))
    assert "No semantic changes." in result.stdout


def test_reviewer_facing_changes(cli, plans):
    old, new = plans
    edit(
        new,
        "  status: approved\n  owner: ana\n  approved_by: luis\n",
        "  status: review\n  owner: ana\n",
    )
    edit(new, "Win 18 new Verde Club", "Win 20 new Verde Club")
    edit(new, "target: {value: 2400, by: 2027-12-31}", "target: {value: 3000, by: 2027-12-31}")
    edit(
        new,
        "baseline: {value: 1200, as_of: 2026-12-31}",
        "baseline: {value: 1250, as_of: 2026-12-31}",
    )
    edit(new, "frequency: 3/week", "frequency: 4/week")
    edit(new, "    budget: 1200\n", "    budget: 1500\n")
    edit(new, "total: 12000", "total: 12500")
    found = changes(cli, old, new)
    assert ("changed", "plan.status", "approved", "review") in found
    assert ("changed", "plan.approved_by", "luis", None) in found
    reworded = [c for c in found if c[0] == "reworded"]
    assert len(reworded) == 1 and reworded[0][1] == "objectives[id=club-growth].statement"
    assert (
        "changed",
        "kpis[id=social-sessions].target",
        {"value": 2400, "by": "2027-12-31"},
        {"value": 3000, "by": "2027-12-31"},
    ) in found
    assert (
        "changed",
        "kpis[id=social-sessions].baseline",
        {"value": 1200, "as_of": "2026-12-31"},
        {"value": 1250, "as_of": "2026-12-31"},
    ) in found
    assert (
        "changed",
        "strategy.channels[id=ig].formats[format=reel].frequency",
        "3/week",
        "4/week",
    ) in found
    assert ("changed", "campaigns[id=club-launch].budget", 1200, 1500) in found
    assert ("changed", "budget.total", 12000, 12500) in found
    assert ("total", "sum(campaigns[*].budget)", 5000, 5300) in found
    assert len(found) == 9, found

    markdown = cli("diff", str(old), str(new)).stdout
    assert markdown.startswith("## Plan changes\n\n### Café Verde 2027 (`")
    for line in (
        "#### Plan",
        "- status: approved → review",
        "- approved by: luis → (none)",
        "- objective `club-growth` reworded: “Win 18 new Verde Club",
        "- KPI `social-sessions` baseline: 1200 (as of 2026-12-31) → 1250 (as of 2026-12-31)",
        "- KPI `social-sessions` target: 2400 (by 2027-12-31) → 3000 (by 2027-12-31)",
        "- channel `ig` format `reel` frequency: 3/week → 4/week",
        "- campaign `club-launch` budget: 1200 → 1500",
        "- campaign budgets total: 5000 → 5300",
        "#### Budget",
    ):
        assert line in markdown, line
    assert (
        markdown.index("#### Plan")
        < markdown.index("#### Objectives")
        < markdown.index("#### Budget")
    )


def test_same_meaning_in_another_spelling_is_no_change(cli, plans):
    old, new = plans
    edit(new, "frequency: 3/week", "frequency: {count: 3, per: week}")
    edit(new, "    budget: 1200\n", "    budget: {amount: 1200, currency: EUR}\n")
    edit(
        new,
        "period: {start: 2027-01-01, end: 2027-12-31}",
        "period:\n    start: 2027-01-01\n    end: 2027-12-31",
    )
    assert changes(cli, old, new) == []


def test_renames_are_recognised_by_content(cli, plans):
    old, new = plans
    edit(new, "  - id: customer-care\n", "  - id: care\n")  # same content
    edit(
        new,
        "  - id: brew-community\n    statement: >-\n      Make Brew School",
        "  - id: brew-school\n    statement: >-\n      Make our Brew School",
    )  # nearly
    edit(
        new,
        "  - id: office-leads\n"
        "    statement: >-\n"
        "      Generate 6 qualified office and café supply enquiries a month from\n"
        "      LinkedIn by December 2027 (3 today) at EUR 75 or less per lead.\n"
        "    type: leads\n"
        "    audiences: [office-buyers]\n",
        "  - id: expert-voice\n"
        "    statement: Be the voice Irish media quote on specialty coffee\n"
        "    type: authority\n"
        "    audiences: [home-brewers]\n",
    )
    found = changes(cli, old, new)
    assert ("renamed", "objectives[id=care]", "customer-care", "care") in found
    assert ("renamed", "objectives[id=brew-school]", "brew-community", "brew-school") in found
    assert any(c[0] == "reworded" and c[1] == "objectives[id=brew-school].statement" for c in found)
    kinds = {(c[0], c[1]) for c in found}
    # Too different to be the same objective: one removed, one added.
    assert ("removed", "objectives[id=office-leads]") in kinds
    assert ("added", "objectives[id=expert-voice]") in kinds
    markdown = cli("diff", str(old), str(new)).stdout
    assert "- renamed objective `customer-care` → `care`" in markdown


def test_items_without_ids_use_their_natural_key(cli, plans):
    old, new = plans
    edit(new, "{category: contingency, amount: 900}", "{category: contingency, amount: 1200}")
    edit(new, 'role: "Spokesperson and final approver"', 'role: "Spokesperson"')
    found = changes(cli, old, new)
    assert ("changed", "budget.lines[category/campaign=contingency].amount", 900, 1200) in found
    assert ("total", "sum(budget.lines[*].amount)", 12000, 12300) in found
    assert (
        "changed",
        "crisis.contacts[member=luis].role",
        "Spokesperson and final approver",
        "Spokesperson",
    ) in found


def test_imported_sections_are_compared_too(cli, plans):
    old, new = plans
    edit(new.parent / "shared" / "team.yaml", "available: 24x7", "available: business_hours")
    found = changes(cli, old, new)
    assert [c[0] for c in found] == ["changed"]
    assert found[0][1].startswith("team.members[id=") and found[0][1].endswith("].available")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("smplan: 1\nplan: [unclosed\n", "cannot compare a plan that does not load"),
        ("smplan: 1\nplan: {id: a}\nplan: {id: b}\n", "cannot compare a plan that does not load"),
        ("- a list\n", "not a plan"),
        ("smplan: 1\nplan: {id: !!binary aGk=}\n", ":2:12: unsupported YAML tag '!!binary'"),
        ("smplan: 1\nplan: &p {id: *p}\n", ":2:15: an alias refers to the collection"),
        ("smplan: 1\nplan: " + "[" * 70 + "]" * 70 + "\n", ":2:70: nesting deeper than 64"),
    ],
)
def test_a_side_that_does_not_load_is_a_one_line_error(smplan_process, plans, content, expected):
    old, new = plans
    new.write_text(content, encoding="utf-8")
    result = smplan_process("diff", str(old), str(new))
    assert result.code == 2, result
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors(smplan_process, plans):
    old, _new = plans
    for args in ((str(old),), (str(old), str(old.parent / "missing.smplan.yaml"))):
        result = smplan_process("diff", *args)
        assert result.code == 2 and result.stderr.count("\n") == 1, result


# ------------------------------------------------------------------ --base REF
@pytest.fixture
def repo(tmp_path, monkeypatch):
    require_tool("git")
    shutil.copytree(VERDE, tmp_path / "plans" / "verde")
    shutil.copytree(EXAMPLES / "sever-bike", tmp_path / "plans" / "bike")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "plans")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_base_compares_every_plan_with_the_revision(cli, repo):
    verde = repo / "plans" / "verde" / "cafe-verde.smplan.yaml"
    edit(verde, "total: 12000", "total: 12500")
    edit(
        repo / "plans" / "verde" / "shared" / "team.yaml",
        "available: 24x7",
        "available: business_hours",
    )
    (repo / "plans" / "bike" / "sever-bike.smplan.yaml").unlink()
    shutil.copy(verde, repo / "plans" / "verde" / "copy.smplan.yaml")
    (repo / "plans" / "verde" / "copy.smplan.yaml").write_text(
        verde.read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = cli("diff", "--base", "HEAD", "--format", "json")
    assert result.code == 0, result
    by_file = {p["new"] or p["old"]: p for p in json.loads(result.stdout)["plans"]}
    assert set(by_file) == {
        "plans/bike/sever-bike.smplan.yaml at HEAD",
        "plans/verde/cafe-verde.smplan.yaml",
        "plans/verde/copy.smplan.yaml",
    }
    assert by_file["plans/bike/sever-bike.smplan.yaml at HEAD"]["status"] == "removed"
    assert by_file["plans/verde/copy.smplan.yaml"]["status"] == "added"
    changed = by_file["plans/verde/cafe-verde.smplan.yaml"]
    assert any(c["path"] == "budget.total" for c in changed["changes"])
    assert any(c["path"].endswith("].available") for c in changed["changes"])  # import at HEAD
    markdown = cli("diff", "--base", "HEAD", "plans/verde").stdout
    assert "sever-bike" not in markdown and "New plan." in markdown
    assert "- total: 12000 → 12500" in markdown


def test_base_lists_only_changed_plans(cli, repo):
    assert cli("diff", "--base", "HEAD").stdout == "## Plan changes\n\nNo plan changed.\n"
    edit(repo / "plans" / "bike" / "sever-bike.smplan.yaml", "status: active", "status: review")
    result = cli("diff", "--base", "main", "plans")
    assert result.stdout.count("\n### ") == 1 and "sever-bike.smplan.yaml" in result.stdout
    assert "- status: active → review" in result.stdout


def test_base_errors_are_one_line(smplan_process, repo):
    bad = smplan_process("diff", "--base", "nope", cwd=repo)
    assert bad.code == 2 and "unknown git revision 'nope'" in bad.stderr
    verde = repo / "plans" / "verde" / "cafe-verde.smplan.yaml"
    good = verde.read_text(encoding="utf-8")
    verde.write_text("smplan: 1\nplan: [\n", encoding="utf-8")
    git(repo, "commit", "-qam", "broken")
    verde.write_text(good, encoding="utf-8")
    result = smplan_process("diff", "--base", "HEAD", "plans/verde", cwd=repo)
    assert result.code == 2, result
    assert result.stderr.startswith("smplan: error: plans/verde/cafe-verde.smplan.yaml:")
    assert "(at HEAD)" in result.stderr and result.stderr.count("\n") == 1
    outside = smplan_process("diff", "--base", "HEAD", "/", cwd=repo)
    assert outside.code == 2 and "outside the git repository" in outside.stderr


def test_base_with_a_path_that_exists_neither_now_nor_then_is_an_error(cli, repo):
    result = cli("diff", "--base", "HEAD", "plans/verd")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == "smplan: error: plans/verd: no such file or folder, now or at HEAD\n"
    bike = repo / "plans" / "bike" / "sever-bike.smplan.yaml"
    bike.unlink()  # gone now but there at HEAD: a removal, not an error
    removed = cli("diff", "--base", "HEAD", "plans/bike/sever-bike.smplan.yaml")
    assert removed.code == 0 and "Plan removed." in removed.stdout


def test_base_in_a_repository_with_a_file_name_that_is_not_utf8(cli, repo):
    try:
        (repo / os.fsdecode(b"notes-\xff.txt")).write_text("x", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system wants UTF-8 file names")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "notes")
    edit(repo / "plans" / "bike" / "sever-bike.smplan.yaml", "status: active", "status: review")
    result = cli("diff", "--base", "HEAD")
    assert result.code == 0, result
    assert "- status: active → review" in result.stdout


# ----------------------------------------------------------------- properties
_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["id", "name", "member", "frequency", "budget", "x"]), inner, max_size=4
        ),
    ),
    max_leaves=20,
)
_plans = st.dictionaries(
    st.sampled_from(
        ["plan", "objectives", "kpis", "strategy", "campaigns", "crisis", "budget", "extra"]
    ),
    _values,
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(_plans, _plans)
def test_compare_never_fails_and_is_empty_for_equal_plans(old, new):
    assert compare(old, old) == []
    found = compare(old, new)
    json.dumps([c.to_dict() for c in found])  # JSON-ready whatever the data
    if not found:
        assert compare(new, old) == []


def _write_plan(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_markdown_shows_hostile_values_as_text(cli, tmp_path):
    """Natural keys, names and values cannot become links, images or HTML in a summary."""
    raci = {"responsible": "ana", "accountable": "luis", "consulted": "eva"}
    old = _write_plan(
        tmp_path / "old.smplan.yaml",
        {
            "plan": {"name": "Old", "status": "draft"},
            "objectives": [{"id": "o", "statement": "old words"}],
            "strategy": {"channels": [{"id": "ig", "formats": []}]},
            "team": {"raci": [{"activity": "plan posts", **raci}]},
            "budget": {"lines": []},
        },
    )
    hostile_name = "e`v <img src=x onerror=alert(1)> [x](evil) |.smplan.yaml"
    new = _write_plan(
        tmp_path / hostile_name,
        {
            "plan": {"name": EVIL, "status": EVIL},
            "objectives": [{"id": "o", "statement": EVIL}],
            "strategy": {"channels": [{"id": "ig", "formats": [{"format": EVIL}]}]},
            "crisis": {"contacts": [{"member": EVIL, "role": "lead"}]},
            "team": {"raci": [{"activity": EVIL, **raci}]},
            "budget": {"lines": [{"category": "ads", "campaign": EVIL, "amount": 1}]},
            EVIL: {EVIL: EVIL},
        },
    )
    result = cli("diff", str(old), str(new))
    assert result.code == 0, result
    markdown = result.stdout
    assert_inert(markdown, times=9)
    assert_inert(markdown, shown=hostile_name, times=1)
    assert "- renamed RACI activity `plan posts` → " in markdown
    assert all(not line.startswith(("d", " d")) for line in markdown.splitlines())


def test_total_of_amounts_too_large_for_a_float(cli, tmp_path):
    """A 400-digit amount is added up exactly, not as a float (which overflows)."""
    big = "9" * 400
    old = tmp_path / "old.smplan.yaml"
    old.write_text("budget:\n  lines:\n    - {category: ads, amount: 1}\n", encoding="utf-8")
    new = tmp_path / "new.smplan.yaml"
    new.write_text(
        f"budget:\n  lines:\n    - {{category: ads, amount: {big}}}\n"
        "    - {category: print, amount: 0.5}\n",
        encoding="utf-8",
    )
    exact = big + ".5"
    result = cli("diff", str(old), str(new))
    assert result.code == 0, result
    assert f"- budget lines total: 1 → {exact}\n" in result.stdout
    document = json.loads(cli("diff", str(old), str(new), "--format", "json").stdout)
    (total,) = [c for c in document["plans"][0]["changes"] if c["kind"] == "total"]
    assert total["new"] == exact


def test_json_stays_json_with_infinite_amounts(cli, tmp_path):
    old = tmp_path / "old.smplan.yaml"
    old.write_text("budget:\n  lines:\n    - {category: ads, amount: 1}\n", encoding="utf-8")
    new = tmp_path / "new.smplan.yaml"
    new.write_text("budget:\n  lines:\n    - {category: ads, amount: .inf}\n", encoding="utf-8")
    output = cli("diff", str(old), str(new), "--format", "json").stdout
    document = json.loads(output, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
    assert {c["new"] for c in document["plans"][0]["changes"]} == {"inf"}
