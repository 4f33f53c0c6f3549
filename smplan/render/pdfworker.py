"""PDFs rendered in a second process, started before anything else is done.

Importing WeasyPrint costs half a second (most of it cffi reading Pango's C
declarations), and laying out a PDF is the longest step of a build. A
``smplan build`` that will write a PDF therefore forks one worker process
first thing: the worker imports WeasyPrint while the main process imports
the linter, lints and renders the Markdown and HTML; then the worker lays
out the PDF while the main process writes the other documents and goes on
to the next plan. On a machine with one core, off Linux, or in a process
that already runs threads (where ``fork`` is unsafe), PDFs are rendered in
the main process as before; the documents are the same either way.

Only the standard library is imported here, so starting the worker costs
a fork, not an import.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import ForkContext, ForkProcess
    from multiprocessing.queues import Queue

    from smplan.render.pdf import PdfResult


@dataclass(frozen=True, slots=True)
class PdfRequest:
    """What the worker needs to render one PDF (all of it picklable)."""

    html: str
    theme: Path | None
    base: Path
    allowed: tuple[Path, ...]


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _serve(requests: Queue[PdfRequest | None], results: Connection) -> None:
    """The worker: import WeasyPrint at once, then render requests until told to stop."""
    try:
        from smplan.render import pdf

        pdf.warm_up()
    except Exception:  # noqa: BLE001 - the same error is reported by the first render
        pass
    while True:
        request = requests.get()
        if request is None:
            return
        answer: tuple[str, Any]
        try:
            from smplan.render.pdf import render_pdf
            from smplan.render.theme import Theme

            result = render_pdf(
                request.html, Theme(request.theme), base=request.base, allowed=request.allowed
            )
            answer = ("ok", result)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller
            answer = ("error", _portable(exc))
        results.send(answer)


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it survives pickling, else its text in a RuntimeError."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any unpicklable exception is described instead
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


class PdfWorker:
    """One worker process rendering PDFs in the order they are submitted."""

    def __init__(self, context: ForkContext) -> None:
        self._requests: Queue[PdfRequest | None] = context.Queue()
        self._results, child_end = context.Pipe(duplex=False)
        self._process: ForkProcess = context.Process(
            target=_serve, args=(self._requests, child_end), name="smplan-pdf", daemon=True
        )
        self._process.start()
        child_end.close()
        self.pending = 0

    @classmethod
    def start(cls) -> PdfWorker | None:
        """A worker, when it can help: Linux, two cores or more, no other thread."""
        if not sys.platform.startswith("linux") or os.environ.get("SMPLAN_PDF_IN_PROCESS"):
            return None
        if _usable_cores() < 2 or threading.active_count() > 1:
            return None
        import multiprocessing

        try:
            return cls(multiprocessing.get_context("fork"))
        except OSError:  # no process to spare: render in this one
            return None

    def submit(self, request: PdfRequest) -> None:
        self._requests.put(request)
        self.pending += 1

    def result(self) -> PdfResult:
        """The oldest submitted PDF, waiting for it; the worker's error is raised here."""
        from smplan.diagnostics import SmplanError

        try:
            while not self._results.poll(0.2):
                if not self._process.is_alive() and not self._results.poll(0):
                    raise EOFError
            status, value = self._results.recv()
        except (EOFError, OSError):
            self._process.join(1)
            raise SmplanError(
                f"the PDF renderer stopped unexpectedly (exit code {self._process.exitcode})"
            ) from None
        self.pending -= 1
        if status == "error":
            raise value
        result: PdfResult = value
        return result

    def close(self) -> None:
        """Stop the worker at once, whatever it is doing (it holds nothing to save)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._requests.cancel_join_thread()
        self._requests.close()
        self._results.close()


def render_in(worker: PdfWorker | None, request: PdfRequest) -> PdfResult:
    """Render one PDF in ``worker``, or here when there is none."""
    if worker is None:
        from smplan.render.pdf import render_pdf
        from smplan.render.theme import Theme

        return render_pdf(
            request.html, Theme(request.theme), base=request.base, allowed=request.allowed
        )
    worker.submit(request)
    return worker.result()


def wants_pdf(formats: str | Sequence[str] | None) -> bool:
    """Whether a build asked for these formats may write a PDF (None: the config decides)."""
    if formats is None:
        return True
    items = formats.split(",") if isinstance(formats, str) else formats
    return any(item.strip().lower().lstrip(".") == "pdf" for item in items)
