"""``smplan build`` from the command line: lint first, safe writes, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from build_support import FIXTURES, QUIET_CONFIG, ROOT, example
from click.testing import CliRunner

from smplan.atomic import StagedFiles
from smplan.cli import main
from smplan.diagnostics import SmplanError
from smplan.render import build as build_module

TODAY = "2027-01-15"


def run(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--today", TODAY, *args])
    return result.exit_code, result.stdout, result.stderr


def test_refuses_a_plan_with_errors_and_writes_nothing(tmp_path: Path) -> None:
    code, out, err = run(str(FIXTURES / "broken.smplan.yaml"), "-o", str(tmp_path))
    assert code == 1
    assert "error[unresolved-reference]" in out  # the text reporter's format
    assert "nothing built" in err and "--force" in err
    assert list(tmp_path.iterdir()) == []


def test_refusal_covers_every_plan_of_the_run(tmp_path: Path) -> None:
    code, _, _ = run(
        str(FIXTURES / "broken.smplan.yaml"),
        str(FIXTURES / "minimal.smplan.yaml"),
        "--config",
        str(QUIET_CONFIG),
        "-o",
        str(tmp_path),
    )
    # the quiet config selects no rule, so nothing is wrong any more
    assert code == 0
    code, _, _ = run(
        str(FIXTURES / "broken.smplan.yaml"),
        str(example("cafe-verde")),
        "-o",
        str(tmp_path / "two"),
    )
    assert code == 1
    assert not (tmp_path / "two").exists()


def test_force_builds_a_marked_draft_with_the_errors_listed(tmp_path: Path) -> None:
    code, out, err = run(
        str(FIXTURES / "broken.smplan.yaml"), "-o", str(tmp_path), "--force", "-f", "md,html"
    )
    assert code == 0
    assert "error[unresolved-reference]" in out  # still reported
    assert "DRAFT" in err
    html = (tmp_path / "broken.html").read_text("utf-8")
    assert '<div class="draft-banner" role="note"><strong>DRAFT</strong>' in html
    assert "unresolved-reference" in html  # the appendix
    md = (tmp_path / "broken.md").read_text("utf-8")
    assert "> **DRAFT**:" in md


def test_warnings_go_to_the_appendix(tmp_path: Path) -> None:
    code, _, _ = run(
        str(FIXTURES / "minimal.smplan.yaml"),
        "-o",
        str(tmp_path),
        "-f",
        "html,md",
        "--config",
        str(FIXTURES / "one-warning.smplan.toml"),
    )
    assert code == 0
    html = (tmp_path / "minimal.html").read_text("utf-8")
    assert 'id="appendix"' in html and "swot-incomplete" in html
    assert "badge-sev-warning" in html
    assert 'class="draft-banner"' not in html
    assert "swot-incomplete" in (tmp_path / "minimal.md").read_text("utf-8")


def test_an_output_may_not_replace_an_input(tmp_path: Path) -> None:
    plan = tmp_path / "plan.smplan.yaml"
    plan.write_text((FIXTURES / "minimal.smplan.yaml").read_text("utf-8"), encoding="utf-8")
    config = tmp_path / "plan.md"
    config.write_text("select = []\n", encoding="utf-8")
    code, _, err = run(str(plan), "-o", str(tmp_path), "-f", "md", "--config", str(config))
    assert code == 2
    assert "overwrite an input" in err
    assert config.read_text("utf-8") == "select = []\n"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    plan = str(FIXTURES / "minimal.smplan.yaml")
    assert run(plan, "-f", "docx", "-o", str(tmp_path))[0] == 2
    assert run(plan, "--theme", str(tmp_path / "missing"), "-o", str(tmp_path))[0] == 2
    assert run(plan, "--lang", "not a tag", "-o", str(tmp_path))[0] == 2
    assert run(str(tmp_path / "nope.smplan.yaml"), "-o", str(tmp_path))[0] == 2


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("cover.html.j2", b"{% if %}", "cover.html.j2:1: template error: Expected an expression"),
        ("cover.html.j2", b"\n{{ 1 / 0 }}", "cover.html.j2:2: template error: ZeroDivisionError"),
        (
            "cover.html.j2",
            b"{{ nosuch.x }}",
            "cover.html.j2:1: template error: 'nosuch' is undefined",
        ),
        (
            "cover.html.j2",
            b'{% include "gone.j2" %}',
            "cover.html.j2:1: template error: template 'gone.j2' not found",
        ),
        ("cover.html.j2", b"ok\n\xff", "cover.html.j2:2:1: the file is not valid UTF-8"),
        ("brand.css", b"\xff", "brand.css:1:1: the file is not valid UTF-8"),
        (
            "i18n/en.yaml",
            b"cover: [\n",
            "i18n/en.yaml:2:1: invalid label catalogue: expected the node content",
        ),
        (
            "i18n/en.yaml",
            b"cover:\n  title: [1]\n",
            "i18n/en.yaml:2:10: label 'cover.title' must be text, not list",
        ),
        ("i18n/en.yaml", b"\xff", "i18n/en.yaml:1:1: the file is not valid UTF-8"),
    ],
)
def test_a_broken_theme_file_is_a_one_line_error(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    theme = tmp_path / "theme"
    (theme / name).parent.mkdir(parents=True)
    (theme / name).write_bytes(content)
    out = tmp_path / "out"
    plan = str(FIXTURES / "minimal.smplan.yaml")
    code, _, err = run(
        plan, "-o", str(out), "-f", "md,html", "--theme", str(theme), "--config", str(QUIET_CONFIG)
    )
    assert code == 2
    assert err.startswith(f"smplan: error: {theme}/{expected}"), err
    assert err.count("\n") == 1 and err.endswith("\n")
    assert not out.exists()


def test_interrupted_build_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = [
        str(FIXTURES / "minimal.smplan.yaml"),
        "-o",
        str(tmp_path),
        "--config",
        str(QUIET_CONFIG),
        "-f",
        "md,html",
    ]
    assert run(*args)[0] == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    real = StagedFiles.write
    calls = []

    def write_then_die(self: StagedFiles, path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(self, path, data + b"changed")

    monkeypatch.setattr(StagedFiles, "write", write_then_die)
    code, _, err = run(*args)
    assert code == 130 and "interrupted" in err
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # the first file written is not renamed; no temporary file left


def test_a_failure_on_one_plan_keeps_every_plan_s_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "first.smplan.yaml"
    second = tmp_path / "second.smplan.yaml"
    for plan in (first, second):
        plan.write_bytes((FIXTURES / "minimal.smplan.yaml").read_bytes())
    out = tmp_path / "out"
    args = [str(first), str(second), "-o", str(out), "--config", str(QUIET_CONFIG), "-f", "md"]
    assert run(*args)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(before) == ["first.md", "second.md"]

    real = build_module.render_plan

    def second_plan_breaks(job, **kwargs):  # type: ignore[no-untyped-def]
        if job.source.name == "second.smplan.yaml":
            raise SmplanError("second plan cannot be rendered")
        documents, request = real(job, **kwargs)
        return {k: v + b"new" for k, v in documents.items()}, request

    monkeypatch.setattr(build_module, "render_plan", second_plan_breaks)
    code, _, err = run(*args)
    assert code == 2 and "second plan cannot be rendered" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_atomic_writes_never_leave_a_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "doc.html"
    target.write_bytes(b"old")

    def boom(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError), StagedFiles() as staged:
        staged.write(target, b"new")
        staged.commit()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.html"]


def test_lint_imports_none_of_the_renderers() -> None:
    code = (
        "import sys\n"
        "from smplan.cli import main\n"
        "try:\n"
        "    main(['lint', 'examples/cafe-verde/cafe-verde.smplan.yaml'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ['jinja2', 'markdown_it', 'babel', 'weasyprint', 'markupsafe', 'smplan.render.build']\n"
        "print('loaded:', ','.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert "All checks passed" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "loaded:"


def test_default_output_folder_is_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(
        str(FIXTURES / "minimal.smplan.yaml"), "-f", "md", "--config", str(QUIET_CONFIG)
    )
    assert code == 0
    assert (tmp_path / "out" / "minimal.md").is_file()
    assert out.strip() == f"wrote {Path('out') / 'minimal.md'}"


def test_build_defaults_come_from_the_config(tmp_path: Path) -> None:
    config = tmp_path / ".smplan.toml"
    config.write_text(
        'select = []\nformats = "md"\noutput-dir = "site"\nlanguage = "ru"\n', encoding="utf-8"
    )
    code, out, _ = run(str(FIXTURES / "minimal.smplan.yaml"), "--config", str(config))
    assert code == 0, out
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["minimal.md"]
    assert "Содержание" in (tmp_path / "site" / "minimal.md").read_text("utf-8")


def test_force_cannot_build_a_plan_that_does_not_load(tmp_path: Path) -> None:
    plan = tmp_path / "bad.smplan.yaml"
    plan.write_text(
        "smplan: 1\nplan: {id: x, name: X, period: {start: 2027-01-01, end: 2027-12-31}, bogus: 1}\n",
        encoding="utf-8",
    )
    code, out, err = run(str(plan), "-o", str(tmp_path / "out"), "--force")
    assert code == 1
    assert "error[schema-violation]" in out
    assert "does not load" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "payload",
    [
        "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    ],
)
def test_a_theme_template_cannot_reach_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload: str
) -> None:
    # A theme comes from the linted repository (its config may name it) and the
    # Action builds pull requests: its templates run in Jinja's sandbox.
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "plan.md.j2").write_text(payload + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    plan = str(FIXTURES / "minimal.smplan.yaml")
    code, _, err = run(
        plan, "-o", str(out), "-f", "md", "--theme", str(theme), "--config", str(QUIET_CONFIG)
    )
    assert not (tmp_path / "PWNED").exists()
    assert code == 2, err
    assert err.startswith(f"smplan: error: {theme}/plan.md.j2:1: "), err
    assert err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "css"),
    [
        ("logo.svg", ""),
        ("bg.png", "body { background: url(bg.png); }\n"),
        ("fonts/leak.woff2", "@font-face { src: url(fonts/leak.woff2); }\n"),
    ],
)
def test_a_theme_link_out_of_its_folder_is_refused(tmp_path: Path, name: str, css: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE\n", encoding="utf-8")
    theme = tmp_path / "theme"
    (theme / name).parent.mkdir(parents=True)
    (theme / name).symlink_to(secret)
    if css:
        (theme / "brand.css").write_text(css, encoding="utf-8")
    out = tmp_path / "out"
    plan = str(FIXTURES / "minimal.smplan.yaml")
    code, _, err = run(
        plan, "-o", str(out), "-f", "html", "--theme", str(theme), "--config", str(QUIET_CONFIG)
    )
    assert code == 2, err
    assert err.startswith(f"smplan: error: {theme / name}: links outside the theme folder"), err
    assert err.count("\n") == 1
    assert not out.exists()
