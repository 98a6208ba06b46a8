"""The one renderer: a command returns a `Result`; this prints it as text or as one JSON document.

Every string that reaches stdout/stderr passes through the secret scrubber.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from typing import Any, Protocol

import click

from glmplan.cli.errors import scrub


class Result(Protocol):
    """What commands return."""

    @property
    def exit_code(self) -> int: ...

    def to_json(self) -> Mapping[str, Any]: ...

    def to_text(self, color: bool) -> str: ...


def use_color() -> bool:
    return "NO_COLOR" not in os.environ and sys.stdout.isatty()


def render(result: Result, as_json: bool) -> int:
    if as_json:
        click.echo(scrub(json.dumps(result.to_json(), indent=2, ensure_ascii=False)))
    else:
        text = result.to_text(use_color())
        if text:
            click.echo(scrub(text), color=use_color())
    return result.exit_code


def style(text: str, color: bool, **kwargs: Any) -> str:
    return click.style(text, **kwargs) if color else text


def progress(message: str) -> None:
    """Progress and notes go to stderr (stdout is for requested output)."""
    click.echo(scrub(message), err=True)
