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

The worker dies with the process that started it, even one killed with
``kill -9``: it inherits that process's stdout, and a worker outliving it
kept a pipeline (``smplan build ... | tee log``) open for ever.

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


PR_SET_PDEATHSIG = 1
"""prctl(2): the signal the kernel sends this process when its parent dies."""


def _set_parent_death_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _exit_at_eof(lifeline: int) -> None:
    """Block until the parent's end of ``lifeline`` is closed (it never writes), then exit."""
    while True:
        try:
            if not os.read(lifeline, 1):
                break
        except InterruptedError:
            continue
        except OSError:
            break
    os._exit(1)


def die_with_parent(parent: int, lifeline: int) -> None:
    """End this process when ``parent`` dies, however it dies.

    Two guards: the kernel's parent-death signal (Linux), and everywhere a
    thread that waits for end-of-file on a pipe whose only write end the
    parent holds (the kernel closes it when the parent dies). A parent that
    died before the first guard was set is seen by ``getppid``.
    """
    _set_parent_death_signal()
    watcher = threading.Thread(
        target=_exit_at_eof, args=(lifeline,), name="smplan-pdf-lifeline", daemon=True
    )
    watcher.start()
    if os.getppid() != parent:
        os._exit(1)


def _serve(
    requests: Queue[PdfRequest | None], results: Connection, parent: int, lifeline: tuple[int, int]
) -> None:
    """The worker: import WeasyPrint at once, then render requests until told to stop."""
    read_end, write_end = lifeline
    os.close(write_end)  # the parent's alone: its death must close the last one
    die_with_parent(parent, read_end)
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
        read_end, self._lifeline = os.pipe()
        self._process: ForkProcess = context.Process(
            target=_serve,
            args=(self._requests, child_end, os.getpid(), (read_end, self._lifeline)),
            name="smplan-pdf",
            daemon=True,
        )
        try:
            self._process.start()
        except BaseException:
            os.close(self._lifeline)
            raise
        finally:
            os.close(read_end)
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
        if self._lifeline >= 0:  # the worker sees end-of-file, should it still run
            os.close(self._lifeline)
            self._lifeline = -1


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
