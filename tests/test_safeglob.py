"""``smplan.safeglob`` matches what ``glob`` matches, and always ends."""

from __future__ import annotations

import glob
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smplan import safeglob

NAMES = ["a", "b.csv", "c.yaml", ".h", "d", ".hid.csv", "x.csv"]
PATTERNS = [
    "*",
    "*.csv",
    "**/*.csv",
    "**",
    "a/**/*.csv",
    "*/*.csv",
    "**/.h",
    "**/.h/*",
    "d/**",
    "../tree/**/*.csv",
    ".h/**/*.csv",
    "**/a/*",
    "?.csv",
    "[bx].csv",
    "a/b.csv",
    "./a/../d/*.csv",
]

# A tree: each entry is a file, or a folder (a nested tree) for names without a suffix.
trees = st.recursive(
    st.dictionaries(st.sampled_from(NAMES), st.none(), max_size=4),
    lambda children: st.dictionaries(
        st.sampled_from([n for n in NAMES if "." not in n[1:]]), children, max_size=3
    ),
    max_leaves=12,
)


def _make(folder: Path, tree: dict[str, object] | None) -> None:
    for name, sub in (tree or {}).items():
        if isinstance(sub, dict):
            (folder / name).mkdir()
            _make(folder / name, sub)
        else:
            (folder / name).write_text("", encoding="utf-8")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees)
def test_the_same_files_as_glob(tmp_path_factory, tree):
    base = tmp_path_factory.mktemp("repo") / "tree"
    base.mkdir()
    _make(base, tree)
    for pattern in PATTERNS:
        expected = sorted(
            name
            for name in glob.glob(pattern, root_dir=base, recursive=True)
            if os.path.isfile(os.path.join(base, name))  # glob gives "d/" for a file d
        )
        got = sorted(os.path.normpath(n) for n in safeglob.iglob(pattern, base))
        assert got == sorted(os.path.normpath(n) for n in expected), pattern


def test_symlink_loops_end_and_linked_folders_are_not_entered(tmp_path):
    data = tmp_path / "data"
    (data / "real").mkdir(parents=True)
    (data / "real" / "a.csv").write_text("", encoding="utf-8")
    for name in ("l1", "l2", "l3"):
        (data / name).symlink_to(".")
    (data / "elsewhere").symlink_to(data / "real")
    (data / "link.csv").symlink_to(data / "real" / "a.csv")
    assert list(safeglob.iglob("data/**/*.csv", tmp_path)) == ["data/link.csv", "data/real/a.csv"]
    # only files: a linked folder is neither entered nor returned
    assert list(safeglob.iglob("data/l*", tmp_path)) == ["data/link.csv"]


# Globs that do not go through safeglob, and why each may not: none walks a
# folder a linted repository controls.
_NOT_SAFEGLOB = {
    # smplan's own model sources, one level ("*.py"): no link can make it loop.
    ("smplan/validate.py", "glob"),
    # dev tooling over smplan's own docs/ folder, one level.
    ("smplan/docs.py", "glob"),
    # name matching, not a walk: per-file config keys against a relative name...
    ("smplan/config.py", "fnmatch"),
    # ...and metric wildcards against metric names.
    ("smplan/rules/checks/measurement.py", "fnmatch"),
}


def _glob_uses(path: Path) -> set[str]:
    """``glob``, ``rglob``, ``iglob`` and ``fnmatch`` calls and imports in a module."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names]
            found.update(n for n in names if n in ("glob", "fnmatch"))
        elif isinstance(node, ast.Attribute) and node.attr in ("glob", "rglob", "iglob"):
            through = isinstance(node.value, ast.Name) and node.value.id == "safeglob"
            if not through:
                found.add("glob")
    return found


def test_every_glob_over_a_repository_goes_through_safeglob():
    # The cache used glob.glob(recursive=True), which follows linked folders:
    # a '**' actuals glob over a symlink loop hung every cached lint.
    root = Path(__file__).resolve().parent.parent
    uses = {
        (path.relative_to(root).as_posix(), use)
        for path in sorted((root / "smplan").rglob("*.py"))
        if path.name != "safeglob.py"
        for use in _glob_uses(path)
    }
    assert uses <= _NOT_SAFEGLOB, sorted(uses - _NOT_SAFEGLOB)
