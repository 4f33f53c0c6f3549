"""The command line: a thin shell over :mod:`smplan.api`.

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage or I/O
error, 3 internal error (a crash of smplan, a rule or a plugin). Reports go to
stdout; only smplan's own errors go to stderr, as one line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from smplan import __version__
from smplan.commandline import (
    INTERNAL_ERROR,
    F,
    OneLineErrorGroup,
    color_option,
    friendly,
    use_color,
)
from smplan.diagnostics import Severity, SmplanError

if TYPE_CHECKING:
    from smplan.api import Report, Session
    from smplan.cache import LintCache
    from smplan.reporters import ReportContext


def _cache() -> LintCache | None:
    """The lint cache, or None (with one warning) when its folder is a symlink."""
    from smplan.cache import CACHE_DIR, LintCache

    cache = LintCache(Path(os.environ.get("SMPLAN_CACHE_DIR") or CACHE_DIR))
    if cache.refused:
        click.echo(f"smplan: warning: {cache.refused}; linting without the cache", err=True)
        return None
    return cache


def _names(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(name.strip() for name in value.split(",") if name.strip())


def _severity(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Severity | None:
    return Severity.parse(value) if value else None


@click.group(cls=OneLineErrorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="smplan")
def main() -> None:
    """Lint and build social-media plans written as YAML (plan as code)."""
    # pydantic scans every installed distribution for its own plugins before
    # building a validator; smplan uses none, and a pre-commit hook feels it.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    metavar="NAME",
    help="Report format on stdout: text (default), json, sarif, github, junit, gitlab, markdown.",
)
@click.option(
    "--output-format",
    "outputs",
    metavar="NAME[:PATH]",
    multiple=True,
    help="Another report, to PATH (written atomically) or stdout; repeatable.",
)
@click.option("--config", type=click.Path(path_type=Path), help="Config file to use.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    callback=_severity,
    help="Lowest severity that makes the exit code 1 (default: error).",
)
@click.option(
    "--profile", type=click.Choice(["strict", "draft"]), help="Override the plan status' profile."
)
@click.option("--today", metavar="YYYY-MM-DD", help="Date rules compare against (SMPLAN_TODAY).")
@click.option(
    "--select",
    metavar="RULES",
    help="Comma-separated rules or categories to run (replaces the config's select).",
)
@click.option(
    "--ignore", metavar="RULES", help="Comma-separated rules or categories to skip (added)."
)
@click.option("--show-suppressed", is_flag=True, help="List waived findings too.")
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(path_type=Path),
    help="Report only findings not accepted in this baseline file.",
)
@click.option(
    "--diff-base",
    metavar="REF",
    help="Report only findings that the plans did not have at git revision REF.",
)
@click.option(
    "--sarif-drop-suppressed",
    is_flag=True,
    help="Leave waived findings out of SARIF (GitHub code scanning ignores suppressions).",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes.")
@click.option(
    "--no-cache",
    is_flag=True,
    envvar="SMPLAN_NO_CACHE",
    help="Lint every file afresh; do not read or write .smplan_cache/.",
)
@click.option(
    "--stdin-filename",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="With '-' (a plan on stdin): the file it stands for, named in reports; "
    "its config, imports and actuals are found from there.",
)
@color_option
@friendly
def lint(
    paths: tuple[Path, ...],
    output_format: str | None,
    outputs: tuple[str, ...],
    config: Path | None,
    fail_on: Severity | None,
    profile: str | None,
    today: str | None,
    select: str | None,
    ignore: str | None,
    show_suppressed: bool,
    baseline_file: Path | None,
    diff_base: str | None,
    sarif_drop_suppressed: bool,
    jobs: int | None,
    no_cache: bool,
    stdin_filename: Path | None,
    color: str,
) -> None:
    """Check plans: PATHS are files or folders (default: the current folder); '-' reads stdin.

    A file that is not a plan (an imported shared/team.yaml) lints the plans
    that import it; a YAML file no plan imports is skipped.
    """
    from smplan.api import Session, discover, lint_files, lint_stream, today_from
    from smplan.atomic import check_writable
    from smplan.config import check_config_file
    from smplan.reporters import ReportContext

    stdin = Path("-") in paths
    if stdin and len(paths) > 1:
        raise SmplanError("'-' (a plan on stdin) cannot be combined with other paths")
    if stdin and diff_base is not None:
        raise SmplanError("--diff-base compares plan files; it cannot be used with '-' (stdin)")
    if stdin_filename is not None and not stdin:
        raise SmplanError("--stdin-filename names the plan read from stdin; pass '-' as the path")

    targets = _output_targets(output_format, outputs)
    for _name, target in targets:
        if target is not None:
            check_writable(target)  # fail before linting, not after
    check_config_file(config)
    # A bad baseline or revision fails before the (maybe long) lint. Both
    # modules load only when asked for: a pre-commit run pays for neither.
    accepted = None
    if baseline_file is not None:
        from smplan import baseline

        accepted = baseline.load(baseline_file)
    git_base = None
    if diff_base is not None:
        from smplan.gitref import Repo

        repo = Repo.find(Path.cwd())
        git_base = (repo, repo.commit(diff_base))
    session = Session(
        config,
        profile=profile,
        today=today_from(today),
        select=_names(select),
        ignore=_names(ignore),
        cache=None if no_cache or stdin else _cache(),
    )
    files: list[Path] = []
    if stdin:
        report = lint_stream(sys.stdin.buffer, stdin_filename or Path("-"), session)
    else:
        files = discover(paths or [Path(".")], follow_imports=True)
        report = lint_files(files, session, jobs=jobs)
        folders = [p for p in paths or (Path("."),) if p.is_dir()]
        if not files and folders:  # after lint_files: a bad --select is the error to show first
            # named YAML files no plan imports are skipped quietly (a pre-commit batch)
            _warn_no_plan(tuple(folders))
    if accepted is not None:
        from smplan import baseline

        baseline.apply(report, accepted, session)
    if git_base is not None:
        from smplan import baseline

        baseline.drop_known_at(report, *git_base, files, session)
    if fail_on is not None:
        report.fail_on = fail_on
    written = [target for _name, target in targets if target is not None]
    _refuse_inputs(written, report, session, baseline_file)
    colored = use_color(color)
    _write_reports(
        report,
        targets,
        ReportContext(
            color=colored,
            show_suppressed=show_suppressed,
            drop_suppressed=sarif_drop_suppressed,
        ),
    )
    if any(d.rule == "internal-error" for d in report.active):
        sys.exit(INTERNAL_ERROR)  # a rule crashed: not findings, whatever else was found
    sys.exit(1 if report.failed else 0)


def _warn_no_plan(paths: tuple[Path, ...]) -> None:
    """Like ruff's "No Python files found": exit 0, but never a silent "all passed"."""
    from smplan.api import PLAN_SUFFIXES

    where = ", ".join(str(path) for path in paths)
    names = " or ".join(f"*{suffix}" for suffix in PLAN_SUFFIXES)
    click.echo(
        f"smplan: warning: no plan found in {where}; plan files are named {names}",
        err=True,
    )


