"""The ``smplan build`` command.

Importing this module costs only click (already loaded by the CLI): the
renderers, and with them Jinja2, markdown-it, Babel and WeasyPrint, are
imported when the command runs, so ``smplan lint`` never pays for them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from smplan.commandline import color_option, friendly, use_color
from smplan.diagnostics import Severity

if TYPE_CHECKING:
    from smplan.render.pdfworker import PdfWorker


@click.command()
@click.argument("plans", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "formats",
    metavar="LIST",
    help="Comma-separated formats: md, html, pdf (default: all, or `formats` in the config).",
)
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the documents (default: out/, or `output-dir` in the config).",
)
@click.option("--lang", metavar="LANG", help="Document language (default: the plan's language).")
@click.option(
    "--theme",
    type=click.Path(path_type=Path, file_okay=False),
    help="Theme folder overriding templates, CSS, labels or logo (or `theme` in the config).",
)
@click.option("--force", is_flag=True, help="Build despite errors; documents are marked DRAFT.")
@click.option(
    "--today", metavar="YYYY-MM-DD", help="Date the lint compares against (SMPLAN_TODAY)."
)
@click.option("--config", type=click.Path(path_type=Path), help="Config file to use.")
@color_option
@friendly
def build(
    plans: tuple[Path, ...],
    formats: str | None,
    output_dir: Path | None,
    lang: str | None,
    theme: Path | None,
    force: bool,
    today: str | None,
    config: Path | None,
    color: str,
) -> None:
    """Compile plans into Markdown, HTML and PDF documents (after a clean lint).

    A named YAML file that is not a plan stands for the plans that import it.
    """
    from smplan.render.pdfworker import PdfWorker, wants_pdf

    # First thing, so that the worker imports WeasyPrint while this process
    # imports the linter, lints and renders the HTML.
    worker = PdfWorker.start() if wants_pdf(formats) else None
    try:
        _build(plans, formats, output_dir, lang, theme, force, today, config, color, worker)
    finally:
        if worker is not None:
            worker.close()


def _build(
    plans: tuple[Path, ...],
    formats: str | None,
    output_dir: Path | None,
    lang: str | None,
    theme: Path | None,
    force: bool,
    today: str | None,
    config: Path | None,
    color: str,
    worker: PdfWorker | None,
) -> None:
    from smplan.api import today_from
    from smplan.buildsettings import parse_formats
    from smplan.config import check_config_file
    from smplan.render.build import BuildOptions
    from smplan.render.build import build as run_build
    from smplan.reporters import ReportContext, get_reporter

    check_config_file(config)
    options = BuildOptions(
        formats=parse_formats(formats) if formats else None,
        output_dir=output_dir,
        language=lang,
        theme=theme,
        force=force,
        today=today_from(today),
        config=config,
    )
    outcome = run_build(plans, options, worker=worker)
    context = ReportContext(color=use_color(color))
    render = get_reporter("text")
    if outcome.refused is not None:
        if outcome.refused.active:
            click.echo(render(outcome.refused, context), nl=False)
        for source in outcome.unloadable:
            click.echo(f"smplan: error: {source}: the plan does not load; nothing built", err=True)
        errors = outcome.refused.count(Severity.ERROR)
        if errors:
            hint = "" if force else "; fix them, or use --force to build a draft"
            click.echo(f"smplan: error: nothing built: {errors} error(s){hint}", err=True)
        sys.exit(1)
    for note in outcome.notes:
        click.echo(f"smplan: warning: {note}", err=True)
    if outcome.drafts and outcome.report is not None:
        click.echo(render(outcome.report, context), nl=False)
        for source in outcome.drafts:
            click.echo(f"smplan: warning: {source}: built as a DRAFT despite errors", err=True)
    for path in outcome.written:
        click.echo(f"wrote {path}")
