"""``portfolio-gen --help``: commands in workflow order, summaries that fit, every option
explained with its default, an example per command, exit codes, and ``--version``."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from portfolio_gen import __version__
from portfolio_gen.cli import WORKFLOW_ORDER, main


def _commands(group: click.Group, prefix: tuple[str, ...] = ()
              ) -> list[tuple[tuple[str, ...], click.Command]]:
    out: list[tuple[tuple[str, ...], click.Command]] = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        out.append(((*prefix, name), command))
        if isinstance(command, click.Group):
            out.extend(_commands(command, (*prefix, name)))
    return out


COMMANDS = _commands(main)


def _help(*args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.output


def test_commands_are_listed_in_workflow_order() -> None:
    text = _help()
    listing = text.split("Commands:", 1)[1]
    names = [m.group(1) for m in re.finditer(r"^  (\w+)  ", listing, re.MULTILINE)]
    present = [n for n in WORKFLOW_ORDER if n in names]
    assert names[:len(present)] == present, names
    assert names[:4] == ["new", "build", "serve", "deploy"] or names[:5] == [
        "new", "add", "build", "serve", "deploy"]
    assert "verify" in names and "cohort" in names


@pytest.mark.parametrize(("path", "command"), COMMANDS,
                         ids=[" ".join(path) for path, _ in COMMANDS])
def test_every_command_has_a_short_summary_help_and_example(
        path: tuple[str, ...], command: click.Command) -> None:
    assert command.short_help, f"{path}: set short_help so the listing is not cut with '…'"
    assert len(command.short_help) <= 60, command.short_help
    parent = _help(*path[:-1])
    assert "..." not in parent.split("Commands:", 1)[1] and "…" not in parent
    text = _help(*path)
    assert f"portfolio-gen {' '.join(path)}" in text, f"{path}: no example in the help"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"{' '.join(path)} {param.opts}: no help text"
            default = param.get_default(click.Context(command), call=False)
            unset = getattr(click.core, "UNSET", None)  # click >= 8.3: "no default"
            if default not in (None, False, (), unset) and not param.is_flag:
                assert param.show_default is not False
                assert f"[default: {default}]" in " ".join(text.split()), (
                    f"{param.opts}: default not shown")


@pytest.mark.parametrize("command", [("verify",), ("build",), ("cohort", "build")])
def test_exit_codes_are_in_the_help(command: tuple[str, ...]) -> None:
    text = _help(*command)
    assert "Exit status:" in text
    for code in ("0", "1", "2"):
        assert re.search(rf"^\s+{code}  \w", text, re.MULTILINE), text


def test_version_lists_supported_formats() -> None:
    from portfolio_gen.verify.ob3.dataintegrity import SUITES
    from portfolio_gen.verify.ob3.jwt import ACCEPTED_ALGS

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"portfolio-gen {__version__}"
    assert "Open Badges 2.0" in result.output and "Verifiable Presentations" in result.output
    for name in [*SUITES, *ACCEPTED_ALGS]:
        assert name in result.output
