"""Shared pieces of the fault suite: a fork server for the real CLI, realistic HOMEs, checks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from glmplan import formats
from glmplan.installer.atomic import is_our_temp_file
from glmplan.installer.edits import Format
from glmplan.installer.journal import Journal, loads
from glmplan.paths import Paths

KEY = "sk-CANARY-7f3a9c0e5b214d8e9a6c1f0b2d4e6a8c.Zq81"
MASKED = "…Zq81"
ZYGOTE = Path(__file__).with_name("_zygote.py")
REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Outcome:
    code: int
    killed: bool
    seconds: float
    out: str
    err: str


class Zygote:
    """A long-lived process that forks one real CLI run per request (see `_zygote.py`)."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        scratch.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env["PYTHONPATH"] = str(REPO / "src")
        self.proc = subprocess.Popen(
            [sys.executable, str(ZYGOTE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=str(scratch),
        )

    def __enter__(self) -> Zygote:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()

    def run(
        self,
        home: Path,
        *argv: str,
        stdin: str = "",
        kill_at: int | None = None,
        kill_after: float | None = None,
        kill_on: tuple[str, str, int] | None = None,
        count: bool = False,
    ) -> tuple[Outcome, int | None]:
        """Run `glmplan *argv` in `home`; the outcome and (with `count`) its mutation count."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        files = {name: self.scratch / name for name in ("in", "out", "err", "count")}
        files["in"].write_text(stdin, encoding="utf-8")
        files["count"].unlink(missing_ok=True)
        request = {
            "argv": list(argv),
            "env": home_env(home),
            "stdin": str(files["in"]),
            "stdout": str(files["out"]),
            "stderr": str(files["err"]),
            "kill_at": kill_at,
            "kill_after": kill_after,
            "kill_on": list(kill_on) if kill_on else None,
            "count_file": str(files["count"]) if count else None,
        }
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        ops = int(files["count"].read_text()) if count and files["count"].exists() else None
        outcome = Outcome(
            answer["code"],
            answer["killed"],
            answer["seconds"],
            files["out"].read_text(encoding="utf-8", errors="replace"),
            files["err"].read_text(encoding="utf-8", errors="replace"),
        )
        return outcome, ops


def home_env(home: Path) -> dict[str, str]:
    """The environment of a CLI run in `home` (nothing from the developer's machine)."""
    return {
        "HOME": str(home),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "NO_COLOR": "1",
        "LANG": "C.UTF-8",
    }


# -- realistic files users already have -----------------------------------------------------------

EXISTING: dict[str, tuple[str, Format, str]] = {
    # relative path: (tool, format, text)
    ".claude/settings.json": (
        "claude-code",
        Format.JSONC,
        '{\n  "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command",\n'
        '    "command": "~/bin/audit.sh"}]}]},\n'
        '  "statusLine": {"type": "command", "command": "~/bin/my-status"},\n'
        '  "permissions": {"allow": ["Bash(ls:*)"], "deny": []},\n'
        '  "enabledPlugins": {"fmt@mine": true},\n'
        '  "env": {"MY_VAR": "1", "ANTHROPIC_MODEL": "claude-old"}\n}\n',
    ),
    ".claude.json": (
        "claude-code",
        Format.JSON,
        '{\n  "numStartups": 42,\n  "projects": {"/src/app": {"allowedTools": []}},\n'
        '  "mcpServers": {"mine": {"type": "stdio", "command": "my-mcp"}}\n}\n',
    ),
    ".config/Code/User/settings.json": (
        "roo-code",
        Format.JSONC,
        '{\n    // my editor\n    "editor.fontSize": 14,\n'
        '    "files.exclude": {"**/.git": true,},\n    /* theme */\n'
        '    "workbench.colorTheme": "Default Dark+",\n}\n',
    ),
    ".config/kilo/kilo.jsonc": (
        "kilo-code",
        Format.JSONC,
        '{\n  // kilo settings\n  "theme": "tokyonight",\n  "autoupdate": false,\n}\n',
    ),
    ".cline/data/globalState.json": (
        "cline",
        Format.JSON,
        '{\n  "mode": "act",\n  "telemetrySetting": "disabled"\n}\n',
    ),
    ".config/opencode/opencode.json": (
        "opencode",
        Format.JSON,
        '{\n  "$schema": "https://opencode.ai/config.json",\n  "theme": "opencode",\n'
        '  "mcp": {"mine": {"type": "local", "command": ["my-mcp"]}}\n}\n',
    ),
    ".local/share/crush/crush.json": (
        "crush",
        Format.JSON,
        '{\n  "options": {"debug": false},\n  "providers": {}\n}\n',
    ),
    ".config/goose/config.yaml": (
        "goose",
        Format.YAML,
        "# goose settings\nGOOSE_MODE: smart_approve\nextensions:\n  developer:\n"
        "    enabled: true\n    name: developer\n    type: builtin\n    timeout: 300\n"
        "    bundled: true\n",
    ),
}


def populate(home: Path, tools: tuple[str, ...]) -> None:
    """Write the users' own files of `tools` into `home`."""
    for rel, (tool, _fmt, text) in EXISTING.items():
        if tool in tools:
            path = home / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode())
            path.chmod(0o644)


# -- observing a HOME ----------------------------------------------------------------------------

_STATE = (".local/state/glmplan", ".config/glmplan", ".cache/glmplan")
FileState = tuple[bytes, int]  # bytes, permission bits


def user_files(home: Path) -> dict[str, FileState]:
    """Every regular file under `home` outside glmplan's own dirs: relative path -> state."""
    out: dict[str, FileState] = {}
    for dirpath, _dirs, names in os.walk(home):
        for name in names:
            path = Path(dirpath) / name
            rel = str(path.relative_to(home))
            if rel.startswith(_STATE) or path.is_symlink() or is_our_temp_file(name):
                continue
            out[rel] = (path.read_bytes(), path.stat().st_mode & 0o7777)
    return out


def our_temp_files(home: Path) -> list[Path]:
    return [Path(d) / n for d, _dirs, names in os.walk(home) for n in names if is_our_temp_file(n)]


_STAMP = re.compile(rb'"updatedAt": "[0-9T:.\-]+Z"')


def normalised(data: bytes) -> bytes:
    """Cline's `updatedAt` is the time of the write; everything else must match byte for byte."""
    return _STAMP.sub(b'"updatedAt": "<stamp>"', data)


def format_of(rel: str) -> Format:
    if rel.endswith((".yaml", ".yml")):
        return Format.YAML
    if rel.endswith(".toml"):
        return Format.TOML
    return Format.JSONC  # every JSON file glmplan writes also parses as JSONC


def parse_all(home: Path, rels: list[str]) -> None:
    """Every file parses strictly in its format (raises FormatError otherwise)."""
    for rel in rels:
        path = home / rel
        if path.exists():
            text = path.read_bytes().decode("utf-8-sig")
            formats.parse(format_of(rel), text, str(path))


def journal_of(home: Path) -> Journal:
    paths = Paths.from_env(home_env(home))
    try:
        data = paths.journal_file.read_bytes()
    except FileNotFoundError:
        return Journal()
    return loads(data, str(paths.journal_file))


def unreferenced_backups(home: Path) -> list[str]:
    """Backup files that no journal entry names (they would never be cleaned up)."""
    paths = Paths.from_env(home_env(home))
    named = {b for e in journal_of(home).entries for b in (e.backup, *e.backups) if b}
    try:
        present = {p.name for p in paths.backup_dir.iterdir()}
    except FileNotFoundError:
        return []
    return sorted(present - named)
