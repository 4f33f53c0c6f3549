"""PDFs rendered in a worker process are the PDFs rendered in the main process."""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from build_support import FIXTURES, QUIET_CONFIG, ROOT, TODAY, example

from smplan.diagnostics import SmplanError
from smplan.render import pdfworker
from smplan.render.build import BuildOptions, build
from smplan.render.pdfworker import PdfRequest, PdfWorker, die_with_parent, wants_pdf

pypdf = pytest.importorskip("pypdf")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is Linux-only")


@pytest.fixture
def worker() -> PdfWorker:
    started = PdfWorker(multiprocessing.get_context("fork"))
    yield started
    started.close()


def text(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def test_the_worker_writes_the_same_documents(tmp_path: Path, worker: PdfWorker) -> None:
    plans = [example("cafe-verde"), example("sever-bike")]
    options = BuildOptions(output_dir=tmp_path / "here", today=TODAY, config=QUIET_CONFIG)
    here = build(plans, options)
    options.output_dir = tmp_path / "there"
    there = build(plans, options, worker=worker)
    assert worker.pending == 0
    assert [p.name for p in there.written] == [p.name for p in here.written]
    assert [p.name for p in there.written][:3] == [
        "cafe-verde.md",
        "cafe-verde.html",
        "cafe-verde.pdf",
    ]
    assert there.notes == here.notes == []
    for name in ("cafe-verde", "sever-bike"):
        for fmt in ("md", "html"):
            assert (tmp_path / "there" / f"{name}.{fmt}").read_bytes() == (
                tmp_path / "here" / f"{name}.{fmt}"
            ).read_bytes()
        assert text(tmp_path / "there" / f"{name}.pdf") == text(tmp_path / "here" / f"{name}.pdf")


def test_fetch_refusals_come_back_from_the_worker(tmp_path: Path, worker: PdfWorker) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "print.css").write_text(
        "body { background: url(http://198.51.100.7/track.png); }\n", encoding="utf-8"
    )
    options = BuildOptions(
        formats=["pdf"], output_dir=tmp_path / "out", today=TODAY, config=QUIET_CONFIG, theme=theme
    )
    outcome = build([FIXTURES / "minimal.smplan.yaml"], options, worker=worker)
    assert [n for n in outcome.notes if "198.51.100.7" in n]
    assert (tmp_path / "out" / "minimal.pdf").read_bytes().startswith(b"%PDF")


def test_an_error_in_the_worker_is_raised_in_the_caller(tmp_path: Path, worker: PdfWorker) -> None:
    missing = tmp_path / "no-such-theme"
    worker.submit(PdfRequest("<html></html>", missing, tmp_path, (tmp_path,)))
    with pytest.raises(SmplanError, match="theme folder does not exist"):
        worker.result()
    # and the worker goes on serving
    worker.submit(PdfRequest("<p>still here</p>", None, tmp_path, (tmp_path,)))
    assert worker.result().data.startswith(b"%PDF")


def test_a_dead_worker_is_an_error_not_a_hang(tmp_path: Path, worker: PdfWorker) -> None:
    worker._process.kill()
    worker._process.join()
    worker.submit(PdfRequest("<p>x</p>", None, tmp_path, (tmp_path,)))
    with pytest.raises(SmplanError, match="PDF renderer stopped unexpectedly"):
        worker.result()


def test_closing_a_busy_worker_does_not_wait_for_it(tmp_path: Path) -> None:
    worker = PdfWorker(multiprocessing.get_context("fork"))
    big = "<table>" + "<tr><td>cell</td></tr>" * 20000 + "</table>"
    worker.submit(PdfRequest(big, None, tmp_path, (tmp_path,)))
    worker.close()
    assert not worker._process.is_alive()


def test_cli_builds_with_and_without_the_worker(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = str(FIXTURES / "minimal.smplan.yaml")
    common = ["build", plan, "-f", "pdf", "--config", str(QUIET_CONFIG), "--today", "2027-01-15"]
    assert cli(*common, "-o", str(tmp_path / "a")).code == 0
    monkeypatch.setenv("SMPLAN_PDF_IN_PROCESS", "1")
    assert cli(*common, "-o", str(tmp_path / "b")).code == 0
    assert text(tmp_path / "a" / "minimal.pdf") == text(tmp_path / "b" / "minimal.pdf")


def test_the_worker_starts_only_when_a_pdf_may_be_written() -> None:
    assert wants_pdf(None)  # the config decides, and its default includes the PDF
    assert wants_pdf("md,PDF") and wants_pdf(["html", ".pdf"])
    assert not wants_pdf("md,html")


def _children(pid: int) -> list[int]:
    listing = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(n) for n in listing.read_text().split()] if listing.exists() else []


def _gone(pid: int) -> bool:
    """Exited: no such process, or a zombie waiting for its new parent to reap it."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return status.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def _until_eof(fd: int, seconds: float) -> float | None:
    """Seconds until end-of-file on ``fd`` (its output is thrown away), or None."""
    start = time.monotonic()
    while (left := start + seconds - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if ready and not os.read(fd, 65536):
            return time.monotonic() - start
    return None


def test_kill_9_of_the_build_ends_its_worker_and_the_pipeline(tmp_path: Path) -> None:
    """``smplan build ... | tee log`` ends when the build is killed, worker and all."""
    if pdfworker._usable_cores() < 2:
        pytest.skip("no PDF worker on one core")
    env = {k: v for k, v in os.environ.items() if k != "SMPLAN_PDF_IN_PROCESS"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "smplan", "build", str(example("cafe-verde"))]
    command += [str(example("sever-bike")), "-o", str(tmp_path), "--today", "2027-01-15"]
    build_process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=tmp_path
    )
    assert build_process.stdout is not None
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 30
        while not (workers := _children(build_process.pid)) and time.monotonic() < deadline:
            assert build_process.poll() is None, "the build ended before its worker started"
            time.sleep(0.02)
        assert workers, "no PDF worker started"
        time.sleep(0.5)  # importing WeasyPrint or laying out the first PDF
        assert not _gone(workers[0])
        os.kill(build_process.pid, signal.SIGKILL)
        build_process.wait(5)
        waited = _until_eof(build_process.stdout.fileno(), 5)
        assert waited is not None, "the build's stdout stayed open after kill -9"
        deadline = time.monotonic() + 5
        while not _gone(workers[0]) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _gone(workers[0])
    finally:
        build_process.kill()
        for pid in workers or _children(build_process.pid):
            if not _gone(pid):  # never left behind, even when the test fails
                os.kill(pid, signal.SIGKILL)
        build_process.stdout.close()
        build_process.wait()


def _linger(parent: int, lifeline: tuple[int, int]) -> None:
    os.close(lifeline[1])
    die_with_parent(parent, lifeline[0])
    time.sleep(60)
    os._exit(0)


def test_without_the_kernels_signal_the_worker_sees_its_parent_go(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The portable guard alone: end-of-file on the lifeline ends the process."""
    monkeypatch.setattr(pdfworker, "_set_parent_death_signal", lambda: False)
    read_end, write_end = os.pipe()
    child = multiprocessing.get_context("fork").Process(
        target=_linger, args=(os.getpid(), (read_end, write_end)), daemon=True
    )
    child.start()
    os.close(read_end)
    try:
        child.join(0.5)
        assert child.is_alive()  # the parent lives: so does the child
        os.close(write_end)  # what the kernel does when the parent dies
        child.join(5)
        assert child.exitcode == 1
    finally:
        child.kill()
        child.join()
