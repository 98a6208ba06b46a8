"""Run the real `glmplan` CLI in a subprocess with the test's isolated environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class CliRun:
    code: int
    out: str
    err: str


def run_glmplan(
    *args: str, stdin: str = "", env: Mapping[str, str] | None = None, timeout: float = 60
) -> CliRun:
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "glmplan", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )
    return CliRun(proc.returncode, proc.stdout, proc.stderr)
