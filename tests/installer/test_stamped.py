"""Stamped leaves: values the tool itself rewrites (a timestamp) are glmplan's to undo, never a
user conflict, and never left behind as a stub of an object glmplan created."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from glmplan.installer import journal as jmod
from glmplan.installer.edits import Edit, FileSpec, Format, JSONValue, Set
from glmplan.installer.journal import load
from glmplan.installer.restore import restore
from glmplan.paths import Paths

from .helpers import KEY, all_bytes_under, setup

STAMP = "2026-01-02T03:04:05.000Z"
# A tool's own file, in its own 2-space format, with another provider the user set up.
USER_FILE = """{
  "lastUsed": "anthropic",
  "providers": {
    "anthropic": {
      "settings": {
        "apiKey": "sk-ant-not-real"
      },
      "updatedAt": "2025-12-31T00:00:00.000Z"
    }
  }
}
"""


def spec(path: Path, *, model: str = "glm-4.5", stamp: str = STAMP) -> FileSpec:
    settings: dict[str, JSONValue] = {"apiKey": KEY, "model": model}
    edits: tuple[Edit, ...] = (
        Set(("lastUsed",), "zai"),
        Set(("providers", "zai", "settings"), settings, secret=True),
        Set(("providers", "zai", "updatedAt"), stamp, stamped=True),
    )
    return FileSpec(path, Format.JSON, edits, holds_secret=True, purpose="providers")


def tool_run(path: Path, *, stamp: str = "2026-06-06T06:06:06.666Z", **changes: Any) -> None:
    """What the tool does on every run: re-serialise the file and stamp the provider it used."""
    doc = json.loads(path.read_text())
    doc["providers"]["zai"]["updatedAt"] = stamp
    doc.update(changes)
    path.write_text(json.dumps(doc, indent=2) + "\n")


def restore_all(paths: Paths) -> tuple[list[str], int, tuple[str, ...]]:
    result = restore(paths, None, force=False, dry_run=False)
    return [f.action for f in result.files], result.exit_code, result.files[0].details


@pytest.fixture
def providers(isolated_home: Path) -> Path:
    path = isolated_home / ".tool" / "providers.json"
    path.parent.mkdir()
    path.write_text(USER_FILE)
    return path


def test_restore_after_the_tool_restamps_leaves_no_stub(paths: Paths, providers: Path) -> None:
    setup(paths, {"cline": [spec(providers)]})
    tool_run(providers)
    actions, code, details = restore_all(paths)
    assert (actions, code) == (["reverted-keys"], 0)
    assert "reverted providers.zai.updatedAt" in details
    assert not any(d.startswith("kept") for d in details)
    assert json.loads(providers.read_text()) == json.loads(USER_FILE)
    assert KEY not in providers.read_text() and load(paths).entries == ()


def test_untouched_restore_is_byte_exact(paths: Paths, providers: Path) -> None:
    setup(paths, {"cline": [spec(providers)]})
    actions, code, _ = restore_all(paths)
    assert (actions, code) == (["restored"], 0)
    assert providers.read_text() == USER_FILE


def test_created_file_is_removed_after_a_restamp(paths: Paths, isolated_home: Path) -> None:
    path = isolated_home / ".tool" / "new" / "providers.json"
    setup(paths, {"cline": [spec(path)]})
    tool_run(path)
    actions, code, _ = restore_all(paths)
    assert (actions, code) == (["removed"], 0)
    assert not (isolated_home / ".tool").exists()
    assert KEY.encode() not in all_bytes_under(isolated_home)


def test_user_edits_of_other_keys_survive(paths: Paths, providers: Path) -> None:
    setup(paths, {"cline": [spec(providers)]})
    tool_run(providers, theme="dark")
    actions, code, _ = restore_all(paths)
    assert (actions, code) == (["reverted-keys"], 0)
    assert json.loads(providers.read_text()) == {**json.loads(USER_FILE), "theme": "dark"}


def test_a_real_conflict_is_still_reported_but_never_the_stamp(
    paths: Paths, providers: Path
) -> None:
    setup(paths, {"cline": [spec(providers)]})
    tool_run(providers)
    doc = json.loads(providers.read_text())
    doc["providers"]["zai"]["settings"]["model"] = "glm-4.7"  # as `cline --model` persists it
    providers.write_text(json.dumps(doc, indent=2))
    actions, code, details = restore_all(paths)
    assert (actions, code) == (["conflict"], 1)
    assert [d for d in details if d.startswith("kept")] == [
        "kept providers.zai.settings.model: changed since glmplan set it"
    ]
    (entry,) = load(paths).entries
    assert [c.path for c in entry.changes] == [("providers", "zai", "settings", "model")]
    assert KEY not in providers.read_text()


def test_a_stamp_that_existed_before_gets_its_old_value(paths: Paths, providers: Path) -> None:
    original = USER_FILE.replace('"anthropic": {', '"zai": {', 1)  # the user's own zai entry
    providers.write_text(original)
    setup(paths, {"cline": [spec(providers)]})
    tool_run(providers)
    actions, code, _ = restore_all(paths)
    assert (actions, code) == (["reverted-keys"], 0)
    assert json.loads(providers.read_text()) == json.loads(original)


def test_a_rerun_after_a_restamp_keeps_the_first_before(paths: Paths, providers: Path) -> None:
    setup(paths, {"cline": [spec(providers)]})
    tool_run(providers)
    setup(paths, {"cline": [spec(providers, model="glm-4.7", stamp="2026-07-07T00:00:00.000Z")]})
    tool_run(providers, stamp="2026-08-08T00:00:00.000Z")
    actions, code, _ = restore_all(paths)
    assert (actions, code) == (["reverted-keys"], 0)
    assert json.loads(providers.read_text()) == json.loads(USER_FILE)


def test_same_stamp_again_is_unchanged(paths: Paths, providers: Path) -> None:
    setup(paths, {"cline": [spec(providers)]})
    tool_run(providers, stamp="2026-09-09T00:00:00.000Z")
    again = setup(paths, {"cline": [spec(providers, stamp="2026-09-09T00:00:00.000Z")]})
    assert [f.action for f in again.files] == ["unchanged"]


def test_a_stamp_whose_object_the_user_removed_is_not_put_back(
    paths: Paths, providers: Path
) -> None:
    setup(paths, {"cline": [spec(providers)]})
    doc = json.loads(providers.read_text())
    del doc["providers"]["zai"]
    providers.write_text(json.dumps(doc, indent=2))
    actions, code, _ = restore_all(paths)
    assert (actions, code) == (["reverted-keys"], 0)
    assert json.loads(providers.read_text()) == json.loads(USER_FILE)


def test_journal_records_stamped_and_reads_old_journals(paths: Paths, providers: Path) -> None:
    setup(paths, {"cline": [spec(providers)]})
    raw = json.loads(paths.journal_file.read_text())
    changes = raw["entries"][0]["changes"]
    assert [c["stamped"] for c in changes] == [False, False, False, True]
    for change in changes:
        del change["stamped"]  # as a journal written before the field existed
    old = jmod.loads(json.dumps(raw).encode(), "j")
    assert not any(c.stamped for c in old.entries[0].changes)
    assert jmod.loads(jmod.dumps(load(paths)), "j") == load(paths)
