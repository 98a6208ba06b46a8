"""RELIABILITY 14: setup, outside edits and restore in any order never lose the user's bytes.

Rules: setup (two models), the user edits one of their keys, the user edits one of glmplan's
keys, the tool rewrites the whole file (dropping comments, as tools do), the file is deleted,
restore. Invariants after each restore: every value the user set is still there; glmplan's key
is gone; a file nobody touched since the first setup is back byte for byte (or gone if glmplan
created it); conflicts (non-zero exit) exactly when the user changed a key glmplan last set
to something other than what restore would put back.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from glmplan import formats
from glmplan.installer.edits import Format, KeyPath, Set
from glmplan.installer.journal import load
from glmplan.installer.restore import restore
from glmplan.paths import Paths

from .helpers import KEY, USER_SETTINGS, claude_spec, setup

USER_KEYS: list[KeyPath] = [("env", "EDITOR"), ("ui", "theme"), ("permissions", "mode")]
OUR_KEY: KeyPath = ("env", "ANTHROPIC_MODEL")
user_values = st.text(alphabet="abcxyz-", min_size=1, max_size=6).map(lambda s: f"user-{s}")


class RestoreMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="glmplan-sm-"))
        self.paths = Paths(home=self.root, env={"HOME": str(self.root)})
        self.file = self.root / ".claude" / "settings.json"
        self.file.parent.mkdir()
        self.file.write_text(USER_SETTINGS)
        self.user: dict[KeyPath, str] = {}  # what the user set, expected to survive restore
        self.baseline: bytes | None = None  # the file before the first setup of a cycle
        self.in_cycle = False
        self.touched = False  # someone else wrote the file since the cycle began
        self.our_value: str | None = None  # what glmplan last wrote at OUR_KEY (in a cycle)
        self.our_before: str | None = None  # what restore puts back there (None: absent)

    def teardown(self) -> None:
        shutil.rmtree(self.root)

    def _text(self) -> str:
        return self.file.read_text()

    def _our_key_now(self) -> str | None:
        if not self.file.exists():
            return None
        env = formats.parse(Format.JSONC, self._text(), "t")
        assert isinstance(env, dict)
        value = env.get("env", {}).get(OUR_KEY[1])
        return None if value is None else str(value)

    def _user_set(self, path: KeyPath, value: str) -> None:
        text = formats.apply_edits(Format.JSONC, self._text(), [Set(path, value)], "t")
        self.file.write_text(text)
        if self.in_cycle:
            self.touched = True

    @rule(model=st.sampled_from(["GLM-4.5", "glm-4.6"]))
    def do_setup(self, model: str) -> None:
        before = self.file.read_bytes() if self.file.exists() else None
        current = self._our_key_now()
        setup(self.paths, {"claude-code": [claude_spec(self.file, model=model)]})
        if not self.in_cycle and load(self.paths).entries:
            self.in_cycle, self.baseline, self.touched = True, before, False
        if before is None or current != self.our_value:
            self.our_before = current  # the journal keeps the value glmplan overwrote
        self.our_value = model

    @precondition(lambda self: self.file.exists())
    @rule(index=st.integers(0, len(USER_KEYS) - 1), value=user_values)
    def user_edits_own_key(self, index: int, value: str) -> None:
        self._user_set(USER_KEYS[index], value)
        self.user[USER_KEYS[index]] = value

    @precondition(lambda self: self.file.exists())
    @rule(value=user_values)
    def user_edits_our_key(self, value: str) -> None:
        self._user_set(OUR_KEY, value)
        self.user[OUR_KEY] = value

    @precondition(lambda self: self.file.exists())
    @rule()
    def tool_rewrites_file(self) -> None:
        doc = formats.parse(Format.JSONC, self._text(), "t")
        self.file.write_text(json.dumps(doc, indent=4) + "\n")
        self.touched = self.touched or self.in_cycle

    @precondition(lambda self: self.file.exists())
    @rule()
    def delete_file(self) -> None:
        self.file.unlink()
        self.user.clear()
        self.touched = self.touched or self.in_cycle

    @rule()
    def do_restore(self) -> None:
        now = self._our_key_now()
        conflict = (
            self.in_cycle and self.file.exists() and now not in (self.our_value, self.our_before)
        )
        result = restore(self.paths, None, force=False, dry_run=False)
        assert result.exit_code == (1 if conflict else 0), result
        if self.in_cycle and not self.touched:
            after = self.file.read_bytes() if self.file.exists() else None
            assert after == self.baseline
        if self.file.exists():
            doc = formats.parse(Format.JSONC, self._text(), "t")
            for path, value in self.user.items():
                node: object = doc
                for key in path:
                    assert isinstance(node, dict), (path, doc)
                    node = node[key]
                assert node == value, (path, doc)
            assert KEY not in self._text()
        if not load(self.paths).entries:
            self.in_cycle, self.our_value = False, None

    @invariant()
    def key_never_in_state_dir(self) -> None:
        journal = self.paths.journal_file
        assert not journal.exists() or KEY.encode() not in journal.read_bytes()


RestoreMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=10, deadline=None)
test_restore_state_machine = RestoreMachine.TestCase
