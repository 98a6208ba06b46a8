"""RELIABILITY 14: a hypothesis state machine over setup, user edits (another key, one of our
keys), a tool rewriting its whole file, file deletion, re-setup with other settings and restore,
on the real Claude Code, OpenCode and Goose profiles (engine level, in process).

Invariants: every value a user wrote survives (keys of their own at all times; values they put
into glmplan's keys once restore has run), files nobody but glmplan touched come back byte for
byte with their mode, the journal always loads and no temp file is ever left.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from glmplan import formats
from glmplan.cli.settings import SetupRequest, resolve_settings
from glmplan.cli.setup_cmd import plan_specs
from glmplan.installer.edits import Format, KeyPath, Set
from glmplan.installer.engine import apply_run, plan_run
from glmplan.installer.fs import RealFileView
from glmplan.installer.restore import restore
from glmplan.paths import Paths

from .harness import KEY, format_of, journal_of, our_temp_files, populate

TOOLS = ("claude-code", "opencode", "goose")
MODELS = ("glm-4.5", "glm-4.6", "glm-5")
FileState = tuple[bytes, int] | None
SEEN: Counter[str] = Counter()


def _state(path: Path) -> FileState:
    try:
        return path.read_bytes(), path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return None


class InstallerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        SEEN["examples"] += 1
        self.base = Path(tempfile.mkdtemp(prefix="glmplan-sm-"))
        self.home = self.base / "home"
        self.home.mkdir()
        self.paths = Paths.from_env({"HOME": str(self.home)})
        populate(self.home, TOOLS)
        self.targets: list[Path] = []
        self.original: dict[Path, FileState] = {}
        self.touched: set[Path] = set()
        self.own_values: dict[Path, dict[KeyPath, str]] = {}  # user keys: must always survive
        self.our_key_values: dict[Path, dict[KeyPath, str]] = {}  # back after restore
        self.counter = 0

    def teardown(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)

    # -- helpers ---------------------------------------------------------------------------------
    def _setup(self, model: str) -> None:
        request = SetupRequest("pro", None, None, model, None, None, True, False)
        settings_, _ = resolve_settings(request, self.paths, KEY, {})
        specs = plan_specs(TOOLS, settings_, self.paths, RealFileView(self.paths))
        run = plan_run(specs, self.paths)
        for f in run.files:
            if f.path not in self.original:
                self.targets.append(f.path)
                self.original[f.path] = _state(f.path)
        apply_run(run, self.paths)

    def _fmt(self, path: Path) -> Format:
        return format_of(path.name)

    def _edit(self, path: Path, key: KeyPath, value: str) -> None:
        text = path.read_bytes().decode("utf-8-sig")
        new = formats.apply_edits(self._fmt(path), text, [Set(key, value)], str(path))
        path.write_bytes(new.encode("utf-8"))
        self.touched.add(path)

    def _value(self, path: Path, key: KeyPath) -> object:
        text = path.read_bytes().decode("utf-8-sig")
        return formats.get_value(self._fmt(path), text, key, str(path))

    # -- rules -----------------------------------------------------------------------------------
    @initialize(model=st.sampled_from(MODELS))
    def first_setup(self, model: str) -> None:
        self._setup(model)

    @rule(model=st.sampled_from(MODELS))
    def setup_again(self, model: str) -> None:
        self._setup(model)

    @rule(data=st.data())
    def user_edits_another_key(self, data: st.DataObject) -> None:
        existing = [p for p in self.targets if p.exists()]
        if not existing:
            return
        path = data.draw(st.sampled_from(existing))
        self.counter += 1
        key, value = (f"userKey{self.counter}",), f"mine 😀 {self.counter}"
        self._edit(path, key, value)
        self.own_values.setdefault(path, {})[key] = value
        SEEN["user key added"] += 1

    @rule(data=st.data())
    def user_edits_our_key(self, data: st.DataObject) -> None:
        choices = [
            (Path(e.path), c.path)
            for e in journal_of(self.home).entries
            for c in e.changes
            if not c.secret and c.after_sha256 is not None and Path(e.path).exists()
        ]
        if not choices:
            return
        path, key = data.draw(st.sampled_from(choices))
        SEEN["our key edited by the user"] += 1
        if not isinstance(self._value(path, key), str):
            return  # a user writes a string where glmplan wrote one
        self.counter += 1
        value = f"user choice {self.counter}"
        self._edit(path, key, value)
        self.our_key_values.setdefault(path, {})[key] = value

    @rule(data=st.data())
    def tool_rewrites_its_file(self, data: st.DataObject) -> None:
        jsons = [p for p in self.targets if p.exists() and self._fmt(p) != Format.YAML]
        if not jsons:
            return
        path = data.draw(st.sampled_from(jsons))
        doc = formats.parse(self._fmt(path), path.read_bytes().decode("utf-8-sig"), str(path))
        path.write_text(json.dumps(doc, indent=4, ensure_ascii=False) + "\n", encoding="utf-8")
        SEEN["file rewritten by its tool"] += 1
        self.touched.add(path)

    @rule(data=st.data())
    def user_deletes_a_file(self, data: st.DataObject) -> None:
        existing = [p for p in self.targets if p.exists()]
        if not existing:
            return
        path = data.draw(st.sampled_from(existing))
        path.unlink()
        SEEN["file deleted"] += 1
        self.touched.add(path)
        self.own_values.pop(path, None)
        self.our_key_values.pop(path, None)

    @rule()
    def restore_all(self) -> None:
        restore(self.paths, None, force=False, dry_run=False)
        SEEN["restores"] += 1
        for path, values in self.our_key_values.items():
            for key, value in values.items():
                assert self._value(path, key) == value, (path, key)
        for path in self.targets:
            if path not in self.touched:
                assert _state(path) == self.original[path], path
                SEEN["untouched file restored exactly"] += 1

    # -- invariants ------------------------------------------------------------------------------
    @invariant()
    def users_own_keys_survive(self) -> None:
        for path, values in self.own_values.items():
            for key, value in values.items():
                assert self._value(path, key) == value, (path, key)

    @invariant()
    def journal_loads_and_no_temp_files(self) -> None:
        journal_of(self.home)
        assert our_temp_files(self.home) == []


@pytest.mark.slow
def test_user_bytes_are_never_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    SEEN.clear()
    # Durability is not what this tests (the SIGKILL campaign does): fsync off keeps it fast.
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    run_state_machine_as_test(
        InstallerMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    print(dict(SEEN))
    assert SEEN["untouched file restored exactly"] and SEEN["our key edited by the user"]
