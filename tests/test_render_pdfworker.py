"""PDFs rendered in a worker process are the PDFs rendered in the main process."""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

import pytest
from build_support import FIXTURES, QUIET_CONFIG, TODAY, example

from smplan.diagnostics import SmplanError
from smplan.render.build import BuildOptions, build
from smplan.render.pdfworker import PdfRequest, PdfWorker, wants_pdf

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