def _output_targets(
    output_format: str | None, outputs: tuple[str, ...]
) -> list[tuple[str, Path | None]]:
    """``--format`` and every ``--output-format``; in GitHub Actions, annotations too."""
    from smplan.reporters import get_reporter, parse_output

    targets: list[tuple[str, Path | None]] = []
    if output_format is not None:
        get_reporter(output_format)
        targets.append((output_format, None))
    targets.extend(parse_output(spec) for spec in outputs)
    if not targets:
        if os.environ.get("GITHUB_ACTIONS") == "true":
            return [("github", None), ("text", None)]
        return [("text", None)]
    return targets


def _refuse_inputs(
    outputs: list[Path], report: Report, session: Session, *others: Path | None
) -> None:
    """An output may never replace what the run read: a plan, an import, actuals, a config."""
    inputs = {Path(name).resolve() for name in report.sources}
    inputs.update(path.resolve() for path in [*session.config_files, *others] if path)
    for output in outputs:
        if output.resolve() in inputs:
            raise SmplanError(f"{output}: is an input of this run; name another file to write")


def _write_reports(
    report: Report, targets: list[tuple[str, Path | None]], context: ReportContext
) -> None:
    """Files first (each whole or not at all), then stdout in the order given."""
    from dataclasses import replace

    from smplan.atomic import write_text
    from smplan.reporters import get_reporter

    plain = replace(context, color=False)
    for name, target in targets:
        if target is not None:
            write_text(target, get_reporter(name)(report, plain))
    for name, target in targets:
        if target is None:
            click.echo(get_reporter(name)(report, context), nl=False, color=context.color)


