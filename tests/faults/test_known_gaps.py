"""Gaps in crash recovery found by the SIGKILL campaign, each pinned by one deterministic kill.

Each test states what RELIABILITY.md promises and is marked xfail(strict=True) while glmplan
does not yet keep the promise: the day it does, the test passes and the marker must go.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import KEY, Zygote, journal_of, our_temp_files, populate, unreferenced_backups

SETUP = ("setup", "--plan", "pro", "--yes", "--api-key-stdin", "claude-code")
RESTORE = ("restore", "--all", "--yes")


def _setup(zygote: Zygote, home: Path, **kill: object) -> bool:
    outcome, _ = zygote.run(home, *SETUP, stdin=KEY + "\n", **kill)  # type: ignore[arg-type]
    assert outcome.killed or outcome.code == 0, outcome.err
    return outcome.killed


@pytest.mark.xfail(
    strict=True,
    reason="RELIABILITY 3: restore settles the pending entry but never sweeps the file's directory",
)
def test_temp_file_orphaned_before_replace_is_swept_by_restore(
    zygote: Zygote, isolated_home: Path
) -> None:
    populate(isolated_home, ("claude-code",))
    assert _setup(zygote, isolated_home, kill_on=("replace", "settings.json", 1))
    assert our_temp_files(isolated_home) != []  # the kill left one beside settings.json
    outcome, _ = zygote.run(isolated_home, *RESTORE)
    assert outcome.code == 0, outcome.err
    assert our_temp_files(isolated_home) == []


@pytest.mark.xfail(
    strict=True,
    reason="RELIABILITY 16: apply_run returns early when nothing changed, before recover()",
)
def test_pending_entry_is_settled_by_a_setup_with_nothing_to_write(
    zygote: Zygote, isolated_home: Path
) -> None:
    populate(isolated_home, ("claude-code",))
    # Killed after the last file was written, before the journal said "done".
    outcome, _ = zygote.run(isolated_home, *SETUP, stdin=KEY + "\n", count=True)
    assert outcome.code == 0
    zygote.run(isolated_home, *RESTORE)
    assert _setup(zygote, isolated_home, kill_on=("replace", "journal.json", 4))
    assert any(e.state == "pending" for e in journal_of(isolated_home).entries)
    assert not _setup(zygote, isolated_home)
    assert [e.state for e in journal_of(isolated_home).entries] == ["done", "done"]


@pytest.mark.xfail(
    strict=True,
    reason="RELIABILITY 16: a backup made just before a kill is named by no journal entry and "
    "is never removed (it is a 0600 copy of the user's file, possibly holding an old key)",
)
def test_backup_made_just_before_a_kill_is_cleaned_up(zygote: Zygote, isolated_home: Path) -> None:
    populate(isolated_home, ("claude-code",))
    assert _setup(zygote, isolated_home, kill_on=("replace", "journal.json", 1))
    assert not _setup(zygote, isolated_home)
    outcome, _ = zygote.run(isolated_home, *RESTORE)
    assert outcome.code == 0, outcome.err
    assert unreferenced_backups(isolated_home) == []


@pytest.mark.xfail(
    strict=True,
    reason="RELIABILITY 13: restore removes a created directory only with the entry that "
    "created it; a file added to it by a later run keeps it non-empty at that moment",
)
def test_directories_created_across_two_runs_are_removed(
    zygote: Zygote, isolated_home: Path
) -> None:
    base = ("setup", "cline", "--plan", "pro", "--yes", "--api-key-stdin")
    first, _ = zygote.run(isolated_home, *base, "--no-mcp", stdin=KEY + "\n")
    second, _ = zygote.run(isolated_home, *base, "--mcp", stdin=KEY + "\n")
    assert first.code == second.code == 0
    assert (isolated_home / ".cline" / "data" / "settings" / "cline_mcp_settings.json").exists()
    outcome, _ = zygote.run(isolated_home, *RESTORE)
    assert outcome.code == 0, outcome.err
    assert not (isolated_home / ".cline").exists()
