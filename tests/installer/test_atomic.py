"""RELIABILITY items 2-7 for the one atomic-write helper, on real files under tmp_path."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from glmplan.errors import ConflictError, UnsafeFileError
from glmplan.installer import atomic
from glmplan.installer.atomic import atomic_write, read_target, sha256_bytes, sweep_temp_files

SRC = Path(__file__).resolve().parents[2] / "src"
OLD = b'{"a": 1}\n'
NEW = b'{"a": 2}\n'


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    saved = os.umask(0o022)
    os.umask(saved)

    def set_umask(value: int) -> None:
        os.umask(value)

    yield set_umask
    os.umask(saved)


def make_file(path: Path, data: bytes = OLD, mode: int = 0o644) -> Path:
    path.write_bytes(data)
    path.chmod(mode)
    return path


def write(path: Path, data: bytes = NEW, *, holds_secret: bool = False) -> None:
    target = read_target(path)
    atomic_write(target.resolved, data, expected_sha256=target.sha256, holds_secret=holds_secret)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_untouched(path: Path, data: bytes, mode: int) -> None:
    assert path.read_bytes() == data
    assert mode_of(path) == mode
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


# -- 4. modes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mask", "holds_secret", "expected"),
    [(0o000, False, 0o666), (0o022, False, 0o644), (0o077, False, 0o600), (0o000, True, 0o600)],
)
def test_new_file_mode_follows_umask_or_is_0600_for_the_key(
    tmp_path: Path, umask: Callable[[int], None], mask: int, holds_secret: bool, expected: int
) -> None:
    umask(mask)
    write(tmp_path / "new.json", holds_secret=holds_secret)
    assert mode_of(tmp_path / "new.json") == expected
    assert (tmp_path / "new.json").read_bytes() == NEW


@pytest.mark.parametrize("mask", [0o000, 0o077])
@pytest.mark.parametrize(
    ("old", "holds_secret", "expected"),
    [(0o644, False, 0o644), (0o755, False, 0o755), (0o664, True, 0o600), (0o600, True, 0o600)],
)
def test_existing_mode_kept_or_tightened_never_loosened(
    tmp_path: Path,
    umask: Callable[[int], None],
    mask: int,
    old: int,
    holds_secret: bool,
    expected: int,
) -> None:
    umask(mask)
    path = make_file(tmp_path / "f.json", mode=old)
    write(path, holds_secret=holds_secret)
    assert mode_of(path) == expected
    assert path.read_bytes() == NEW


# -- 2. failure keeps the original --------------------------------------------------------------


def _raise(err: int) -> Callable[..., None]:
    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(err, os.strerror(err))

    return boom


@pytest.mark.parametrize(
    ("target", "name", "err"),
    [
        (os, "fsync", errno.ENOSPC),
        (os, "fsync", errno.EIO),
        (os, "replace", errno.EXDEV),
        (os, "fchmod", errno.EPERM),
    ],
)
def test_injected_failure_keeps_original_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: object, name: str, err: int
) -> None:
    path = make_file(tmp_path / "settings.json", mode=0o640)
    target_info = read_target(path)
    monkeypatch.setattr(target, name, _raise(err))
    with pytest.raises(OSError, match=os.strerror(err)):
        atomic_write(path, NEW, expected_sha256=target_info.sha256)
    monkeypatch.undo()
    assert_untouched(path, OLD, 0o640)


def test_keyboard_interrupt_mid_write_removes_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_file(tmp_path / "settings.json")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, NEW, expected_sha256=sha256_bytes(OLD))
    monkeypatch.undo()
    assert_untouched(path, OLD, 0o644)


def test_efbig_from_rlimit_fsize_keeps_original(tmp_path: Path) -> None:
    path = make_file(tmp_path / "settings.json", mode=0o600)
    script = textwrap.dedent(
        f"""
        import errno, resource, signal, sys
        from pathlib import Path
        from glmplan.installer.atomic import atomic_write, sha256_bytes
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        path = Path({str(path)!r})
        try:
            atomic_write(path, b"x" * 1_000_000, expected_sha256=sha256_bytes(path.read_bytes()))
        except OSError as exc:
            sys.exit(0 if exc.errno == errno.EFBIG else 1)
        sys.exit(2)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    assert_untouched(path, OLD, 0o600)


# -- 15 (part). compare-and-swap --------------------------------------------------------------


def test_third_party_write_between_read_and_replace_is_kept(tmp_path: Path) -> None:
    path = make_file(tmp_path / "settings.json")
    target = read_target(path)
    path.write_bytes(b'{"theirs": true}\n')
    with pytest.raises(ConflictError, match="another program"):
        atomic_write(target.resolved, NEW, expected_sha256=target.sha256)
    assert_untouched(path, b'{"theirs": true}\n', 0o644)


def test_file_created_by_someone_else_meanwhile_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    target = read_target(path)
    make_file(path, b"theirs")
    with pytest.raises(ConflictError, match="created"):
        atomic_write(target.resolved, NEW, expected_sha256=None)
    assert_untouched(path, b"theirs", 0o644)


# -- 5. symlinks --------------------------------------------------------------------------------


def test_write_through_symlink_updates_target_and_keeps_link(tmp_path: Path) -> None:
    (tmp_path / "dotfiles").mkdir()
    real = make_file(tmp_path / "dotfiles" / "settings.json")
    link = tmp_path / "linkhome" / "settings.json"
    link.parent.mkdir()
    link.symlink_to(Path("..") / "dotfiles" / "settings.json")
    write(link)
    assert link.is_symlink()
    assert os.readlink(link) == str(Path("..") / "dotfiles" / "settings.json")
    assert real.read_bytes() == NEW


