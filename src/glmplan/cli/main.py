"""Entry point: a click group whose subcommands are imported only when run (cheap `--help`),
and the one error boundary that maps errors to exit codes and writes crash logs."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

import click

from glmplan import __version__

# name -> (module, attribute, one-line help). Modules are imported only when the command runs,
# so `glmplan --help` never imports textual, watchdog or psutil.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "setup": ("glmplan.cli.setup_cmd", "setup", "Configure coding tools for the GLM Coding Plan."),
    "status": ("glmplan.cli.status_cmd", "status", "Show each tool's detection and configuration."),
    "restore": ("glmplan.cli.restore_cmd", "restore", "Put back every file glmplan touched."),
    "uninstall": (
        "glmplan.cli.restore_cmd",
        "uninstall",
        "Restore everything, then remove glmplan's own config, key and cache.",
    ),
    "usage": ("glmplan.cli.usage_cmd", "usage", "One-shot report of the shared quota."),
    "statusline": (
        "glmplan.cli.usage_cmd",
        "statusline",
        "One short line for Claude Code's statusLine.",
    ),
    "dashboard": ("glmplan.cli.dashboard_cmd", "dashboard", "The live quota dashboard (TUI)."),
    "doctor": ("glmplan.cli.doctor_cmd", "doctor", "Check the setup and explain what is wrong."),
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that subcommand is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _available(name)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None or not _available(cmd_name):
            return None
        module = importlib.import_module(entry[0])
        command = getattr(module, entry[1])
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(name: str) -> bool:
    module = COMMANDS[name][0]
    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="glmplan")
def cli() -> None:
    """Set up every coding tool for Z.ai's GLM Coding Plan, watch the shared 5-hour quota,
    and restore every file glmplan touched.

    \b
    First run (no key, no network):  glmplan dashboard --demo
    Set up the tools you have:        glmplan setup
    """


def main(argv: list[str] | None = None) -> None:
    """Run the CLI inside the one error boundary."""
    from glmplan.cli.errors import run_guarded  # small module; keeps this file about wiring

    code = run_guarded(lambda: _invoke(argv))
    sys.exit(code)


def _invoke(argv: list[str] | None) -> Any:
    return cli.main(args=argv, prog_name="glmplan", standalone_mode=False)
