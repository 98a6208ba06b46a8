"""Every path glmplan reads or writes, derived from one injected environment.

Logic never calls `Path.home()` or reads `os.environ` itself: it gets a `Paths`, built once by the
CLI from the real environment and by tests from a temp HOME.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

APP = "glmplan"


@dataclass(frozen=True)
class Paths:
    """The home directory, the XDG base directories and the raw environment they came from."""

    home: Path
    env: Mapping[str, str] = field(default_factory=dict)
    platform: str = sys.platform

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Paths:
        env = dict(os.environ if environ is None else environ)
        home = Path(env.get("HOME") or env.get("USERPROFILE") or str(Path("~").expanduser()))
        return cls(home=home, env=env)

    # -- XDG base dirs (used on every platform, as the tools themselves do) --------------------
    def _xdg(self, var: str, default: str) -> Path:
        value = self.env.get(var, "")
        return Path(value) if value and Path(value).is_absolute() else self.home / default

    @property
    def xdg_config(self) -> Path:
        return self._xdg("XDG_CONFIG_HOME", ".config")

    @property
    def xdg_data(self) -> Path:
        return self._xdg("XDG_DATA_HOME", ".local/share")

    @property
    def xdg_state(self) -> Path:
        return self._xdg("XDG_STATE_HOME", ".local/state")

    @property
    def xdg_cache(self) -> Path:
        return self._xdg("XDG_CACHE_HOME", ".cache")

    def get(self, var: str) -> str | None:
        """An environment variable, or None when unset or empty."""
        value = self.env.get(var)
        return value or None

    def expand(self, raw: str) -> Path:
        """Expand a leading `~` against our home (never the process's)."""
        if raw == "~" or raw.startswith(("~/", "~\\")):
            return self.home / raw[2:]
        return Path(raw)

    # -- glmplan's own files ---------------------------------------------------------------------
    @property
    def config_dir(self) -> Path:
        override = self.get("GLMPLAN_CONFIG_DIR")
        return Path(override) if override else self.xdg_config / APP

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def credentials_file(self) -> Path:
        return self.config_dir / "credentials.toml"

    @property
    def state_dir(self) -> Path:
        override = self.get("GLMPLAN_STATE_DIR")
        return Path(override) if override else self.xdg_state / APP

    @property
    def cache_dir(self) -> Path:
        override = self.get("GLMPLAN_CACHE_DIR")
        return Path(override) if override else self.xdg_cache / APP

    @property
    def journal_file(self) -> Path:
        return self.state_dir / "journal.json"

    @property
    def backup_dir(self) -> Path:
        return self.state_dir / "backups"

    @property
    def lock_file(self) -> Path:
        return self.state_dir / "glmplan.lock"

    @property
    def crash_dir(self) -> Path:
        return self.state_dir / "crash"

    # -- shared locations of the tools ------------------------------------------------------------
    def vscode_user_dirs(self) -> list[tuple[str, Path]]:
        """(variant, `User` directory) for every VS Code variant, for this platform."""
        variants = ["Code", "Code - Insiders", "VSCodium", "Cursor", "Windsurf"]
        if self.platform == "darwin":
            base = self.home / "Library" / "Application Support"
        elif self.platform.startswith("win"):
            appdata = self.get("APPDATA")
            base = Path(appdata) if appdata else self.home / "AppData" / "Roaming"
        else:
            base = self.xdg_config
        return [(v, base / v / "User") for v in variants]

    def vscode_extension_dirs(self) -> list[tuple[str, Path]]:
        """(variant, extensions directory) for every VS Code variant."""
        return [
            ("Code", self.home / ".vscode" / "extensions"),
            ("Code - Insiders", self.home / ".vscode-insiders" / "extensions"),
            ("VSCodium", self.home / ".vscode-oss" / "extensions"),
            ("Cursor", self.home / ".cursor" / "extensions"),
            ("Windsurf", self.home / ".windsurf" / "extensions"),
        ]
