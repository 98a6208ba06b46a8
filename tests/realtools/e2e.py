"""Steps shared by the end-to-end tests: glmplan setup/restore around a real tool run."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from tests.realtools.harness import FAKE_KEY
from tests.support.cli import CliRun, run_glmplan
from tests.support.model_server import ModelServer, RecordedRequest

Snapshot = dict[Path, bytes | None]


def require_profile(module: str) -> None:
    """Skip when glmplan has no profile module for the tool yet."""
    if importlib.util.find_spec(f"glmplan.tool_profiles.{module}") is None:
        pytest.skip("profile not implemented yet")


def glmplan_setup(tool: str, server: ModelServer, env: Mapping[str, str], *extra: str) -> CliRun:
    argv = ["setup", tool, "--api-base", server.base, "--plan", "pro", "--api-key-stdin", "--yes"]
    run = run_glmplan(*argv, *extra, stdin=FAKE_KEY + "\n", env=env)
    assert run.code == 0, f"setup failed:\n{run.out}\n{run.err}"
    assert_no_key(run)
    return run


def glmplan_restore(tool: str, env: Mapping[str, str]) -> CliRun:
    run = run_glmplan("restore", tool, "--yes", env=env)
    assert_no_key(run)
    return run


def assert_no_key(run: CliRun) -> None:
    assert FAKE_KEY not in run.out
    assert FAKE_KEY not in run.err


def snapshot(paths: Iterable[Path]) -> Snapshot:
    return {path: path.read_bytes() if path.exists() else None for path in paths}


def changed(before: Snapshot) -> list[str]:
    """The snapshotted files whose bytes (or existence) differ now."""
    now = snapshot(before)
    return [str(path) for path in before if now[path] != before[path]]


def files_with_key(home: Path) -> list[str]:
    """Files under `home` that still hold the key, except glmplan's own (it keeps the key)."""
    own = (home / ".config" / "glmplan", home / ".local" / "state" / "glmplan")
    skip = {".npm", "node_modules"}
    found = []
    for path in sorted(home.rglob("*")):
        if not path.is_file() or skip & set(path.parts) or any(d in path.parents for d in own):
            continue
        if FAKE_KEY.encode() in path.read_bytes():
            found.append(str(path.relative_to(home)))
    return found


def load_json(path: Path) -> object:
    return json.loads(path.read_text())


def chat_calls(server: ModelServer, kind: str) -> list[RecordedRequest]:
    calls = server.chat_calls()
    assert calls, f"the tool never called the model; requests: {[r.path for r in server.requests]}"
    assert {call.kind for call in calls} == {kind}, [call.path for call in calls]
    return calls


def assert_plan_calls(calls: list[RecordedRequest], route: str, models: set[str]) -> None:
    """Every call went to `route` with the fake key as Bearer; `models` is what they asked for."""
    for call in calls:
        assert call.route == route, call.path
        assert call.bearer == FAKE_KEY, call.headers
        assert "x-api-key" not in call.headers
    assert {call.model for call in calls} == models