def test_dangling_symlink_refused_with_message(tmp_path: Path) -> None:
    link = tmp_path / "settings.json"
    link.symlink_to(tmp_path / "gone.json")
    with pytest.raises(UnsafeFileError, match=r"settings\.json.*dangling"):
        read_target(link)
    assert not (tmp_path / "gone.json").exists()


# -- 6, 7 and non-regular files ------------------------------------------------------------------


def test_hard_link_refused(tmp_path: Path) -> None:
    path = make_file(tmp_path / "settings.json")
    os.link(path, tmp_path / "other.json")
    with pytest.raises(UnsafeFileError, match=r"settings\.json.*hard links"):
        read_target(path)
    with pytest.raises(UnsafeFileError):
        atomic_write(path, NEW, expected_sha256=sha256_bytes(OLD))
    assert_untouched(path, OLD, 0o644)


def test_read_only_file_refused_even_for_root(tmp_path: Path) -> None:
    path = make_file(tmp_path / "settings.json", mode=0o444)
    with pytest.raises(UnsafeFileError, match=r"settings\.json.*read-only"):
        read_target(path)
    with pytest.raises(UnsafeFileError):
        atomic_write(path, NEW, expected_sha256=sha256_bytes(OLD))
    assert_untouched(path, OLD, 0o444)


@pytest.mark.skipif(os.geteuid() != 0, reason="checked in-process when not root (test above)")
def test_read_only_file_refused_as_non_root_user(tmp_path_factory: pytest.TempPathFactory) -> None:
    python = _python_for_nobody()
    if python is None:
        pytest.skip("no Python >= 3.11 that the 'nobody' user can execute")
    shared = Path(tempfile_dir())
    try:
        path = make_file(shared / "settings.json", mode=0o444)
        os.chown(path, _nobody_uid(), -1)
        script = (
            "import sys; from pathlib import Path\n"
            "from glmplan.errors import UnsafeFileError\n"
            "from glmplan.installer.atomic import read_target\n"
            f"try: read_target(Path({str(path)!r}))\n"
            "except UnsafeFileError as exc: print(exc); sys.exit(0)\n"
            "sys.exit(1)\n"
        )
        env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}
        proc = subprocess.run(
            [shutil.which("runuser") or "runuser", "-u", "nobody", "--", python, "-c", script],
            capture_output=True,
            env=env,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr.decode()
        assert "read-only" in proc.stdout.decode()
        assert_untouched(path, OLD, 0o444)
    finally:
        shutil.rmtree(shared)


def tempfile_dir() -> str:
    import tempfile

    directory = tempfile.mkdtemp(prefix="glmplan-ro-")
    Path(directory).chmod(0o777)
    return directory


def _nobody_uid() -> int:
    import pwd

    return pwd.getpwnam("nobody").pw_uid


def _python_for_nobody() -> str | None:
    if shutil.which("runuser") is None:
        return None
    for candidate in (os.path.realpath(sys.executable), "/usr/bin/python3"):
        probe = subprocess.run(
            [
                "runuser",
                "-u",
                "nobody",
                "--",
                candidate,
                "-c",
                "import sys; assert sys.version_info >= (3, 11)",
            ],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return candidate
    return None


def test_directory_and_fifo_refused(tmp_path: Path) -> None:
    (tmp_path / "dir.json").mkdir()
    os.mkfifo(tmp_path / "fifo.json")
    for name in ("dir.json", "fifo.json"):
        with pytest.raises(UnsafeFileError, match="not a regular file"):
            read_target(tmp_path / name)


# -- 3. orphan sweep ----------------------------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True
    )
    return int(proc.stdout)


def test_sweep_removes_only_our_stale_temp_files(tmp_path: Path) -> None:
    dead = _dead_pid()
    ours_dead = tmp_path / f".settings.json.{dead}-0123456789ab.glmplan.tmp"
    ours_old = tmp_path / f".settings.json.{os.getpid()}-0123456789ac.glmplan.tmp"
    ours_live = tmp_path / f".settings.json.{os.getpid()}-0123456789ad.glmplan.tmp"
    foreign = [
        tmp_path / ".settings.json.tmp",
        tmp_path / f".settings.json.{dead}-0123456789ab.tmp",
        tmp_path / "settings.json.glmplan.tmp",
        tmp_path / f".x.{dead}-XYZ.glmplan.tmp",
        tmp_path / "settings.json",
    ]
    for path in [ours_dead, ours_old, ours_live, *foreign]:
        path.write_bytes(b"x")
    old = time.time() - atomic.STALE_AFTER_SECONDS - 60
    os.utime(ours_old, (old, old))
    (tmp_path / f".dir.{dead}-0123456789ab.glmplan.tmp").mkdir()

    removed = sweep_temp_files(tmp_path)

    assert sorted(removed) == sorted([ours_dead, ours_old])
    assert ours_live.exists()
    assert all(p.exists() for p in foreign)
    assert (tmp_path / f".dir.{dead}-0123456789ab.glmplan.tmp").is_dir()


def test_sweep_of_missing_directory_is_a_no_op(tmp_path: Path) -> None:
    assert sweep_temp_files(tmp_path / "nope") == []


def test_temp_file_name_matches_sweep_pattern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        seen.extend(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    write(make_file(tmp_path / "f.json"))
    assert seen and all(atomic.is_our_temp_file(name) for name in seen)


def test_atomic_write_given_the_link_itself_writes_through(tmp_path: Path) -> None:
    real = make_file(tmp_path / "real.toml", mode=0o600)
    link = tmp_path / "link.toml"
    link.symlink_to(real.name)
    atomic_write(link, NEW, expected_sha256=sha256_bytes(OLD), holds_secret=True)
    assert link.is_symlink() and real.read_bytes() == NEW and mode_of(real) == 0o600
