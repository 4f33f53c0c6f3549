"""What every smplan command shares: one-line errors, exit codes and colour.

Kept apart from ``smplan.cli`` so the command modules (build, track) use the
same handling without importing the CLI that registers them.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from smplan.diagnostics import SmplanError

F = TypeVar("F", bound=Callable[..., Any])


INTERNAL_ERROR = 3
"""Exit code of a crash: never 1, which means findings (the Action tells them apart)."""


def fail(message: str, code: int = 2) -> None:
    click.echo(f"smplan: error: {message}", err=True)
    sys.exit(code)


def friendly(function: F) -> F:
    """Turn every expected failure into one line on stderr and exit code 2 (a crash: 3)."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except SmplanError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(1)
        except MemoryError:
            fail("out of memory; check the input's size and the limits in the config")
        except RecursionError:
            fail("input nested too deeply")
        except OSError as exc:
            name = f"{exc.filename}: " if exc.filename else ""
            fail(f"{name}{exc.strerror or exc}")
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - a crash is one line and its own exit code
            where = ""
            if exc.__traceback__ is not None:
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                where = f" (at {Path(frame.filename).name}:{frame.lineno})"
            fail(
                f"internal error: {type(exc).__name__}: {exc}{where}; please report this",
                INTERNAL_ERROR,
            )

    return wrapper  # type: ignore[return-value]


class OneLineErrorGroup(click.Group):
    """Usage errors read like every other smplan error: one line, exit 2.

    Click's own report is three lines (usage, a hint, the error); a hook log or
    a CI annotation wants the one line that says what is wrong.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        call = (args, prog_name, complete_var)
        _escape_odd_names(sys.stdout)
        if not standalone_mode:
            return super().main(*call, standalone_mode=False, **extra)
        try:
            result = super().main(*call, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()  # bare `smplan`: the help is the answer
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            fail(exc.format_message() + hint, exc.exit_code)
        except click.ClickException as exc:
            fail(exc.format_message(), exc.exit_code)
        except click.Abort:
            fail("interrupted", 130)
        sys.exit(result if isinstance(result, int) else 0)


def _escape_odd_names(stream: Any) -> None:
    """Print a file name that is not UTF-8 escaped (``b\\udcff.yaml``), never crash.

    Under ``en_US.UTF-8`` stdout is strict, and one such name in a report raised
    UnicodeEncodeError; in the C locale its raw bytes made JSON output invalid
    UTF-8. Escaped, as Python's stderr already does, stdout stays valid UTF-8.
    """
    odd = getattr(stream, "errors", None) in ("strict", "surrogateescape")
    if odd and hasattr(stream, "reconfigure"):
        stream.reconfigure(errors="backslashreplace")


color_option = click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="When to colour: auto (on a terminal, unless NO_COLOR is set), always or never.",
)


def use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
