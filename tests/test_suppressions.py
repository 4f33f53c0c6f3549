"""Waivers with accountability: reasons, expiry, unused ones, --show-suppressed."""

from __future__ import annotations

import json

import pytest

HEAD = "smplan: 1\nplan: {id: demo, name: Demo, period: {start: 2027-01-01, end: 2027-12-31}}\n"
DUP = "objectives:\n  - {id: sales, statement: Sell 300 boxes}\n"


def _lint(cli, tmp_path, text, *args):
    path = tmp_path / "p.smplan.yaml"
    path.write_text(text)
    result = cli("lint", str(path), "--format", "json", "--today", "2027-03-01", *args)
    diagnostics = json.loads(result.stdout)["diagnostics"]
    watched = {"duplicate-id", "unused-suppression", "suppression-without-reason"}
    return [
        (d["rule"], d["line"], d.get("suppressed", False))
        for d in diagnostics
        if d["rule"] in watched
    ]


@pytest.mark.parametrize(
    ("comment_line", "expected"),
    [
        # on the same line
        (
            DUP
            + "  - {id: sales, statement: Sell gift cards}  # smplan: ignore[duplicate-id] merged in Q2\n",
            [],
        ),
        # alone on the line before
        (
            DUP
            + "  # smplan: ignore[duplicate-id] merged in Q2\n  - {id: sales, statement: Sell gift cards}\n",
            [],
        ),
        # whole file
        (
            "# smplan: ignore-file[duplicate-id] legacy ids, renamed in Q2\n"
            + DUP
            + "  - {id: sales, statement: Sell gift cards}\n",
            [],
        ),
        # no reason: silenced, but the waiver itself is reported
        (
            DUP + "  - {id: sales, statement: Sell gift cards}  # smplan: ignore[duplicate-id]\n",
            [("suppression-without-reason", 5, False)],
        ),
        # expired: the finding returns and the waiver is reported
        (
            DUP
            + "  - {id: sales, statement: Sell gift cards}  # smplan: ignore[duplicate-id] until=2027-02-01 merging\n",
            [("duplicate-id", 5, False), ("unused-suppression", 5, False)],
        ),
        # not yet expired
        (
            DUP
            + "  - {id: sales, statement: Sell gift cards}  # smplan: ignore[duplicate-id] until=2027-06-01 merging\n",
            [],
        ),
        # silences nothing
        (
            DUP
            + "  - {id: other, statement: Sell gift cards}  # smplan: ignore[duplicate-id] just in case\n",
            [("unused-suppression", 5, False)],
        ),
    ],
)
def test_waivers(cli, tmp_path, comment_line, expected):
    assert _lint(cli, tmp_path, HEAD + comment_line) == expected


def test_show_suppressed_lists_waived_findings(cli, tmp_path):
    text = (
        HEAD
        + DUP
        + "  - {id: sales, statement: Sell gift cards}  # smplan: ignore[duplicate-id] merged in Q2\n"
    )
    assert _lint(cli, tmp_path, text, "--show-suppressed") == [("duplicate-id", 5, True)]
    path = tmp_path / "p.smplan.yaml"
    out = cli("lint", str(path), "--show-suppressed", "--today", "2027-03-01").stdout
    assert "(suppressed: merged in Q2)" in out
    assert "1 suppressed" in out


def test_waiver_text_inside_a_string_is_not_a_waiver(cli, tmp_path):
    text = (
        HEAD + 'objectives:\n  - {id: sales, statement: "say # smplan: ignore[duplicate-id] x"}\n'
    )
    text += "  - {id: sales, statement: Sell gift cards}\n"
    assert _lint(cli, tmp_path, text) == [("duplicate-id", 5, False)]


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("# smplan: ignroe[duplicate-id] typo", "unknown waiver 'ignroe'; did you mean 'ignore'?"),
        ("# smplan: ignore[duplicate-id typo", "waiver 'ignore[' has no closing ']'"),
        ("#smplan: ignore-file duplicate-id", "waiver 'ignore-file[' has no closing ']'"),
        ("# smplan: reviewed by Ann", "'# smplan:' comment is not a waiver"),
        (
            "# smplan: ignore[duplicate-ids] merged in Q2",
            "waiver names unknown rule 'duplicate-ids'; did you mean 'duplicate-id'?",
        ),
    ],
)
def test_a_waiver_that_cannot_work_is_reported(cli, tmp_path, comment, message):
    text = HEAD + DUP + f"  {comment}\n  - {{id: sales, statement: Sell gift cards}}\n"
    path = tmp_path / "p.smplan.yaml"
    path.write_text(text)
    result = cli("lint", str(path), "--format", "json", "--today", "2027-03-01")
    found = [
        (d["rule"], d["line"], d["column"], d["message"])
        for d in json.loads(result.stdout)["diagnostics"]
    ]
    assert ("unused-suppression", 5, 3, message) in [(*f[:3], f[3][: len(message)]) for f in found]
    # the finding it meant to hide is still reported
    assert ("duplicate-id", 6) in [(f[0], f[1]) for f in found]
    assert sum(f[0] == "unused-suppression" for f in found) == 1
