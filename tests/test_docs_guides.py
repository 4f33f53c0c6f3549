"""The guides' examples are executed, so the docs cannot rot.

A guide listed in ``RUNNABLE`` is replayed from top to bottom in an empty
folder, by one bash session (so ``cd`` and ``. .venv/bin/activate`` carry
over from one block to the next, as in the reader's terminal):

- a ```` ```console ```` block is commands (``$ `` lines; a line ending in
  ``\\`` continues) each followed by the output the guide shows. Every
  command must exit 0, unless the guide's next command is ``echo $?`` and
  shows the code. Where the guide shows output, stdout and stderr together
  must match it line for line (a line ``...`` stands for any lines);
- a ```` ```sh ```` block is commands only (exit 0, output not shown);
- a ```` ```yaml ````, ```` ```toml ```` or ```` ```csv ```` block with a
  ``title="PATH"`` is a file the reader writes. A YAML block for a file that
  exists replaces the file's top-level sections of the same name in place and
  adds the others at the end, as the guide's words tell the reader; other
  blocks write the whole file.

A console block that cannot run in a test says so in its title, visibly:
``title="Not run by the tests: REASON"`` (``Не запускается тестами: ...`` in
Russian). Only commands that open a window may be marked so; the test fails
on any other.

When smplan's messages change on purpose, ``SMPLAN_DOCS_RECORD=1 pytest
tests/test_docs_guides.py`` writes the output the commands print into the
guides instead of failing; review the diff before committing it.

Getting started installs smplan the way a reader does, ``pip install
git+https://github.com/smplan/smplan``, into a fresh virtual environment;
git's ``url.<base>.insteadOf`` points that address at this checkout's
committed HEAD, so the install is real but needs no GitHub.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from smplan.rules.registry import Registry, check_against_schema, parse_rule_file
from tests.ci_support import clean_env
from tests.conftest import ROOT, require_tool

DOCS = ROOT / "docs"
GETTING_STARTED = (DOCS / "getting-started.md", DOCS / "ru" / "getting-started.md")
RUNNABLE = (*GETTING_STARTED, DOCS / "guides" / "custom-rules.md")
NOT_RUN_MARKERS = ("Not run by the tests:", "Не запускается тестами:")
# The only commands a guide may leave unrun: they open a window.
OPENS_A_WINDOW = {"xdg-open", "open", "start"}
TODAY = "2026-12-15"  # the date the guides' lint output was written on
TIMEOUT = 300.0  # seconds for one command (pip install is the slow one)

_FENCE = re.compile(
    r"^(?P<indent>[ ]*)(?P<fence>`{3,})(?P<info>[^`\n]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ ]*$",
    re.MULTILINE | re.DOTALL,
)
_TITLE = re.compile(r'title="([^"]*)"')
_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*:", re.MULTILINE)


@dataclass
class Command:
    line: str
    output: list[str] | None  # None: the guide shows none, so it is not checked
    where: str


@dataclass
class Block:
    lang: str
    title: str
    body: str
    line: int
    span: tuple[int, int] = (0, 0)  # where the body is in the page's text
    commands: list[Command] = field(default_factory=list)


def blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        info = match.group("info").strip()
        lang = info.split()[0] if info else ""
        title = _TITLE.search(info)
        indent = len(match.group("indent"))
        body = "".join(line[indent:] + "\n" for line in match.group("body").splitlines())
        line = text.count("\n", 0, match.start()) + 1
        block = Block(lang, title.group(1) if title else "", body, line, match.span("body"))
        if lang in ("console", "sh"):
            block.commands = _commands(block, f"{page.name}:{line}")
        found.append(block)
    return found


def _commands(block: Block, where: str) -> list[Command]:
    commands: list[Command] = []
    lines = block.body.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if block.lang == "sh":
            command = line.strip()
            i += 1
            while command.endswith("\\") and i < len(lines):
                command = command[:-1] + " " + lines[i].strip()
                i += 1
            if command and not command.startswith("#"):
                commands.append(Command(command, None, where))
            continue
        assert line.startswith("$ "), f"{where}: console output before any command: {line!r}"
        command = line[2:]
        i += 1
        while command.endswith("\\") and i < len(lines):
            command = command[:-1] + " " + lines[i].strip()
            i += 1
        output = []
        while i < len(lines) and not lines[i].startswith("$ "):
            output.append(lines[i])
            i += 1
        commands.append(Command(command, output or None, where))
    return commands


def not_run(block: Block) -> bool:
    return block.title.startswith(NOT_RUN_MARKERS)


# ------------------------------------------------------------------- files
def _sections(text: str) -> list[tuple[str | None, str]]:
    """A YAML file as (top-level key, or None for what precedes the first one, text).

    Comment lines right above a key belong to that key's section.
    """
    lines = text.splitlines(keepends=True)
    starts: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        match = _TOP_KEY.match(line)
        if match:
            first = number
            while first > 0 and lines[first - 1].lstrip().startswith("#"):
                first -= 1
            starts.append((first, match.group(0)[:-1]))
    chunks: list[tuple[str | None, str]] = []
    head_end = starts[0][0] if starts else len(lines)
    if head_end:
        chunks.append((None, "".join(lines[:head_end])))
    for index, (first, key) in enumerate(starts):
        last = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        chunks.append((key, "".join(lines[first:last])))
    return chunks


def merge_yaml(old: str, new: str) -> str:
    """``old`` with ``new``'s top-level sections put in place of its own, or added."""
    incoming = dict(_sections(new))
    out = []
    for key, chunk in _sections(old):
        if key is not None and key in incoming:
            out.append(_with_blank_line(incoming.pop(key), chunk))
        else:
            out.append(chunk)
    added = [chunk for key, chunk in _sections(new) if key in incoming or key is None]
    text = "".join(out)
    for chunk in added:
        text = text.rstrip("\n") + "\n\n" + chunk
    return text


