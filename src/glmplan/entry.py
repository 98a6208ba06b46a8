"""The console entry point. `glmplan statusline` takes a fast path that never imports click:
Claude Code runs it every few seconds, so its start-up time is the user's prompt latency."""

from __future__ import annotations

import os
import sys


def main() -> None:
    if sys.argv[1:] == ["statusline"]:
        sys.exit(_statusline())
    from glmplan.cli.main import main as cli_main

    cli_main()


def _statusline() -> int:
    from glmplan.quota import linecache
    from glmplan.quota.claude_stdin import read_claude_input

    read_claude_input(sys.stdin)
    line = linecache.lookup(os.environ)
    if line is not None:  # rendered less than a few seconds ago from the same files
        sys.stdout.write(line + "\n")
        return 0
    from glmplan.quota.statusline import main as render_and_store

    return render_and_store(stdin_read=True)
