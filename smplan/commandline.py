"""What every smplan command shares: one-line errors, exit codes and colour.

Kept apart from ``smplan.cli`` so the command modules (build, track) use the
same handling without importing the CLI that registers them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from smplan.diagnostics import SmplanError

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = 2) -> None:
    click.echo(f"smplan: error: {message}", err=True)
    sys.exit(code)


def friendly(function: F) -> F:
    """Turn every expected failure into one line on stderr and exit code 2."""

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

    return wrapper  # type: ignore[return-value]


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