def _session_options(function: F) -> F:
    """The options that decide which findings a run has (shared by baseline commands)."""
    options = [
        click.option("--config", type=click.Path(path_type=Path), help="Config file to use."),
        click.option(
            "--profile",
            type=click.Choice(["strict", "draft"]),
            help="Override the plan status' profile.",
        ),
        click.option(
            "--today", metavar="YYYY-MM-DD", help="Date rules compare against (SMPLAN_TODAY)."
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _run(
    paths: tuple[Path, ...], config: Path | None, profile: str | None, today: str | None
) -> tuple[Report, Session]:
    """Lint like ``smplan lint`` with default selection (for the baseline commands)."""
    from smplan.api import Session, discover, lint_files, today_from
    from smplan.config import check_config_file

    check_config_file(config)
    session = Session(config, profile=profile, today=today_from(today))
    return lint_files(discover(paths or [Path(".")], follow_imports=True), session), session


@main.group()
def baseline() -> None:
    """Accept today's findings in a file, so lint --baseline reports only new ones."""


@baseline.command("create")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=".smplan-baseline.json",
    show_default=True,
    help="Baseline file to write.",
)
@_session_options
@friendly
def baseline_create(
    paths: tuple[Path, ...],
    output: Path,
    config: Path | None,
    profile: str | None,
    today: str | None,
) -> None:
    """Record the current findings of PATHS (default: the current folder)."""
    from smplan.atomic import check_writable
    from smplan.baseline import check_replaceable, from_report, write

    check_writable(output)
    report, session = _run(paths, config, profile, today)
    _refuse_inputs([output], report, session)
    check_replaceable(output)
    accepted = from_report(report, output)
    write(accepted)
    count = sum(accepted.entries.values())
    click.echo(f"wrote {output}: {count} finding{'' if count == 1 else 's'} accepted")


@baseline.command("prune")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(path_type=Path),
    default=".smplan-baseline.json",
    show_default=True,
    help="Baseline file to prune in place.",
)
@_session_options
@friendly
def baseline_prune(
    paths: tuple[Path, ...],
    baseline_file: Path,
    config: Path | None,
    profile: str | None,
    today: str | None,
) -> None:
    """Drop entries that match nothing now (fixed problems, deleted plans)."""
    from smplan.baseline import load, prune, write

    accepted = load(baseline_file)
    report, session = _run(paths, config, profile, today)
    dropped = prune(accepted, report, session)
    if dropped:
        write(accepted)
    click.echo(f"pruned {baseline_file}: {dropped} stale finding{'' if dropped == 1 else 's'}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base", metavar="REF", help="Compare the plans under PATHS with git revision REF.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="markdown (for people: pull requests, job summaries) or json.",
)
@friendly
def diff(paths: tuple[Path, ...], base: str | None, output_format: str) -> None:
    """What changed in a plan: `diff OLD NEW`, or `diff --base REF [PATHS]`."""
    from smplan.plandiff import diff_files, diff_since, render

    if base is not None:
        diffs = diff_since(base, paths)
    elif len(paths) == 2:
        diffs = [diff_files(*paths)]
    else:
        raise SmplanError("diff takes OLD and NEW plan files, or --base REF and optional PATHS")
    click.echo(render(diffs, output_format), nl=False)


@main.command()
@friendly
def schema() -> None:
    """Print the JSON Schema of the plan language (for editors and other tools)."""
    from smplan.resources import read_text

    click.echo(read_text("schemas", "plan.schema.json"), nl=False)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@click.option("--name", default="plan", show_default=True, help="Base name of the plan file.")
@friendly
def init(directory: Path, name: str) -> None:
    """Write a starter plan and config stub into DIRECTORY (never overwrites)."""
    from smplan.starter import write_starter

    for written in write_starter(directory, name):
        click.echo(f"created {written}")


@main.group(invoke_without_command=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text (a table) or json (for scripts).",
)
@click.pass_context
@friendly
def rules(ctx: click.Context, output_format: str) -> None:
    """List the rules (name, category, severity, summary)."""
    if ctx.invoked_subcommand is not None:
        return
    from smplan.rules.listing import render_list

    click.echo(render_list(output_format), nl=False)


@rules.command("test")
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", type=click.Path(path_type=Path), help="Config naming packs and plugins.")
@friendly
def rules_test(folders: tuple[Path, ...], config: Path | None) -> None:
    """Run every rule's own examples (built-in, FOLDERS of rule packs, configured packs)."""
    from smplan.api import registry_for
    from smplan.config import find_config, load_config
    from smplan.rules.registry import load_pack
    from smplan.rules.testing import run_all

    registry = registry_for(load_config(config or find_config(Path.cwd()))).copy()
    names: set[str] | None = None
    if folders:
        names = set()
        for folder in folders:
            pack = load_pack(folder)
            names.update(r.name for r in pack)
            registry.extend(r for r in pack if r.name not in registry)
    results = run_all(registry, names)
    failed = [r for r in results if not r.passed]
    for r in failed:
        click.echo(
            f"FAIL {r.label}: expected {list(r.expected)}, got {list(r.got)}"
            + (f" {list(r.messages)}" if r.messages else "")
        )
    rules_run = len({r.rule for r in results})
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed ({rules_run} rules)")
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("rule")
@friendly
def explain(rule: str) -> None:
    """Print a rule's documentation and options."""
    from smplan.rules.listing import render_explain

    click.echo(render_explain(rule), nl=False)


from smplan.render.command import build  # noqa: E402  (cheap: renderers load on use)

main.add_command(build)

from smplan.track_command import track  # noqa: E402  (cheap: status loads on use)

main.add_command(track)
