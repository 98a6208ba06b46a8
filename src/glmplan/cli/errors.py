"""The one error boundary: expected errors → message and exit 1/2; anything else → crash log, 3."""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from glmplan.errors import GlmplanError
from glmplan.secrets import redact

# Secrets the process holds (the API key once read); every message and crash log is redacted.
_KNOWN_SECRETS: list[str] = []


def register_secret(value: str) -> None:
    if value and value not in _KNOWN_SECRETS:
        _KNOWN_SECRETS.append(value)


def scrub(text: str) -> str:
    return redact(text, _KNOWN_SECRETS)


def _env_secret() -> None:
    key = os.environ.get("ZAI_API_KEY")
    if key:
        register_secret(key)


def run_guarded(body: Callable[[], Any]) -> int:
    _env_secret()
    try:
        result = body()
    except GlmplanError as exc:
        click.echo(f"glmplan: {scrub(str(exc))}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        exc.show()  # usage text names options only; the key never reaches argv
        return 2
    except click.ClickException as exc:
        click.echo(f"glmplan: {scrub(exc.format_message())}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except Exception as exc:  # the boundary: every other error becomes a crash log, exit 3
        summary = f"glmplan: unexpected error: {type(exc).__name__}: {exc}"
        try:
            where = f"A crash log was written to {write_crash_log(exc)}."
        except OSError as log_exc:  # even the log cannot be written: say so, never a raw traceback
            where = f"No crash log could be written ({log_exc.strerror or log_exc})."
        click.echo(scrub(f"{summary}\n{where} Please attach it to a bug report."), err=True)
        return 3
    return result if isinstance(result, int) else 0


def write_crash_log(exc: BaseException) -> Path:
    from glmplan.paths import Paths

    crash_dir = Paths.from_env().crash_dir
    crash_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = crash_dir / f"crash-{stamp}.log"
    text = "".join(traceback.format_exception(exc))
    body = f"glmplan crash {stamp}\nargv: {scrub(' '.join(sys.argv))}\n\n{scrub(text)}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(body)
    return path
