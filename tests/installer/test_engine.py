"""plan_run / apply_run on real files: items 8, 11, 12, 17, backups, rollback, masking."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from glmplan.errors import ConflictError, FormatError, GlmplanError, UnsafeFileError
from glmplan.installer.atomic import atomic_write
from glmplan.installer.engine import apply_run, plan_run
from glmplan.installer.journal import configured_files, load
from glmplan.installer.restore import restore
from glmplan.paths import Paths
from glmplan.secrets import mask

from .helpers import KEY, USER_SETTINGS, all_bytes_under, claude_spec, mcp_spec, setup, snapshot


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def settings(isolated_home: Path) -> Path:
    path = isolated_home / ".claude" / "settings.json"
    path.parent.mkdir()
    path.write_text(USER_SETTINGS)
    path.chmod(0o644)
    return path


def test_plan_masks_key_in_diff_and_writes_nothing(
    paths: Paths, settings: Path, isolated_home: Path
) -> None:
    before = snapshot(isolated_home)
    plan = plan_run({"claude-code": [claude_spec(settings)]}, paths)
    (file_plan,) = plan.files
    assert file_plan.action == "modified" and plan.changed
    assert KEY not in file_plan.diff and mask(KEY) in file_plan.diff
    assert '+    "ANTHROPIC_BASE_URL": "https://api.z.ai/api/anthropic",' in file_plan.diff
    assert KEY not in repr(plan)
    assert snapshot(isolated_home) == before  # 17: inode, mtime, bytes unchanged
    assert not paths.state_dir.exists()


def test_malformed_file_aborts_before_anything_is_written(
    paths: Paths, settings: Path, isolated_home: Path
) -> None:
    broken = isolated_home / ".claude.json"
    broken.write_text('{"a": 1,, }')
    before = snapshot(isolated_home)
    with pytest.raises(FormatError) as info:
        plan_run({"claude-code": [claude_spec(settings), mcp_spec(broken)]}, paths)
    assert str(info.value).startswith(f"{broken}:1:")
    assert snapshot(isolated_home) == before
    assert not paths.state_dir.exists()


def test_unsafe_file_aborts_whole_plan(paths: Paths, settings: Path, isolated_home: Path) -> None:
    target = isolated_home / ".claude.json"
    target.write_text("{}")
    os.link(target, isolated_home / "copy.json")
    with pytest.raises(UnsafeFileError, match="hard links"):
        plan_run({"claude-code": [claude_spec(settings), mcp_spec(target)]}, paths)
    assert not paths.state_dir.exists()


def test_setup_edits_only_our_keys_and_keeps_user_keys(paths: Paths, settings: Path) -> None:
    result = setup(paths, {"claude-code": [claude_spec(settings)]})
    assert [f.action for f in result.files] == ["modified"] and result.changed
    text = settings.read_text()
    assert text.startswith('{\n  // user\'s own settings\n  "hooks": {"PreToolUse": []},')
    assert '"EDITOR": "vim",' in text and f'"ANTHROPIC_AUTH_TOKEN": "{KEY}"' in text
    assert mode_of(settings) == 0o600  # holds the key: tightened
    backup = result.files[0].backup
    assert backup is not None and backup.read_text() == USER_SETTINGS
    assert mode_of(backup) == 0o600 and mode_of(paths.backup_dir) == 0o700
    assert mode_of(paths.state_dir) == 0o700 and mode_of(paths.journal_file) == 0o600
    assert KEY.encode() not in paths.journal_file.read_bytes()


def test_new_file_and_directories_are_created(paths: Paths, isolated_home: Path) -> None:
    target = isolated_home / ".config" / "tool" / "mcp.json"
    result = setup(paths, {"cline": [mcp_spec(target)]})
    assert result.files[0].action == "created" and result.files[0].backup is None
    assert target.read_text() == (
        '{\n  "mcpServers": {\n    "zai-web-search": {\n      "type": "http",\n'
        '      "url": "https://api.z.ai/api/mcp/web_search_prime/mcp"\n    }\n  }\n}\n'
    )
    (entry,) = load(paths).entries
    assert not entry.existed_before
    assert entry.created_dirs == (str(isolated_home / ".config"), str(target.parent))
    assert entry.created_parents == (("mcpServers",), ("mcpServers", "zai-web-search"))


def test_second_identical_run_writes_nothing(paths: Paths, settings: Path) -> None:
    specs = {
        "claude-code": [claude_spec(settings)],
        "cline": [mcp_spec(settings.parent / "m.json")],
    }
    setup(paths, specs)
    state_before = snapshot(paths.state_dir)
    files_before = snapshot(settings.parent)
    plan = plan_run(specs, paths)
    assert [f.action for f in plan.files] == ["unchanged", "unchanged"] and not plan.changed
    assert all(f.diff == "" for f in plan.files)
    result = apply_run(plan, paths)
    assert not result.changed and all(f.backup is None for f in result.files)
    assert snapshot(paths.state_dir) == state_before
    assert snapshot(settings.parent) == files_before


def test_changed_setting_on_rerun_keeps_first_original(paths: Paths, settings: Path) -> None:
    setup(paths, {"claude-code": [claude_spec(settings)]})
    first = load(paths).entries[0]
    setup(paths, {"claude-code": [claude_spec(settings, model="glm-4.6")]})
    (entry,) = load(paths).entries
    assert entry.backup == first.backup and entry.backups == (first.backup,)
    assert [p.name for p in paths.backup_dir.iterdir()] == [first.backup]  # 2nd one pruned
    assert entry.clean and entry.original_sha256 == first.original_sha256
    model = next(c for c in entry.changes if c.path == ("env", "ANTHROPIC_MODEL"))
    assert not model.before_present
    assert '"ANTHROPIC_MODEL": "glm-4.6"' in settings.read_text()


def test_same_file_from_two_tools_is_merged_or_refused(paths: Paths, settings: Path) -> None:
    shared = settings.parent / "shared.json"
    plan = plan_run({"a": [mcp_spec(shared)], "b": [mcp_spec(shared)]}, paths)
    assert len(plan.files) == 1 and plan.files[0].action == "created"
    with pytest.raises(GlmplanError, match="both want to set"):
        plan_run({"a": [claude_spec(settings)], "b": [claude_spec(settings, model="x")]}, paths)


def test_refuses_to_replace_a_non_object(paths: Paths, isolated_home: Path) -> None:
    target = isolated_home / "s.json"
    target.write_text('{"env": "not an object"}\n')
    with pytest.raises(GlmplanError, match="env is not an object"):
        plan_run({"claude-code": [claude_spec(target)]}, paths)


def test_status_reports_changed_since_setup(paths: Paths, settings: Path) -> None:
    assert configured_files(paths, "claude-code") == []
    setup(paths, {"claude-code": [claude_spec(settings)]})
    (info,) = configured_files(paths, "claude-code")
    assert not info.changed_since_setup and not info.missing
    settings.write_text(settings.read_text().replace("vim", "nano"))
    assert configured_files(paths, "claude-code")[0].changed_since_setup
    assert configured_files(paths, "cline") == []


# -- rollback ---------------------------------------------------------------------------------


def test_failure_on_second_file_rolls_back_the_first(
    paths: Paths, settings: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = isolated_home / ".claude.json"
    second.write_text('{"numStartups": 3}\n')
    second.chmod(0o640)
    new_file = isolated_home / "newdir" / "x.json"
    before = snapshot(isolated_home)

    def failing(resolved: Path, data: bytes, **kwargs: object) -> None:
        if resolved == second:
            raise OSError(28, "No space left on device")
        atomic_write(resolved, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("glmplan.installer.engine.atomic_write", failing)
    specs = {"claude-code": [claude_spec(settings), mcp_spec(new_file), mcp_spec(second)]}
    with pytest.raises(GlmplanError, match=r"(?s)No space left.*rolled back"):
        setup(paths, specs)
    monkeypatch.undo()
    after = {k: v[:2] for k, v in snapshot(isolated_home).items() if not k.startswith(".local")}
    assert after == {k: v[:2] for k, v in before.items()}  # bytes and mode of every file
    assert settings.read_text() == USER_SETTINGS and mode_of(settings) == 0o644
    assert not new_file.parent.exists()
    assert load(paths).entries == ()
    assert list(paths.backup_dir.iterdir()) == []


def test_third_party_write_between_plan_and_apply_is_kept(paths: Paths, settings: Path) -> None:
    plan = plan_run({"claude-code": [claude_spec(settings)]}, paths)
    settings.write_text('{"theirs": 1}\n')
    with pytest.raises(ConflictError, match="their version is kept"):
        apply_run(plan, paths)
    assert settings.read_text() == '{"theirs": 1}\n'
    assert load(paths).entries == ()
    assert list(paths.backup_dir.iterdir()) == []


def test_key_never_in_state_dir(paths: Paths, settings: Path) -> None:
    setup(paths, {"claude-code": [claude_spec(settings)]})
    journal_and_lock = b"".join(p.read_bytes() for p in paths.state_dir.iterdir() if p.is_file())
    assert KEY.encode() not in journal_and_lock
    # the backup holds the original only, which had no key
    assert KEY.encode() not in all_bytes_under(paths.backup_dir)


def test_next_run_sweeps_our_stale_temp_files_only(paths: Paths, settings: Path) -> None:
    stale = settings.parent / ".settings.json.999999999-0123456789ab.glmplan.tmp"  # no such pid
    foreign = [settings.parent / ".settings.json.tmp", settings.parent / "settings.json~"]
    for path in [stale, *foreign]:
        path.write_text("x")
    setup(paths, {"claude-code": [claude_spec(settings)]})
    assert not stale.exists()
    assert all(p.read_text() == "x" for p in foreign)


def test_failed_backup_leaves_no_backup_file(
    paths: Paths, settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(directory: Path) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("glmplan.installer.store.fsync_dir", failing)
    with pytest.raises(GlmplanError, match="Input/output error"):
        setup(paths, {"claude-code": [claude_spec(settings)]})
    monkeypatch.undo()
    assert list(paths.backup_dir.iterdir()) == []
    assert settings.read_text() == USER_SETTINGS


def test_canary_key_never_in_logs_errors_or_results(
    paths: Paths, settings: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    result = setup(paths, {"claude-code": [claude_spec(settings)]})

    def failing(resolved: Path, data: bytes, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("glmplan.installer.engine.atomic_write", failing)
    with pytest.raises(GlmplanError) as info:
        setup(paths, {"claude-code": [claude_spec(settings, key="sk-CANARY-second-key-0000")]})
    monkeypatch.undo()
    settings.write_text(settings.read_text().replace('"GLM-4.5"', '"mine"'))
    restored = restore(paths, None, force=False, dry_run=False)
    seen = caplog.text + str(info.value) + repr(result) + repr(restored)
    assert KEY not in seen and "sk-CANARY-second" not in seen
