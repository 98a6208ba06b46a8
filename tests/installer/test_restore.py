"""restore: items 13 (exact when untouched) and 14 (safe after outside edits), force, dry run."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from glmplan.installer.journal import JournalError, load
from glmplan.installer.restore import restore
from glmplan.paths import Paths

from .helpers import KEY, USER_SETTINGS, claude_spec, mcp_spec, setup, snapshot


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def settings(isolated_home: Path) -> Path:
    path = isolated_home / ".claude" / "settings.json"
    path.parent.mkdir()
    path.write_text(USER_SETTINGS)
    path.chmod(0o644)
    return path


def test_nothing_to_restore_creates_nothing(paths: Paths) -> None:
    for dry_run in (True, False):
        result = restore(paths, None, force=False, dry_run=dry_run)
        assert result.files == () and result.exit_code == 0
    assert not paths.state_dir.exists()


def test_untouched_file_restored_exactly(paths: Paths, settings: Path) -> None:
    original = settings.read_bytes()
    setup(paths, {"claude-code": [claude_spec(settings)]})
    setup(paths, {"claude-code": [claude_spec(settings, model="glm-4.6")]})  # two runs
    result = restore(paths, ["claude-code"], force=False, dry_run=False)
    assert [(f.action, f.tool) for f in result.files] == [("restored", "claude-code")]
    assert settings.read_bytes() == original and mode_of(settings) == 0o644
    assert result.exit_code == 0
    assert load(paths).entries == () and list(paths.backup_dir.iterdir()) == []


def test_created_file_and_dirs_removed(paths: Paths, isolated_home: Path) -> None:
    created = isolated_home / ".config" / "tool" / "sub" / "mcp.json"
    neighbour = isolated_home / ".config" / "other.txt"
    setup(paths, {"cline": [mcp_spec(created)]})
    neighbour.write_text("user file")
    result = restore(paths, None, force=False, dry_run=False)
    assert [f.action for f in result.files] == ["removed"]
    assert not (isolated_home / ".config" / "tool").exists()
    assert neighbour.read_text() == "user file"


def test_user_edit_of_another_key_is_kept(paths: Paths, settings: Path) -> None:
    setup(paths, {"claude-code": [claude_spec(settings)]})
    settings.write_text(settings.read_text().replace('"vim"', '"nano"'))
    result = restore(paths, None, force=False, dry_run=False)
    assert [f.action for f in result.files] == ["reverted-keys"] and result.exit_code == 0
    assert settings.read_text() == USER_SETTINGS.replace('"vim"', '"nano"')
    assert load(paths).entries == ()


def test_user_edit_of_our_key_is_a_conflict(paths: Paths, settings: Path) -> None:
    setup(paths, {"claude-code": [claude_spec(settings)]})
    settings.write_text(settings.read_text().replace('"GLM-4.5"', '"my-model"'))
    result = restore(paths, None, force=False, dry_run=False)
    (file_result,) = result.files
    assert file_result.action == "conflict" and result.exit_code == 1
    assert "kept env.ANTHROPIC_MODEL: changed since glmplan set it" in file_result.details
    assert "reverted env.ANTHROPIC_AUTH_TOKEN" in file_result.details
    text = settings.read_text()
    assert '"ANTHROPIC_MODEL": "my-model"' in text and KEY not in text
    assert '"EDITOR": "vim"' in text
    (entry,) = load(paths).entries  # the conflict stays recorded
    assert [c.path for c in entry.changes] == [("env", "ANTHROPIC_MODEL")]
    again = restore(paths, None, force=False, dry_run=False)
    assert again.files[0].action == "conflict" and settings.read_text() == text


def test_created_parent_removed_when_empty(paths: Paths, isolated_home: Path) -> None:
    target = isolated_home / ".claude.json"
    target.write_text('{\n  "numStartups": 3\n}\n')
    setup(paths, {"claude-code": [mcp_spec(target)]})
    target.write_text(target.read_text().replace("3", "4"))
    restore(paths, None, force=False, dry_run=False)
    assert target.read_text() == '{\n  "numStartups": 4\n}\n'


def test_unparseable_file_left_alone_unless_forced(paths: Paths, settings: Path) -> None:
    setup(paths, {"claude-code": [claude_spec(settings)]})
    broken = settings.read_text() + "}}"
    settings.write_text(broken)
    result = restore(paths, None, force=False, dry_run=False)
    assert result.files[0].action == "conflict" and result.exit_code == 1
    assert "no longer parses" in result.files[0].details[0]
    assert settings.read_text() == broken
    forced = restore(paths, None, force=True, dry_run=False)
    assert forced.files[0].action == "restored" and forced.exit_code == 0
    assert settings.read_text() == USER_SETTINGS
    conflict = settings.with_name("settings.json.glmplan-conflict")
    assert conflict.read_text() == broken and mode_of(conflict) == 0o600
    assert load(paths).entries == ()


def test_forced_restore_over_conflicting_key(paths: Paths, settings: Path) -> None:
    setup(paths, {"claude-code": [claude_spec(settings)]})
    edited = settings.read_text().replace('"GLM-4.5"', '"mine"')
    settings.write_text(edited)
    result = restore(paths, None, force=True, dry_run=False)
    assert result.files[0].action == "restored" and settings.read_text() == USER_SETTINGS
    assert settings.with_name("settings.json.glmplan-conflict").read_text() == edited


def test_missing_file_reported_not_recreated(paths: Paths, settings: Path) -> None:
    setup(paths, {"claude-code": [claude_spec(settings)]})
    settings.unlink()
    result = restore(paths, None, force=False, dry_run=False)
    assert result.files[0].action == "missing" and not settings.exists()
    kept = paths.state_dir / "kept" / str(load_backup_name(result.files[0].details))
    assert kept.read_text() == USER_SETTINGS and mode_of(kept) == 0o600
    setup(paths, {"claude-code": [claude_spec(settings)]})  # later runs never sweep it
    assert kept.read_text() == USER_SETTINGS


def load_backup_name(details: tuple[str, ...]) -> str:
    (line,) = [d for d in details if "original is kept at" in d]
    return Path(line.split(" at ", 1)[1]).name


def test_directories_created_across_two_runs_are_removed(paths: Paths, isolated_home: Path) -> None:
    first = isolated_home / ".cline" / "data" / "settings" / "a.json"
    second = first.with_name("b.json")
    setup(paths, {"cline": [mcp_spec(first)]})
    setup(paths, {"cline": [mcp_spec(second)]})  # its directory already existed
    result = restore(paths, None, force=False, dry_run=False)
    assert [f.action for f in result.files] == ["removed", "removed"]
    assert not (isolated_home / ".cline").exists()


def test_restore_sweeps_our_orphaned_temp_file(paths: Paths, settings: Path) -> None:
    setup(paths, {"claude-code": [claude_spec(settings)]})
    orphan = settings.with_name(".settings.json.999999999-0123456789ab.glmplan.tmp")
    orphan.write_text("half")
    restore(paths, None, force=False, dry_run=False)
    assert not orphan.exists()


def test_dry_run_changes_nothing(paths: Paths, settings: Path, isolated_home: Path) -> None:
    setup(paths, {"claude-code": [claude_spec(settings)]})
    settings.write_text(settings.read_text().replace('"vim"', '"nano"'))
    before = snapshot(isolated_home)
    result = restore(paths, None, force=False, dry_run=True)
    assert [f.action for f in result.files] == ["reverted-keys"] and result.dry_run
    assert snapshot(isolated_home) == before


def test_restore_selects_tools(paths: Paths, settings: Path, isolated_home: Path) -> None:
    other = isolated_home / ".cline" / "mcp.json"
    setup(paths, {"claude-code": [claude_spec(settings)], "cline": [mcp_spec(other)]})
    result = restore(paths, ["cline"], force=False, dry_run=False)
    assert [(f.tool, f.action) for f in result.files] == [("cline", "removed")]
    assert KEY in settings.read_text()
    assert [e.tool for e in load(paths).entries] == ["claude-code"]


def test_shared_file_restore_one_tool_keeps_the_other(paths: Paths, isolated_home: Path) -> None:
    shared = isolated_home / "shared.json"
    shared.write_text("{}\n")
    setup(paths, {"claude-code": [claude_spec(shared)]})
    setup(paths, {"cline": [mcp_spec(shared)]})  # a second run, as JSON: one entry, two tools
    assert load(paths).entries[0].tools == ("claude-code", "cline")
    result = restore(paths, ["cline"], force=False, dry_run=False)
    assert [f.action for f in result.files] == ["reverted-keys"]
    text = shared.read_text()
    assert "mcpServers" not in text and KEY in text
    assert restore(paths, None, force=False, dry_run=False).files[0].action == "restored"
    assert shared.read_text() == "{}\n"


def test_user_edits_between_runs_survive_restore(paths: Paths, settings: Path) -> None:
    setup(paths, {"claude-code": [claude_spec(settings)]})
    settings.write_text(settings.read_text().replace('"vim"', '"emacs"'))
    setup(paths, {"claude-code": [claude_spec(settings, model="glm-4.6")]})
    result = restore(paths, None, force=False, dry_run=False)
    assert result.files[0].action == "reverted-keys"
    assert settings.read_text() == USER_SETTINGS.replace('"vim"', '"emacs"')


def test_user_value_overwritten_by_rerun_comes_back(paths: Paths, settings: Path) -> None:
    setup(paths, {"claude-code": [claude_spec(settings)]})
    settings.write_text(settings.read_text().replace('"GLM-4.5"', '"theirs"'))
    setup(paths, {"claude-code": [claude_spec(settings)]})  # glmplan sets GLM-4.5 again
    restore(paths, None, force=False, dry_run=False)
    text = settings.read_text()
    assert '"ANTHROPIC_MODEL": "theirs"' in text and KEY not in text


def test_corrupt_journal_is_a_clear_error_and_kept(paths: Paths, settings: Path) -> None:
    setup(paths, {"claude-code": [claude_spec(settings)]})
    paths.journal_file.write_text('{"version": 1, "entries": [')
    with pytest.raises(JournalError, match=r"damaged.*Move the file aside"):
        restore(paths, None, force=False, dry_run=False)
    assert paths.journal_file.read_text() == '{"version": 1, "entries": ['


def test_created_parent_kept_when_user_added_into_it(paths: Paths, isolated_home: Path) -> None:
    target = isolated_home / ".claude.json"
    target.write_text("{}\n")
    setup(paths, {"claude-code": [mcp_spec(target)]})
    text = target.read_text().replace('"mcpServers": {', '"mcpServers": {\n    "mine": {},', 1)
    target.write_text(text)
    restore(paths, None, force=False, dry_run=False)
    assert json.loads(target.read_text()) == {"mcpServers": {"mine": {}}}
