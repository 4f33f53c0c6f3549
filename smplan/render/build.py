"""``smplan build``: lint, then compile each plan into Markdown, HTML and PDF.

The order matters: every plan is linted before anything is rendered, and
nothing is written while any plan has errors (unless ``--force``, which
marks the documents as drafts). Each document is written under a temporary
name in its folder, and all of them are renamed into place only once every
plan has rendered (:class:`smplan.atomic.StagedFiles`): a build that fails or
is interrupted on any plan leaves all the previous documents as they were,
and no output may overwrite an input.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from smplan import safepath
from smplan.api import Report, Session, discover, lint_plan_file, rule_options
from smplan.atomic import StagedFiles
from smplan.buildsettings import FORMATS, check_language, parse_formats
from smplan.diagnostics import Diagnostic, Severity, SmplanError
from smplan.engine import FileResult
from smplan.model import Plan
from smplan.render.fmt import Formatter
from smplan.render.i18n import load_labels
from smplan.render.pdfworker import PdfRequest, PdfWorker, render_in
from smplan.render.theme import Theme, template_failure
from smplan.render.view import Document, Finding
from smplan.status import tracking_options

if TYPE_CHECKING:
    from smplan.render.pdf import PdfResult

DEFAULT_OUTPUT = Path("out")
_PLAN_SUFFIXES = (".smplan.yaml", ".smplan.yml", ".yaml", ".yml")


@dataclass(slots=True)
class BuildOptions:
    """What the command line (or a caller) asks for; None means "from the config"."""

    formats: Sequence[str] | None = None
    output_dir: Path | None = None
    language: str | None = None
    theme: Path | None = None
    force: bool = False
    today: date | None = None
    config: Path | None = None


@dataclass(slots=True)
class BuildOutcome:
    """What happened: files written, or the lint report that stopped the build."""

    written: list[Path] = field(default_factory=list)
    refused: Report | None = None
    drafts: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    report: Report | None = None
    unloadable: list[Path] = field(default_factory=list)


@dataclass(slots=True)
class _Job:
    source: Path
    result: FileResult
    plan: Plan
    language: str
    theme: Theme
    outputs: dict[str, Path]
    tracking: tuple[float, str]  # kpi-off-track's tolerance and pace, as the config sets them
    pdf_calendar_limit: int | None  # None: the renderer's default


def output_stem(path: Path) -> str:
    """``cafe-verde.smplan.yaml`` -> ``cafe-verde``."""
    name = path.name
    for suffix in _PLAN_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return path.stem


def build_date() -> date | None:
    """The date printed in the documents: only when ``SOURCE_DATE_EPOCH`` asks for one."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    except (ValueError, OverflowError, OSError):
        raise SmplanError(f"SOURCE_DATE_EPOCH must be a number of seconds, not '{epoch}'") from None


def _active(result: FileResult) -> list[Diagnostic]:
    return [d for d in result.diagnostics if not d.suppressed]


def _errors(result: FileResult) -> list[Diagnostic]:
    return [d for d in _active(result) if d.severity == Severity.ERROR]


def _inputs(source: Path, plan: Plan, session: Session) -> set[Path]:
    """Files the build reads: an output must never replace one of them."""
    folder = source.resolve().parent
    inputs = {source.resolve()}
    names = [*(plan.imports or [])]
    actuals = plan.plan.actuals
    if actuals and not any(ch in actuals for ch in "*?["):
        names.append(actuals)
    for name in names:
        try:
            inputs.add(safepath.resolve(folder / name))
        except safepath.PathProblem:
            continue  # a loop or a NUL byte names no file the build could read
    config = session.config_for(source).path
    if config is not None:
        inputs.add(Path(config).resolve())
    return inputs


def _findings(result: FileResult, source: Path) -> list[Finding]:
    """Active findings for the appendix, with paths relative to the plan's folder."""
    folder = source.resolve().parent
    rows: list[tuple[int, str, int, int, Finding]] = []
    for d in _active(result):
        try:
            where = os.path.relpath(safepath.resolve(Path(d.file)), folder)
        except (ValueError, safepath.PathProblem):
            where = Path(d.file).name
        where = where.replace(os.sep, "/")
        finding = Finding(d.severity.label, d.rule, d.message, f"{where}:{d.line}:{d.column}")
        rows.append((-int(d.severity), where, d.line, d.column, finding))
    rows.sort(key=lambda row: row[:4])
    return [row[4] for row in rows]


