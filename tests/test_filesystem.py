"""Filesystem safety when walking and reading: links, loops, odd files."""

from __future__ import annotations

import json
import os
import pathlib

import pytest

VALID = "smplan: 1\nplan: {id: demo, name: Demo, period: {start: 2027-01-01, end: 2027-12-31}}\n"


def _files(cli, *args):
    result = cli("lint", "--format", "json", "--select", "structure", *args)
    return result, json.loads(result.stdout) if result.stdout.startswith("{") else None


def test_symlink_loops_are_not_followed(tmp_path, cli):
    (tmp_path / "a.smplan.yaml").write_text(VALID)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back").symlink_to(tmp_path / "sub", target_is_directory=True)
    result, document = _files(cli, str(tmp_path))
    assert result.code == 0
    assert document["summary"]["files"] == 1


def test_plan_links_in_a_loop_or_to_nothing_are_skipped(tmp_path, cli):
    (tmp_path / "a.smplan.yaml").write_text(VALID)
    (tmp_path / "one.smplan.yaml").symlink_to(tmp_path / "two.smplan.yaml")
    (tmp_path / "two.smplan.yaml").symlink_to(tmp_path / "one.smplan.yaml")
    (tmp_path / "self.smplan.yaml").symlink_to(tmp_path / "self.smplan.yaml")
    (tmp_path / "gone.smplan.yaml").symlink_to(tmp_path / "missing.smplan.yaml")
    result, document = _files(cli, str(tmp_path))
    assert result.code == 0, result
    assert document["summary"]["files"] == 1


def test_symlinked_plans_outside_the_tree_are_skipped(tmp_path, cli):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.smplan.yaml").write_text("secret: [\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.smplan.yaml").write_text(VALID)
    (tree / "link.smplan.yaml").symlink_to(outside / "secret.smplan.yaml")
    (tree / "inner.smplan.yaml").symlink_to(tree / "a.smplan.yaml")
    result, document = _files(cli, str(tree))
    assert result.code == 0
    # The link inside the tree names a.smplan.yaml again: one file, linted once.
    assert document["summary"]["files"] == 1


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_special_files_are_refused_not_read(tmp_path, smplan_process, kind):
    if kind == "fifo":
        target = tmp_path / "pipe.smplan.yaml"
        os.mkfifo(target)
    else:
        target = tmp_path / "zero.smplan.yaml"
        target.symlink_to("/dev/zero")
    result = smplan_process("lint", str(target), timeout=20)
    assert result.code == 2
    assert "not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_folder_named_like_a_plan_is_walked_not_read(tmp_path, cli):
    folder = tmp_path / "odd.smplan.yaml"
    folder.mkdir()
    (folder / "real.smplan.yaml").write_text(VALID)
    result, document = _files(cli, str(tmp_path))
    assert result.code == 0
    assert document["summary"]["files"] == 1


def test_unreadable_file_is_a_one_line_error(tmp_path, cli, monkeypatch):
    target = tmp_path / "locked.smplan.yaml"
    target.write_text(VALID)
    real = pathlib.Path.read_bytes

    def locked(self: pathlib.Path) -> bytes:
        if self.name == target.name:  # as chmod 000 would, even for root
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", locked)
    result = cli("lint", str(target))
    assert result.code == 2
    assert result.stderr.strip() == f"smplan: error: {target}: cannot read: Permission denied"
