"""The generated references (plan language, CLI, rules nav) are current and complete."""

from __future__ import annotations

import click
import jsonschema
import pytest
import yaml

from smplan.docgen_cli import cli_page, commands, options_without_help
from smplan.docgen_plan import (
    FOLDER,
    _field_anchor,
    _Generator,
    _load_examples,
    _plain,
    all_fields,
)
from smplan.docs import REGENERATE, generated_files, stale_files
from smplan.schema import generate
from tests.conftest import ROOT

DOCS = ROOT / "docs"


def test_generated_docs_are_current():
    stale = [str(p.relative_to(ROOT)) for p in stale_files(ROOT)]
    assert not stale, f"stale generated docs: {stale}; run: {REGENERATE}"


def test_generated_files_cover_every_reference():
    names = {str(p.relative_to(ROOT)) for p in generated_files(ROOT)}
    assert "docs/reference/cli.md" in names
    assert "docs/reference/plan/index.md" in names
    assert "docs/rules/index.md" in names
    assert "mkdocs.yml" in names
    schema = generate()
    for key, prop in schema["properties"].items():
        if "$ref" in str(prop):
            assert f"docs/{FOLDER}/{key}.md" in names, key


def test_every_plan_field_is_documented_with_an_example_that_validates():
    schema = generate()
    generator = _Generator(schema, _load_examples(ROOT))
    pages = "".join(
        (DOCS / FOLDER / f"{name}.md").read_text(encoding="utf-8")
        for name in generator.pages_by_name
    )
    defs = schema["$defs"]
    checked = 0
    for ref, name, prop in all_fields(schema):
        assert prop.get("description", "").strip(), f"{ref or 'plan'}.{name} has no description"
        if ref in generator.paths:
            path: tuple[str, ...] | None = (*generator.paths[ref], name)
        else:
            path = None if ref else (name,)
        value = generator.example_value(ref, name, prop, path)
        assert value is not None, f"no example for {ref}.{name}"
        validator = jsonschema.Draft202012Validator(
            {"$defs": defs, **prop}, format_checker=jsonschema.FormatChecker()
        )
        errors = list(validator.iter_errors(_plain(value)))
        assert not errors, f"example of {ref}.{name} ({value!r}) is invalid: {errors[0].message}"
        if ref or name not in generator.pages_by_name:
            anchor = f"{{#{_field_anchor(ref, name)}}}" if ref else f"{{#{name}}}"
            assert anchor in pages, f"{ref}.{name} has no entry"
        checked += 1
    assert checked > 250


def test_reference_examples_are_yaml_that_the_loader_accepts():
    for page in sorted((DOCS / FOLDER).glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for block in text.split("```yaml\n")[1:]:
            yaml.safe_load(block.split("```", 1)[0])


def test_every_option_has_help_text():
    """Every option says what it does in --help (and so in the CLI reference)."""
    missing = options_without_help()
    assert not missing, f"options without help text (add help= to the option): {missing}"


def test_cli_reference_lists_every_command_and_option():
    text = next(iter(cli_page().values()))
    count = 0
    for ctx, command in commands():
        assert f"## `{ctx.command_path}`" in text
        for param in command.params:
            if isinstance(param, click.Option):
                for name in param.opts:
                    assert f"`{name}`" in text, f"{ctx.command_path} {name}"
                    count += 1
    assert count > 40


def test_cli_reference_shows_only_real_defaults():
    """An option without a default shows none (click 8.3 stores ``Sentinel.UNSET``)."""
    text = next(iter(cli_page().values()))
    assert "Sentinel" not in text and "UNSET" not in text
    assert "| `--name` | `TEXT` | `plan` |" in text  # a declared default is still shown
    assert "| `--config` | `PATH` |  | Config file to use. |" in text


def test_rules_index_groups_rules_by_category():
    text = (DOCS / "rules" / "index.md").read_text(encoding="utf-8")
    assert "## Structure {#structure}" in text
    assert text.index("## Situation") < text.index("## Crisis")
    assert "[kpi-incomplete](kpi-incomplete.md) | error (draft: warning)" in text


@pytest.mark.parametrize("argv", [["--check"], ["--bogus"]])
def test_docs_module_check_mode(argv, capsys):
    from smplan.docs import main

    code = main(argv)
    assert code in (0, 2)
    if argv == ["--bogus"]:
        assert code == 2
    else:
        assert code == 0, capsys.readouterr().out