def build(
    paths: Sequence[str | Path], options: BuildOptions, *, worker: PdfWorker | None = None
) -> BuildOutcome:
    """Lint every plan, then render and write the documents (see the module doc).

    PDFs are rendered by ``worker`` when given (a second process, see
    :mod:`smplan.render.pdfworker`), else here; the caller closes it.
    """
    files = discover(paths, follow_imports=True)
    if not files:
        if paths and all(Path(p).is_file() for p in paths):
            # shared files no plan imports (a pre-commit hook hands every changed YAML)
            return BuildOutcome(notes=["no plan imports the given files; nothing to build"])
        raise SmplanError("no plan files found (plans are named *.smplan.yaml)")
    if options.language is not None:
        check_language(options.language)
    if options.theme is not None:
        Theme(options.theme)  # a missing theme is a usage error, found before linting
    session = Session(options.config, today=options.today)
    results = [(f, lint_plan_file(f, session)) for f in files]

    outcome = BuildOutcome()
    every = [d for _, r in results for d in _active(r)]
    outcome.report = Report(files=len(files), diagnostics=every)
    blocked = [(f, r) for f, r in results if r.plan is None or (_errors(r) and not options.force)]
    if blocked:
        shown = [d for _, r in blocked for d in _active(r)]
        outcome.refused = Report(files=len(blocked), diagnostics=shown)
        outcome.unloadable = [f for f, r in blocked if r.plan is None]
        return outcome

    jobs: list[_Job] = []
    claimed: dict[Path, Path] = {}
    inputs: set[Path] = set()
    for source, result in results:
        assert result.plan is not None
        config = session.config_for(source)
        plan = result.plan
        formats = parse_formats(options.formats or config.formats or FORMATS)
        folder = options.output_dir or config.output_dir or DEFAULT_OUTPUT
        language = options.language or config.language or plan.plan.language or "en"
        theme = Theme(options.theme or config.theme)
        stem = output_stem(source)
        outputs = {fmt: folder / f"{stem}.{fmt}" for fmt in formats}
        for target in outputs.values():
            try:
                key = safepath.resolve(target)
            except safepath.PathProblem as exc:
                raise SmplanError(f"{target}: {exc}; name another output folder") from None
            if key in claimed:
                raise SmplanError(
                    f"{claimed[key]} and {source} would both write {target}; "
                    "rename one plan or build them separately"
                )
            claimed[key] = source
        inputs |= _inputs(source, plan, session)
        tracking = tracking_options(rule_options(session, source, "kpi-off-track"))
        limit = config.pdf_calendar_limit
        jobs.append(_Job(source, result, plan, language, theme, outputs, tracking, limit))
    for key, source in claimed.items():
        if key in inputs or (key.exists() and key.is_dir()):
            raise SmplanError(f"{key}: output would overwrite an input or a folder ({source})")

    built_on = build_date()
    waiting: list[_Job] = []  # PDFs the worker is making, in order
    with StagedFiles() as staged:  # every plan's documents appear together, or none
        for job in jobs:
            errors = len(_errors(job.result))
            try:
                documents, request = render_plan(
                    job, built_on=built_on, draft=errors > 0, errors=errors, today=session.today
                )
            except SmplanError:
                raise
            except Exception as exc:  # a broken template in a user theme is bad input
                failure = template_failure(exc, job.theme)
                if failure is None:
                    raise
                raise failure from None
            for fmt, data in documents.items():
                staged.write(job.outputs[fmt], data)
            if request is not None:
                if worker is None:
                    _write_pdf(job, render_in(None, request), outcome, staged)
                else:  # the worker lays it out while this process goes on with the next plan
                    worker.submit(request)
                    waiting.append(job)
            if errors:
                outcome.drafts.append(job.source)
        for job in waiting:
            assert worker is not None
            _write_pdf(job, worker.result(), outcome, staged)
        staged.commit()
    outcome.written = [path for job in jobs for path in job.outputs.values()]
    return outcome


def _write_pdf(job: _Job, result: PdfResult, outcome: BuildOutcome, staged: StagedFiles) -> None:
    notes = outcome.notes
    notes.extend(f"{job.source}: PDF: refused to fetch {url}" for url in result.refused)
    notes.extend(f"{job.source}: PDF: {message}" for message in result.warnings)
    staged.write(job.outputs["pdf"], result.data)


def render_plan(
    job: _Job, *, built_on: date | None, draft: bool, errors: int, today: date | None = None
) -> tuple[dict[str, bytes], PdfRequest | None]:
    """One plan's Markdown and HTML, and the request for its PDF (nothing is written here)."""
    from smplan.render.html import render_html
    from smplan.render.markdown import render_markdown
    from smplan.render.webfonts import embed_fonts

    labels = load_labels(job.language, job.theme.label_folders())
    fmt = Formatter(job.language, job.plan.plan.currency, labels)
    doc = Document(
        job.plan,
        labels,
        fmt,
        findings=_findings(job.result, job.source),
        draft=draft,
        built_on=built_on,
        tracking=job.tracking,
        pdf_calendar_limit=job.pdf_calendar_limit,
        today=today,  # the report date follows it, as in smplan track
    )
    documents: dict[str, bytes] = {}
    if "md" in job.outputs:
        documents["md"] = render_markdown(doc, job.theme, error_count=errors).encode("utf-8")
    html: str | None = None
    if "html" in job.outputs:
        html = render_html(doc, job.theme, error_count=errors)
        documents["html"] = embed_fonts(html, job.theme).encode("utf-8")
    request = None
    if "pdf" in job.outputs:
        if html is None or doc.calendar_summarised:
            html = render_html(doc, job.theme, error_count=errors, for_pdf=True)
        folder = job.source.resolve().parent
        request = PdfRequest(html, job.theme.user, folder, (folder,))
    return documents, request
