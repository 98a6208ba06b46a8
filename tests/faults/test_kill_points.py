"""Crash-recovery cases the SIGKILL campaign found, each replayed with one deterministic kill.

Each was a gap when found (orphan temp and backup files, a pending entry a no-op setup never
settled, created directories left behind, the stored key's temp file) and is closed now; these
replays keep it closed.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from glmplan.errors import GlmplanError
from glmplan.installer import store
from glmplan.installer.edits import FileSpec, Format, Set
from glmplan.installer.engine import apply_run, plan_run
from glmplan.installer.restore import restore
from glmplan.paths import Paths

from .harness import KEY, Zygote, journal_of, our_temp_files, populate, unreferenced_backups

SETUP = ("setup", "--plan", "pro", "--yes", "--api-key-stdin", "claude-code")
RESTORE = ("restore", "--all", "--yes")


def _setup(zygote: Zygote, home: Path, **kill: object) -> bool:
    outcome, _ = zygote.run(home, *SETUP, stdin=KEY + "\n", **kill)  # type: ignore[arg-type]
    assert outcome.killed or outcome.code == 0, outcome.err
    return outcome.killed


def test_temp_file_orphaned_before_replace_is_swept_by_restore(
    zygote: Zygote, isolated_home: Path
) -> None:
    populate(isolated_home, ("claude-code",))
    assert _setup(zygote, isolated_home, kill_on=("replace", "settings.json", 1))
    assert our_temp_files(isolated_home) != []  # the kill left one beside settings.json
    outcome, _ = zygote.run(isolated_home, *RESTORE)
    assert outcome.code == 0, outcome.err
    assert our_temp_files(isolated_home) == []


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


def test_backup_made_just_before_a_kill_is_cleaned_up(zygote: Zygote, isolated_home: Path) -> None:
    populate(isolated_home, ("claude-code",))
    assert _setup(zygote, isolated_home, kill_on=("replace", "journal.json", 1))
    assert not _setup(zygote, isolated_home)
    outcome, _ = zygote.run(isolated_home, *RESTORE)
    assert outcome.code == 0, outcome.err
    assert unreferenced_backups(isolated_home) == []


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


def test_backup_left_by_a_failed_directory_fsync_goes_with_the_next_run(
    isolated_home: Path, paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(isolated_home, ("claude-code",))
    settings = isolated_home / ".claude" / "settings.json"
    spec = FileSpec(settings, Format.JSONC, (Set(("env", "X"), "1"),), purpose="settings")

    def failing(directory: Path) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(store, "fsync_dir", failing)
    with pytest.raises((GlmplanError, OSError)):
        apply_run(plan_run({"claude-code": [spec]}, paths), paths)
    monkeypatch.undo()
    # If the backup outlived the failed run (its name was never returned to the engine), the next
    # run (here a restore with nothing to restore) removes it as named by no journal entry.
    restore(paths, None, force=False, dry_run=False)
    assert unreferenced_backups(isolated_home) == []


def test_temp_file_of_the_stored_key_is_swept_by_the_next_setup(
    zygote: Zygote, isolated_home: Path, paths: Paths
) -> None:
    """Killed while storing the key: the temp file holds it (0600) until the next setup."""
    assert _setup(zygote, isolated_home, kill_on=("replace", "credentials.toml", 1))
    (temp,) = our_temp_files(isolated_home)
    assert temp.parent == paths.config_dir and KEY.encode() in temp.read_bytes()
    assert temp.stat().st_mode & 0o777 == 0o600
    assert not _setup(zygote, isolated_home)
    assert our_temp_files(isolated_home) == []


def test_directory_removed_by_settling_a_killed_run_is_made_again(
    zygote: Zygote, isolated_home: Path
) -> None:
    """Killed before its first rename in an empty HOME: `.claude/` exists, holding only our temp
    file. The next setup plans against that directory; settling the killed run under the lock
    sweeps the temp file and removes the now-empty directory, which the write must recreate
    (and record as created, so restore removes it again)."""
    assert _setup(zygote, isolated_home, kill_on=("replace", "settings.json", 1))
    assert (isolated_home / ".claude").is_dir()
    assert not _setup(zygote, isolated_home)
    assert (isolated_home / ".claude" / "settings.json").is_file()
    outcome, _ = zygote.run(isolated_home, *RESTORE)
    assert outcome.code == 0, outcome.err
    assert not (isolated_home / ".claude").exists()
