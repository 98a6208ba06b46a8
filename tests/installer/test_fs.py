"""RealFileView: the read-only view profiles get; `which` uses PATH from Paths.env only."""

from __future__ import annotations

import os
from pathlib import Path

from glmplan.installer.fs import RealFileView
from glmplan.paths import Paths


def make_exe(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_which_searches_path_from_paths_env_not_os_environ(tmp_path: Path) -> None:
    exe = make_exe(tmp_path / "bin2" / "claude")
    make_exe(tmp_path / "bin1" / "other")
    (tmp_path / "bin1" / "claude").write_text("not executable")
    env_path = os.pathsep.join([str(tmp_path / "bin1"), "", str(tmp_path / "bin2")])
    view = RealFileView(Paths(home=tmp_path, env={"PATH": env_path}, platform="linux"))
    assert view.which("claude") == exe
    assert view.which("missing") is None
    assert RealFileView(Paths(home=tmp_path, env={})).which("sh") is None  # no PATH: nothing


def test_which_on_windows_tries_pathext(tmp_path: Path) -> None:
    exe = make_exe(tmp_path / "bin" / "opencode.CMD")
    env = {"PATH": str(tmp_path / "bin"), "PATHEXT": ".EXE;.CMD"}
    view = RealFileView(Paths(home=tmp_path, env=env, platform="win32"))
    assert view.which("opencode") in (exe, exe.with_suffix(".cmd"))


def test_read_text_listdir_exists(tmp_path: Path) -> None:
    view = RealFileView(Paths(home=tmp_path))
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "b.json").write_bytes("\ufeff{}\r\n".encode())
    (tmp_path / "d" / "a.bin").write_bytes(b"\xff\xfe")
    assert view.read_text(tmp_path / "d" / "b.json") == "\ufeff{}\r\n"  # BOM and CRLF kept
    assert view.read_text(tmp_path / "d" / "a.bin") is None
    assert view.read_text(tmp_path / "nope") is None
    assert view.read_text(tmp_path / "d") is None
    assert view.listdir(tmp_path / "d") == ["a.bin", "b.json"]
    assert view.listdir(tmp_path / "nope") == []
    assert view.exists(tmp_path / "d") and view.is_dir(tmp_path / "d")
    assert not view.is_dir(tmp_path / "d" / "b.json")
