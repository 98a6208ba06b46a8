"""RELIABILITY 5, 6, 7 through the CLI: read-only files, hard links and dangling symlinks are
refused with exit 1 and a message naming the path, and nothing is written anywhere."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import run_glmplan

from .harness import KEY, REPO, populate, user_files

SETUP = ("setup", "claude-code", "--plan", "pro", "--yes", "--api-key-stdin")


def _assert_refused(home: Path, needle: str, path: Path, run_code: int, err: str) -> None:
    assert run_code == 1, err
    assert str(path) in err and needle in err
    assert not (home / ".local" / "state" / "glmplan").exists()  # no journal, no backup


def test_hard_linked_settings_refused(isolated_home: Path) -> None:
    populate(isolated_home, ("claude-code",))
    settings = isolated_home / ".claude" / "settings.json"
    os.link(settings, isolated_home / "dotfiles-settings.json")
    before = user_files(isolated_home)
    run = run_glmplan(*SETUP, stdin=KEY + "\n")
    _assert_refused(isolated_home, "hard links", settings, run.code, run.err)
    assert user_files(isolated_home) == before


def test_dangling_symlink_refused(isolated_home: Path) -> None:
    populate(isolated_home, ("claude-code",))
    settings = isolated_home / ".claude" / "settings.json"
    settings.unlink()
    settings.symlink_to(isolated_home / "dotfiles" / "claude-settings.json")
    run = run_glmplan(*SETUP, stdin=KEY + "\n")
    _assert_refused(isolated_home, "dangling", settings, run.code, run.err)
    assert settings.is_symlink() and not settings.exists()
    assert not (isolated_home / "dotfiles").exists()


def test_read_only_settings_refused_for_root_too(isolated_home: Path) -> None:
    populate(isolated_home, ("claude-code",))
    settings = isolated_home / ".claude" / "settings.json"
    settings.chmod(0o444)
    before = user_files(isolated_home)
    run = run_glmplan(*SETUP, stdin=KEY + "\n")
    _assert_refused(isolated_home, "read-only", settings, run.code, run.err)
    assert user_files(isolated_home) == before


# -- as a non-root user -------------------------------------------------------------------------


def _python_for(user: str) -> str | None:
    """A Python >= 3.11 the user can run, with the venv's packages importable."""
    for candidate in (os.path.realpath(sys.executable), "/usr/bin/python3"):
        probe = subprocess.run(
            [_runuser(), "-u", user, "--", candidate, "-c", "import click, tomlkit, filelock"],
            capture_output=True,
            env=_nobody_env(Path("/")),
            check=False,
        )
        if probe.returncode == 0:
            return candidate
    return None


def _runuser() -> str:
    return shutil.which("runuser") or "/usr/sbin/runuser"


def _site_packages() -> str:
    import click

    return str(Path(click.__file__).parents[1])


def _nobody_env(home: Path) -> dict[str, str]:
    return {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": f"{REPO / 'src'}:{_site_packages()}",
        "NO_COLOR": "1",
        "LANG": "C.UTF-8",
    }


def _as_args(home: Path) -> list[str]:
    return [f"{name}={value}" for name, value in _nobody_env(home).items()]


@pytest.fixture
def nobody_home() -> Iterator[Path]:
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs root and runuser(1) to act as the unprivileged 'nobody' user")
    base = Path(tempfile.mkdtemp(prefix="glmplan-nobody-"))
    base.chmod(0o755)
    home = base / "home"
    home.mkdir()
    try:
        yield home
    finally:
        shutil.rmtree(base)


def test_read_only_file_refused_as_a_non_root_user(nobody_home: Path) -> None:
    python = _python_for("nobody")
    if python is None:
        pytest.skip("no Python >= 3.11 that 'nobody' can run with glmplan's dependencies")
    populate(nobody_home, ("claude-code",))
    settings = nobody_home / ".claude" / "settings.json"
    nobody = pwd.getpwnam("nobody")
    for path in [nobody_home, *nobody_home.rglob("*")]:
        os.chown(path, nobody.pw_uid, nobody.pw_gid)
    settings.chmod(0o444)
    before = user_files(nobody_home)
    # runuser resets HOME to nobody's own: set the environment again behind it with env(1)
    as_nobody = [_runuser(), "-u", "nobody", "--", "/usr/bin/env", *_as_args(nobody_home)]
    proc = subprocess.run(
        [*as_nobody, python, "-m", "glmplan", *SETUP],
        input=KEY + "\n",
        capture_output=True,
        text=True,
        env=_nobody_env(nobody_home),
        timeout=60,
        check=False,
    )
    _assert_refused(nobody_home, "read-only", settings, proc.returncode, proc.stderr)
    assert user_files(nobody_home) == before