def _with_blank_line(new: str, old: str) -> str:
    """Keep the blank lines that separated the replaced section from the next."""
    trailing = old[len(old.rstrip("\n")) :]
    return new.rstrip("\n") + trailing


def write_file(folder: Path, block: Block) -> None:
    path = folder / block.title
    path.parent.mkdir(parents=True, exist_ok=True)
    if block.lang == "yaml" and path.exists():
        text = merge_yaml(path.read_text(encoding="utf-8"), block.body)
    else:
        text = block.body
    path.write_text(text, encoding="utf-8")


# ------------------------------------------------------------------- shell
class Shell:
    """One bash session; each command's output goes to a file, its exit code
    is kept in ``$?`` for the next command (so a guide can show ``echo $?``)."""

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self.cwd = cwd
        self.count = 0
        self.process = subprocess.Popen(
            ["bash", "--noprofile", "--norc"],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def run(self, command: str) -> tuple[int, str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.count += 1
        capture = self.cwd / f".docs-test-{self.count}.out"
        marker = f"__docs_test_done_{self.count}__"
        script = (
            f"{{ {command}\n}} > {shlex.quote(str(capture))} 2>&1 < /dev/null\n"
            f'__rc=$?; echo "{marker} $__rc"; (exit $__rc)\n'
        )
        self.process.stdin.write(script)
        self.process.stdin.flush()
        timer = threading.Timer(TIMEOUT, self.process.kill)
        timer.start()
        try:
            for line in self.process.stdout:
                if line.startswith(marker):
                    code = int(line.split()[1])
                    break
            else:
                pytest.fail(f"the shell died (or timed out after {TIMEOUT} s) on: {command}")
        finally:
            timer.cancel()
        output = capture.read_text(encoding="utf-8", errors="replace")
        capture.unlink()
        return code, output

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line-for-line equality; a ``...`` line in ``expected`` matches any lines."""
    if not expected:
        return not actual
    if expected[0].strip() == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


def _lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def guide_env(home: Path) -> dict[str, str]:
    env = clean_env(
        NO_COLOR="1",
        PYTHONUNBUFFERED="1",  # stdout and stderr interleave as on a terminal
        SMPLAN_TODAY=TODAY,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        # pip install git+https://github.com/smplan/smplan installs this checkout.
        GIT_CONFIG_COUNT="1",
        GIT_CONFIG_KEY_0=f"url.{ROOT.as_posix()}.insteadOf",
        GIT_CONFIG_VALUE_0="https://github.com/smplan/smplan",
    )
    for name in ("SMPLAN_CACHE_DIR", "SMPLAN_NO_CACHE", "VIRTUAL_ENV", "GITHUB_ACTIONS"):
        env.pop(name, None)
    # The test's own smplan stays reachable for guides that do not install one.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def replay(page: Path, folder: Path) -> Shell:
    """Run a guide in ``folder``; fail at the first command that does not do what it shows."""
    record = os.environ.get("SMPLAN_DOCS_RECORD") == "1"
    recorded: list[tuple[Block, list[list[str] | None]]] = []
    shell = Shell(folder, guide_env(folder))
    try:
        for block in blocks(page):
            if block.lang in ("yaml", "toml", "csv") and block.title:
                write_file(folder, block)
                continue
            if not block.commands or not_run(block):
                continue
            outputs: list[list[str] | None] = []
            for index, command in enumerate(block.commands):
                code, output = shell.run(command.line)
                shows_code = (
                    index + 1 < len(block.commands)
                    and block.commands[index + 1].line.strip() == "echo $?"
                )
                if code != 0 and not shows_code:
                    pytest.fail(f"{command.where}: `{command.line}` exited {code}:\n{output}")
                outputs.append(_lines(output) if command.output is not None else None)
                if (
                    not record
                    and command.output is not None
                    and not matches(_lines("\n".join(command.output)), _lines(output))
                ):
                    pytest.fail(
                        f"{command.where}: `{command.line}` printed\n{output}\n"
                        f"but the guide shows\n" + "\n".join(command.output)
                    )
            recorded.append((block, outputs))
    except BaseException:
        shell.process.kill()
        raise
    if record:
        _record(page, recorded)
    return shell


def _record(page: Path, recorded: list[tuple[Block, list[list[str] | None]]]) -> None:
    """Write what the commands printed into the guide's console blocks."""
    text = page.read_text(encoding="utf-8")
    for block, outputs in reversed(recorded):
        if block.lang != "console":
            continue
        body = []
        for command, output in zip(block.commands, outputs, strict=True):
            body.append(f"$ {command.line}")
            body += output or []
        start, end = block.span
        text = text[:start] + "\n".join(body) + "\n" + text[end:]
    page.write_text(text, encoding="utf-8")


# ------------------------------------------------------------------- tests
@pytest.mark.parametrize("page", GETTING_STARTED, ids=lambda p: str(p.relative_to(DOCS)))
def test_getting_started_runs_as_written(page, tmp_path):
    require_tool("git")
    shell = replay(page, tmp_path)
    # The smplan that ran is the one the guide installed, not the test's own.
    code, where = shell.run("command -v smplan")
    shell.close()
    assert code == 0 and where.strip() == str(tmp_path / ".venv" / "bin" / "smplan")
    built = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert [p for p in built if p.endswith(".pdf")], built


def test_custom_rules_guide_runs_as_written(tmp_path):
    replay(DOCS / "guides" / "custom-rules.md", tmp_path).close()
    assert (tmp_path / "plan-rules" / "channel-needs-handle.yaml").is_file()


@pytest.mark.parametrize("page", RUNNABLE, ids=lambda p: str(p.relative_to(DOCS)))
def test_only_commands_that_open_a_window_are_not_run(page):
    skipped = [b for b in blocks(page) if not_run(b)]
    for block in skipped:
        for command in block.commands:
            program = shlex.split(command.line, comments=True)[0]
            assert program in OPENS_A_WINDOW, (
                f"{page.name}:{block.line}: `{command.line}` is marked as not run, "
                "but only commands that open a window may be"
            )
    titles = [b.title for b in blocks(page) if b.lang == "console" and b.title]
    assert all(t.startswith(NOT_RUN_MARKERS) for t in titles), titles


@pytest.mark.parametrize("page", GETTING_STARTED, ids=lambda p: str(p.relative_to(DOCS)))
def test_getting_started_follows_the_method(page):
    """Install, init, the four steps of the method in their order, lint, build, open."""
    commands = [c.line for b in blocks(page) for c in b.commands]
    assert commands[0].startswith("python3 -m venv")
    assert any(c.startswith("pip install") for c in commands)
    assert any(c.startswith("smplan init") for c in commands)
    assert any(c.startswith("smplan build") for c in commands)
    assert any(b.commands and not_run(b) and ".pdf" in b.body for b in blocks(page))
    plan_blocks = [b for b in blocks(page) if b.lang == "yaml" and b.title]
    sections = [key for b in plan_blocks for key, _ in _sections(b.body) if key]
    order = ["plan", "situation", "audiences", "objectives", "kpis", "crisis"]
    firsts = [sections.index(key) for key in order]
    assert firsts == sorted(firsts), sections


def test_merge_replaces_sections_in_place_and_appends_new_ones():
    old = "# head\nsmplan: 1\n\nplan:\n  id: a\n\n# team\nteam:\n  members: []\n"
    new = "plan:\n  id: b\nkpis: []\n"
    assert merge_yaml(old, new) == (
        "# head\nsmplan: 1\n\nplan:\n  id: b\n\n# team\nteam:\n  members: []\n\nkpis: []\n"
    )


def test_matches_supports_an_ellipsis_line():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert not matches(["a", "d"], ["a", "b", "d"])
    assert not matches(["a"], ["a", "b"])


def test_custom_rules_guide_examples_are_valid_rules_and_plugin():
    page = DOCS / "guides" / "custom-rules.md"
    rule_blocks = [b for b in blocks(page) if b.lang == "yaml" and "\ndocs:" in b.body]
    assert len(rule_blocks) >= 2
    for block in rule_blocks:
        check_against_schema(block.body, f"{page.name}:{block.line}")
        parse_rule_file(block.body, f"{page.name}:{block.line}")
    plugin = next(b for b in blocks(page) if b.lang == "python")
    namespace: dict[str, object] = {}
    exec(compile(plugin.body, f"{page.name}:{plugin.line}", "exec"), namespace)
    registry = Registry()
    registry.extend(namespace["rules"]())  # type: ignore[operator]
    assert "acme-owner" in registry


def test_api_reference_examples_run(tmp_path):
    page = DOCS / "reference" / "api.md"
    examples = [b for b in blocks(page) if b.lang == "python"]
    assert examples
    for block in examples:
        done = subprocess.run(
            [sys.executable, "-c", block.body],
            cwd=ROOT,
            env={**os.environ, "SMPLAN_CACHE_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"{page.name}:{block.line}: {done.stderr}"


def test_yaml_snippets_of_the_guides_are_yaml():
    """Every YAML block of the guides and generated references parses (rule pages
    quote rule files' own examples, which may elide with ``...``)."""
    for page in sorted(DOCS.rglob("*.md")):
        if page.parent == DOCS / "rules":
            continue
        for block in blocks(page):
            if block.lang == "yaml" and "--8<--" not in block.body:
                yaml.safe_load(block.body)  # raises with the position if broken
