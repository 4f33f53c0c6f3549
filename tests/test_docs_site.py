"""The docs site builds strictly, its pictures are made by the script, and what
the guides show (commands, options, config, the action's inputs) exists."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import click
import pytest
import yaml

from smplan.api import known_rules, registry_for
from smplan.cli import main
from smplan.config import parse_config
from tests.conftest import IN_CI, ROOT, require_tool
from tests.test_docs_guides import blocks

DOCS = ROOT / "docs"
SCRIPT = ROOT / "scripts" / "screenshots.py"
MAX_IMAGE_BYTES = 150_000


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if p.parent != DOCS / "rules")


def test_mkdocs_build_strict(tmp_path):
    """Broken links, missing pages, pages outside the nav and bad anchors fail."""
    mkdocs = require_tool("mkdocs")
    done = subprocess.run(
        [mkdocs, "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr[-4000:]
    site = tmp_path / "site"
    assert (site / "search" / "search_index.json").is_file()  # searchable
    assert (site / "ru" / "getting-started" / "index.html").is_file()
    html = (site / "guides" / "github-action" / "index.html").read_text(encoding="utf-8")
    assert "upload-sarif" in html  # the workflow file is included, not copied by hand
    assert "fonts.googleapis" not in (site / "index.html").read_text(encoding="utf-8")


def test_screenshot_script_makes_every_picture(tmp_path):
    require_tool("pdftoppm")
    require_tool("pdftotext")
    if not Path("/usr/bin/chromium").exists():
        if IN_CI:
            pytest.fail("/usr/bin/chromium is required under CI=true")
        pytest.skip("/usr/bin/chromium is not installed")
    try:
        import playwright  # noqa: F401  (the script drives Chromium with it)
    except ImportError:
        if IN_CI:
            pytest.fail("Playwright for Python is required under CI=true")
        pytest.skip("Playwright for Python is not installed")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert names == sorted(_script_images())
    for path in tmp_path.glob("*.png"):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert 2_000 < path.stat().st_size < MAX_IMAGE_BYTES, path.name


def _script_images() -> tuple[str, ...]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    images = module.IMAGES
    assert isinstance(images, tuple)
    return images


def test_committed_pictures_are_the_scripts_small_and_shown():
    images = _script_images()
    committed = sorted(p.name for p in (DOCS / "images").glob("*.png"))
    assert committed == sorted(images), "run: python scripts/screenshots.py"
    shown = "".join(p.read_text(encoding="utf-8") for p in _pages())
    for name in images:
        assert (DOCS / "images" / name).stat().st_size < MAX_IMAGE_BYTES
        assert f"images/{name}" in shown, f"{name} is not shown on any page"


def _smplan_lines() -> list[tuple[str, str]]:
    found = []
    for page in [*_pages(), ROOT / "README.md"]:
        for block in blocks(page):
            if block.lang not in ("sh", "console", "bash"):
                continue
            for line in block.body.splitlines():
                line = line.removeprefix("$ ").strip()
                if line.startswith("smplan "):
                    found.append((f"{page.relative_to(ROOT)}:{block.line}", line))
    return found


def test_every_smplan_command_shown_in_the_docs_parses():
    """Each `smplan ...` line of the docs names real commands and options."""
    lines = _smplan_lines()
    assert len(lines) > 30
    for where, line in lines:
        args = shlex.split(line.split(" >>")[0].split(" > ")[0], comments=True)[1:]
        try:
            with warnings.catch_warnings():  # click 8.2 deprecates protected_args for 9.0
                warnings.simplefilter("ignore", DeprecationWarning)
                ctx = main.make_context("smplan", list(args), resilient_parsing=False)
                command: click.Command = main
                while isinstance(command, click.Group) and ctx.protected_args + ctx.args:
                    rest = [*ctx.protected_args, *ctx.args]
                    name, sub, rest = command.resolve_command(ctx, rest)
                    assert sub is not None, f"{where}: unknown command in {line!r}"
                    ctx = sub.make_context(name, rest, parent=ctx)
                    command = sub
        except click.exceptions.Exit:
            continue  # --version, --help
        except click.UsageError as error:
            pytest.fail(f"{where}: {line!r}: {error.format_message()}")


def test_toml_shown_in_the_docs_is_a_valid_config(tmp_path):
    """Every config example parses, and names only real rules, categories and options."""
    rules = known_rules(registry_for(parse_config("", tmp_path / ".smplan.toml")))
    checked = 0
    for page in _pages():
        for block in blocks(page):
            if block.lang != "toml" or "[project" in block.body:
                continue
            data = tomllib.loads(block.body)
            name = "pyproject.toml" if "tool" in data else ".smplan.toml"
            folder = tmp_path / f"{page.stem}-{block.line}" / "a" / "b"
            folder.mkdir(parents=True)
            settings = data.get("tool", {}).get("smplan", data)
            extends = settings.get("extend", [])
            for target in [extends] if isinstance(extends, str) else extends:
                (folder / target).parent.mkdir(parents=True, exist_ok=True)
                (folder / target).write_text("", encoding="utf-8")
            packs = settings.get("rules", [])  # folders the example's repository would hold
            for pack in [packs] if isinstance(packs, str) else packs:
                (folder / pack).mkdir(parents=True, exist_ok=True)
            config = parse_config(block.body, folder / name)
            config.check_references(rules)
            checked += 1
    assert checked >= 8


def test_the_github_action_guide_documents_every_input_and_output():
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    guide = (DOCS / "guides" / "github-action.md").read_text(encoding="utf-8")
    for kind in ("inputs", "outputs"):
        for name, spec in action[kind].items():
            assert re.search(rf"^\| `{re.escape(name)}` \|", guide, re.MULTILINE), name
            default = spec.get("default")
            if kind == "inputs" and default:
                assert f"| `{name}` | `{default}` |" in guide, f"default of {name}"


def test_readme_links_point_at_files_that_exist():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(((?:docs|examples)/[^)#]+)", text)
    assert links
    missing = [link for link in links if not (ROOT / link).exists()]
    assert not missing, missing


def test_readme_keeps_the_set_up_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert (
        "python3 -m venv .venv && . .venv/bin/activate && pip install . && smplan lint examples/ "
        "&& smplan build examples/cafe-verde/cafe-verde.smplan.yaml "
        "examples/sever-bike/sever-bike.smplan.yaml -o out/"
    ) in text
    assert (
        "python3 -m venv .venv && . .venv/bin/activate && pip install '.[test]' && python -m pytest"
    ) in text
