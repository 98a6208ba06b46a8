"""The engine with awkward files: umask, symlinked dotfiles, BOM + CRLF; SIGKILL atomicity."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import stat
from pathlib import Path

import pytest

from glmplan.installer.atomic import (
    atomic_write,
    is_our_temp_file,
    sha256_bytes,
    sweep_temp_files,
)
from glmplan.installer.journal import load
from glmplan.installer.restore import restore
from glmplan.paths import Paths

from .helpers import KEY, USER_SETTINGS, claude_spec, mcp_spec, setup


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o000, 0o077])
def test_state_files_private_under_any_umask(paths: Paths, isolated_home: Path, mask: int) -> None:
    target = isolated_home / "settings.json"
    target.write_text(USER_SETTINGS)
    target.chmod(0o644)
    saved = os.umask(mask)
    try:
        result = setup(paths, {"claude-code": [claude_spec(target)]})
        created = isolated_home / "new" / "mcp.json"
        setup(paths, {"cline": [mcp_spec(created)]})
    finally:
        os.umask(saved)
    assert mode_of(target) == 0o600  # holds the key
    assert mode_of(created) == 0o666 & ~mask  # no key: the umask decides
    assert mode_of(paths.state_dir) == 0o700 and mode_of(paths.backup_dir) == 0o700
    assert mode_of(paths.journal_file) == 0o600 and mode_of(paths.lock_file) == 0o600
    backup = result.files[0].backup
    assert backup is not None and mode_of(backup) == 0o600
    restore(paths, None, force=False, dry_run=False)
    assert mode_of(target) == 0o644 and target.read_text() == USER_SETTINGS


def test_symlinked_dotfile_written_through_and_restored(paths: Paths, isolated_home: Path) -> None:
    repo = isolated_home / "dotfiles" / "claude"
    repo.mkdir(parents=True)
    real = repo / "settings.json"
    real.write_text(USER_SETTINGS)
    link = isolated_home / ".claude" / "settings.json"
    link.parent.mkdir()
    link.symlink_to(Path("..") / "dotfiles" / "claude" / "settings.json")
    setup(paths, {"claude-code": [claude_spec(link)]})
    assert link.is_symlink() and KEY in real.read_text()
    (entry,) = load(paths).entries
    assert entry.path == str(link) and entry.resolved == str(real)
    restore(paths, None, force=False, dry_run=False)
    assert link.is_symlink() and real.read_text() == USER_SETTINGS


def test_bom_crlf_file_restored_exactly(paths: Paths, isolated_home: Path) -> None:
    target = isolated_home / "settings.json"
    original = b"\xef\xbb\xbf" + USER_SETTINGS.replace("\n", "\r\n").encode()
    target.write_bytes(original)
    setup(paths, {"claude-code": [claude_spec(target)]})
    written = target.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf") and b"\n" not in written.replace(b"\r\n", b"")
    (entry,) = load(paths).entries
    assert entry.bom and entry.eol == "crlf" and entry.original_size == len(original)
    restore(paths, None, force=False, dry_run=False)
    assert target.read_bytes() == original


# -- RELIABILITY 1: SIGKILL at random points never leaves a half-written file -----------------


def _write_forever(path: str) -> None:
    target = Path(path)
    big = {"payload": "x" * 200_000}
    i = 0
    while True:
        data = json.dumps({"i": i, **big}).encode()
        atomic_write(target, data, expected_sha256=sha256_bytes(target.read_bytes()))
        i += 1


@pytest.mark.slow
def test_sigkill_at_random_points_leaves_old_or_new_content(tmp_path: Path) -> None:
    (tmp_path / "target").mkdir()
    target = tmp_path / "target" / "settings.json"
    target.write_text(json.dumps({"i": -1}))
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(1234)
    for _ in range(200):
        writer = ctx.Process(target=_write_forever, args=(str(target),))
        writer.start()
        writer.join(timeout=rng.uniform(0.0, 0.03))
        assert writer.pid is not None
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
        doc = json.loads(target.read_text())  # always a whole old or new document
        assert isinstance(doc["i"], int)
    directory = tmp_path / "target"
    leftovers = [p.name for p in directory.iterdir() if p.name != "settings.json"]
    assert all(is_our_temp_file(name) for name in leftovers)
    assert leftovers, "no kill landed mid-write: the test exercised nothing"
    sweep_temp_files(directory)  # the writers are dead: the next run cleans up after them
    assert [p.name for p in directory.iterdir()] == ["settings.json"]
