"""Shared logic of the VS Code-extension tools (Roo Code, legacy Kilo Code).

- Installed extensions are folders `<publisher.name>-<version>[-<platform>]` under each variant's
  extensions directory, matched case-insensitively; the version comes from the folder's
  `package.json` (the folder name is the fallback). Folders listed in `extensions/.obsolete`
  are uninstalled ones VS Code has not deleted yet, and are skipped.
- Each variant's user `settings.json` is JSONC (comments survive our edits).
- The Roo-style import file and MCP file are in `_roo_format`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from glmplan.errors import GlmplanError
from glmplan.formats import parse
from glmplan.installer.edits import Format
from glmplan.paths import Paths
from glmplan.tool_profiles.base import FileView

_VERSION = re.compile(r"^(\d+(?:\.\d+)*)")


@dataclass(frozen=True)
class Installed:
    """One installed copy of an extension, in one VS Code variant."""

    variant: str
    folder: Path
    version: str

    @property
    def major(self) -> int:
        parsed = parse_version(self.version)
        return parsed[0] if parsed else 0


def parse_version(raw: str) -> tuple[int, ...]:
    """`"7.3.50"` → (7, 3, 50); pre-release suffixes are ignored; () when there is no number."""
    found = _VERSION.match(raw.strip())
    return tuple(int(part) for part in found.group(1).split(".")) if found else ()


def read_data(fs: FileView, path: Path, fmt: Format) -> object | None:
    """The parsed file, or None when it is missing or does not parse."""
    text = fs.read_text(path)
    if text is None:
        return None
    try:
        return parse(fmt, text, str(path))
    except GlmplanError:
        return None


def _obsolete(fs: FileView, directory: Path) -> set[str]:
    data = read_data(fs, directory / ".obsolete", Format.JSON)
    return {name.lower() for name in data} if isinstance(data, dict) else set()


def _folder_version(fs: FileView, folder: Path, suffix: str) -> str:
    data = read_data(fs, folder / "package.json", Format.JSON)
    if isinstance(data, dict) and isinstance(data.get("version"), str):
        return str(data["version"])
    return suffix


def find_installed(paths: Paths, fs: FileView, extension_id: str) -> list[Installed]:
    """The newest installed copy of `extension_id` in each variant that has one."""
    prefix = extension_id.lower() + "-"
    found: list[Installed] = []
    for variant, directory in paths.vscode_extension_dirs():
        obsolete = _obsolete(fs, directory)
        best: Installed | None = None
        for name in fs.listdir(directory):
            lowered = name.lower()
            suffix = lowered[len(prefix) :]
            if not lowered.startswith(prefix) or not suffix[:1].isdigit() or lowered in obsolete:
                continue
            folder = directory / name
            candidate = Installed(variant, folder, _folder_version(fs, folder, suffix))
            if best is None or parse_version(candidate.version) > parse_version(best.version):
                best = candidate
        if best is not None:
            found.append(best)
    return found


def user_dir(paths: Paths, variant: str) -> Path:
    return dict(paths.vscode_user_dirs())[variant]


def settings_file(paths: Paths, variant: str) -> Path:
    return user_dir(paths, variant) / "settings.json"


def global_storage(paths: Paths, variant: str, extension_id: str) -> Path:
    return user_dir(paths, variant) / "globalStorage" / extension_id.lower()


def storage_dir(paths: Paths, fs: FileView, variant: str, extension_id: str, prefix: str) -> Path:
    """The extension's storage: `<prefix>.customStoragePath` when the user set one."""
    data = read_data(fs, settings_file(paths, variant), Format.JSONC)
    custom = data.get(f"{prefix}.customStoragePath") if isinstance(data, dict) else None
    if isinstance(custom, str) and custom.strip():
        return paths.expand(custom.strip())
    return global_storage(paths, variant, extension_id)


def target_variants(installed: list[Installed]) -> list[str]:
    """Variants to configure: where the extension is installed, else plain VS Code (`--all`)."""
    return [item.variant for item in installed] or ["Code"]
