"""Generate the CLI reference (``docs/reference/cli.md``) from the click commands.

Every command and subcommand, its usage, its help, its arguments and every
option with its values, default, environment variable and help text, read
from the same objects that ``smplan --help`` prints. Run ``python -m
smplan.docs`` after changing the CLI; a test fails when the page is stale,
and another when an option has no help text.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import click

PAGE = "reference/cli.md"
# Where each command is explained at length (relative to the CLI page).
GUIDES = {
    "smplan lint": "../guides/linting.md",
    "smplan build": "../guides/building.md",
    "smplan init": "../getting-started.md",
    "smplan explain": "../rules/index.md",
    "smplan rules": "../rules/index.md",
    "smplan rules test": "../guides/custom-rules.md",
    "smplan schema": "../guides/editors.md",
    "smplan track": "../guides/tracking.md",
    "smplan diff": "../guides/plan-diffs.md",
    "smplan baseline": "../guides/baselines.md",
    "smplan baseline create": "../guides/baselines.md",
    "smplan baseline prune": "../guides/baselines.md",
}


def commands(
    root: click.Command | None = None,
) -> Iterator[tuple[click.Context, click.Command]]:
    """Every command under ``smplan``, depth first, each with its context."""
    if root is None:
        from smplan.cli import main

        root = main
    yield from _walk(root, click.Context(root, info_name="smplan"))


def _walk(
    command: click.Command, ctx: click.Context
) -> Iterator[tuple[click.Context, click.Command]]:
    yield ctx, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            sub = command.commands[name]
            yield from _walk(sub, click.Context(sub, info_name=name, parent=ctx))


def options_without_help(root: click.Command | None = None) -> list[str]:
    """``smplan lint --color`` for every option that has no help text."""
    missing = []
    for ctx, command in commands(root):
        for param in command.params:
            if isinstance(param, click.Option) and not (param.help or "").strip():
                missing.append(f"{ctx.command_path} {_longest(param)}")
    return missing


def cli_page(root: click.Command | None = None) -> dict[str, str]:
    """Path under ``docs/`` -> Markdown of the CLI reference."""
    lines = [
        "# Command-line reference",
        "",
        "<!-- Generated from the click commands by `python -m smplan.docs`; "
        "do not edit by hand. -->",
        "",
        "Every command and option of `smplan`, as `smplan COMMAND --help` prints "
        "them. `python -m smplan` works the same as `smplan`.",
        "",
        "Exit codes, for every command: **0** success (no finding at or above "
        "`--fail-on`), **1** findings at or above it (or, for `build`, errors that "
        "stopped the build; for `rules test`, a failing example; for `track "
        "--fail-on-off-track`, a KPI off track), **2** a usage or I/O error (bad "
        "option, missing or unreadable file, broken config), printed on stderr "
        "as one line starting `smplan: error:`, **3** an internal error (a crash of "
        "smplan, a rule or a plugin: never 1, so a crash is not mistaken for findings).",
        "",
        "| Command | What it does |",
        "| --- | --- |",
    ]
    for ctx, command in commands(root):
        lines.append(f"| [`{ctx.command_path}`](#{_anchor(ctx)}) | {_cell(_summary(command))} |")
    lines.append("")
    for ctx, command in commands(root):
        lines += _command(ctx, command)
    text = "\n".join(lines).rstrip("\n") + "\n"
    return {PAGE: text}


def _command(ctx: click.Context, command: click.Command) -> list[str]:
    path = ctx.command_path
    usage = " ".join([path, *command.collect_usage_pieces(ctx)])
    lines = [f"## `{path}` {{#{_anchor(ctx)}}}", "", "```text", f"Usage: {usage}", "```", ""]
    lines += [_help(command), ""]
    guide = GUIDES.get(path)
    if guide:
        lines += [f"More: [{_guide_title(guide)}]({guide}).", ""]
    if isinstance(command, click.Group) and command.commands:
        lines += ["Subcommands:", ""]
        for name in sorted(command.commands):
            sub_ctx = click.Context(command.commands[name], info_name=name, parent=ctx)
            lines.append(
                f"- [`{sub_ctx.command_path}`](#{_anchor(sub_ctx)}): "
                f"{_summary(command.commands[name])}"
            )
        lines.append("")
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    if arguments:
        lines += ["| Argument | Required | Takes |", "| --- | --- | --- |"]
        for argument in arguments:
            many = "any number" if argument.nargs == -1 else "one value"
            value = _declared_default(argument)
            default = f" (default `{value}`)" if value is not None else ""
            lines.append(
                f"| `{_argument_name(argument)}` | {'yes' if argument.required else 'no'} "
                f"| {many}{default} |"
            )
        lines.append("")
    options = [p for p in command.params if isinstance(p, click.Option)]
    lines += ["| Option | Value | Default | What it does |", "| --- | --- | --- | --- |"]
    for option in options:
        lines.append(
            f"| {_names(option)} | {_value(option)} | {_default(option)} "
            f"| {_cell(_option_help(option))} |"
        )
    lines += [
        "| `-h`, `--help` | | | Show the help and exit. |",
        "",
    ]
    return lines


def _help(command: click.Command) -> str:
    text = inspect.cleandoc(command.help or "")
    return text.replace("\b\n", "")


def _summary(command: click.Command) -> str:
    return _help(command).split("\n\n")[0].replace("\n", " ")


def _guide_title(link: str) -> str:
    titles = {
        "../guides/linting.md": "Linting plans",
        "../guides/building.md": "Building documents",
        "../getting-started.md": "Getting started",
        "../rules/index.md": "Rules",
        "../guides/custom-rules.md": "Custom rules and plugins",
        "../guides/editors.md": "Editor set-up",
        "../guides/tracking.md": "Tracking results",
        "../guides/plan-diffs.md": "Plan diffs in review",
        "../guides/baselines.md": "Baselines and --diff-base",
    }
    return titles[link]


def _anchor(ctx: click.Context) -> str:
    return ctx.command_path.replace(" ", "-")


def _argument_name(argument: click.Argument) -> str:
    name = (argument.metavar or argument.name or "").upper()
    return f"{name}..." if argument.nargs == -1 else name


def _longest(option: click.Option) -> str:
    return max(option.opts, key=len)


def _names(option: click.Option) -> str:
    names = sorted(option.opts, key=len) + list(option.secondary_opts)
    return ", ".join(f"`{name}`" for name in names)


def _value(option: click.Option) -> str:
    if option.is_flag:
        return "flag"
    kind = option.type
    if isinstance(kind, click.Choice):
        return " \\| ".join(f"`{choice}`" for choice in kind.choices)
    if option.metavar:
        value = f"`{option.metavar}`"
    elif isinstance(kind, click.Path):
        value = "`DIR`" if not kind.file_okay else "`PATH`"
    elif isinstance(kind, click.IntRange):
        low = "" if kind.min is None else f", at least {kind.min}"
        value = f"whole number{low}"
    else:
        value = f"`{kind.name.upper()}`"
    if option.multiple:
        value += " (repeatable)"
    return value


def _default(option: click.Option) -> str:
    default = _declared_default(option)
    if option.is_flag or default is None or default == () or callable(default):
        return ""
    return f"`{default}`"


def _declared_default(param: click.Parameter) -> object:
    """The default a parameter declares, None for none (click 8.3 says ``Sentinel.UNSET``)."""
    return param.to_info_dict()["default"]


def _option_help(option: click.Option) -> str:
    text = (option.help or "").strip()  # a test requires help on every option
    if option.envvar:
        names = [option.envvar] if isinstance(option.envvar, str) else list(option.envvar)
        text += f" Environment: {', '.join(f'`{name}`' for name in names)}."
    return text.strip()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
