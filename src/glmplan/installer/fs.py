"""The read-only view of the disk that tool profiles get (`tool_profiles.base.FileView`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from glmplan.paths import Paths


class RealFileView:
    """Reads the real file system; `which` searches PATH from `paths.env`, not `os.environ`."""

    def __init__(self, paths: Paths) -> None:
        self._paths = paths

    def exists(self, path: Path) -> bool:
        return path.exists()

    def is_dir(self, path: Path) -> bool:
        return path.is_dir()

    def read_text(self, path: Path) -> str | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def listdir(self, path: Path) -> list[str]:
        try:
            return sorted(entry.name for entry in path.iterdir())
        except OSError:
            return []

    def which(self, name: str) -> Path | None:
        search = self._paths.env.get("PATH", "")
        windows = self._paths.platform.startswith("win")
        exts = [""]
        if windows:
            listed = self._paths.env.get("PATHEXT", ".COM;.EXE;.BAT;.CMD").split(";")
            exts += list(dict.fromkeys(e for ext in listed if ext for e in (ext, ext.lower())))
        for directory in search.split(os.pathsep if not windows else ";"):
            if not directory:
                continue
            for ext in exts:
                candidate = Path(directory) / f"{name}{ext}"
                if _is_executable(candidate, windows=windows):
                    return candidate
        return None


def _is_executable(path: Path, *, windows: bool) -> bool:
    if not path.is_file():
        return False
    if windows or sys.platform.startswith("win"):
        return True
    return os.access(path, os.X_OK)
