"""Claude Code: `settings.json` `env` entries and `.claude.json` (onboarding flag, MCP servers).

Facts (tool-facts.md "Settled" + "Verified", checked with the real CLI 2.1.197):
- With `CLAUDE_CONFIG_DIR` set, both files live in it (`$CLAUDE_CONFIG_DIR/.claude.json`);
  else `~/.claude/settings.json` and `~/.claude.json`.
- The key goes in `ANTHROPIC_AUTH_TOKEN` (sent as `Authorization: Bearer`), not
  `ANTHROPIC_API_KEY` (sent as `x-api-key`).
- `ANTHROPIC_SMALL_FAST_MODEL` outranks `ANTHROPIC_DEFAULT_HAIKU_MODEL`: both get the fast model.
- `hasCompletedOnboarding: true` skips Anthropic's login check; `.claude.json` is large and
  rewritten by Claude Code, so only that key (and our `mcpServers` entries) are touched.
"""

from __future__ import annotations

from pathlib import Path

from glmplan.errors import GlmplanError
from glmplan.formats import MISSING, get_value, parse
from glmplan.installer.edits import Edit, FileSpec, Format, JSONValue, Set
from glmplan.paths import Paths
from glmplan.tool_profiles import mcp
from glmplan.tool_profiles.base import Detection, FileView, SetupSettings, ToolState

TOOL_ID = "claude-code"
DISPLAY_NAME = "Claude Code"
PROCESS_NAMES: tuple[str, ...] = ("claude",)
SUPPORTS_MCP = True

API_TIMEOUT_MS = "3000000"  # Z.ai's recommended value: GLM answers can take minutes


def config_dir(paths: Paths) -> Path:
    override = paths.get("CLAUDE_CONFIG_DIR")
    return paths.expand(override) if override else paths.home / ".claude"


def settings_file(paths: Paths) -> Path:
    return config_dir(paths) / "settings.json"


def state_file(paths: Paths) -> Path:
    """`.claude.json`: in CLAUDE_CONFIG_DIR when set, else in the home directory."""
    override = paths.get("CLAUDE_CONFIG_DIR")
    return paths.expand(override) / ".claude.json" if override else paths.home / ".claude.json"


def detect(paths: Paths, fs: FileView) -> Detection:
    how: list[str] = []
    binary = fs.which("claude")
    if binary is not None:
        how.append(f"binary on PATH: {binary}")
    native = paths.home / ".local" / "bin" / "claude"
    if binary is None and fs.exists(native):
        how.append(f"native launcher: {native}")
    if fs.is_dir(config_dir(paths)):
        how.append(f"config dir: {config_dir(paths)}")
    return Detection(TOOL_ID, bool(how), tuple(how))


def _env_edits(settings: SetupSettings) -> list[Edit]:
    main, fast = settings.model.anthropic_id, settings.fast_model.anthropic_id
    env: dict[str, str] = {
        "ANTHROPIC_BASE_URL": settings.endpoints.anthropic,
        "API_TIMEOUT_MS": API_TIMEOUT_MS,
        "ANTHROPIC_MODEL": main,
        "ANTHROPIC_SMALL_FAST_MODEL": fast,
        "ANTHROPIC_DEFAULT_OPUS_MODEL": main,
        "ANTHROPIC_DEFAULT_SONNET_MODEL": main,
        "ANTHROPIC_DEFAULT_HAIKU_MODEL": fast,
    }
    edits: list[Edit] = [Set(("env", "ANTHROPIC_AUTH_TOKEN"), settings.api_key, secret=True)]
    edits += [Set(("env", name), value) for name, value in env.items()]
    if settings.statusline_command:
        edits.append(
            Set(("statusLine",), {"type": "command", "command": settings.statusline_command})
        )
    return edits


def _mcp_servers(settings: SetupSettings) -> dict[str, JSONValue]:
    return mcp.server_entries(settings, "http")


def plan(settings: SetupSettings, paths: Paths, fs: FileView) -> list[FileSpec]:
    specs = [
        FileSpec(
            settings_file(paths),
            Format.JSON,
            tuple(_env_edits(settings)),
            holds_secret=True,
            purpose="settings (env: endpoint, key, models)",
        )
    ]
    state_edits: list[Edit] = [Set(("hasCompletedOnboarding",), True)]
    if settings.mcp:
        state_edits += [
            Set(("mcpServers", name), server, secret=True)
            for name, server in _mcp_servers(settings).items()
        ]
    specs.append(
        FileSpec(
            state_file(paths),
            Format.JSON,
            tuple(state_edits),
            holds_secret=settings.mcp,
            purpose="global state (onboarding flag" + (", MCP servers)" if settings.mcp else ")"),
        )
    )
    return specs


def _str_at(text: str, path: tuple[str, ...], source: str) -> str | None:
    value = get_value(Format.JSON, text, path, source)
    return value if isinstance(value, str) else None


def inspect(paths: Paths, fs: FileView) -> ToolState:
    notes: list[str] = []
    endpoint = model = key = None
    source = settings_file(paths)
    text = fs.read_text(source)
    if text is not None:
        try:
            parse(Format.JSON, text, str(source))
            endpoint = _str_at(text, ("env", "ANTHROPIC_BASE_URL"), str(source))
            model = _str_at(text, ("env", "ANTHROPIC_MODEL"), str(source)) or _str_at(
                text, ("env", "ANTHROPIC_DEFAULT_SONNET_MODEL"), str(source)
            )
            key = _str_at(text, ("env", "ANTHROPIC_AUTH_TOKEN"), str(source))
            if key is None and _str_at(text, ("env", "ANTHROPIC_API_KEY"), str(source)):
                notes.append("key set as ANTHROPIC_API_KEY (x-api-key), not ANTHROPIC_AUTH_TOKEN")
        except GlmplanError as exc:  # status shows a broken file instead of failing
            notes.append(f"cannot read settings: {exc}")
    servers: tuple[str, ...] = ()
    state_text = fs.read_text(state_file(paths))
    if state_text is not None:
        try:
            found = get_value(Format.JSON, state_text, ("mcpServers",), str(state_file(paths)))
            if found is not MISSING and isinstance(found, dict):
                servers = tuple(str(name) for name in found)
        except GlmplanError as exc:
            notes.append(f"cannot read {state_file(paths)}: {exc}")
    return ToolState(endpoint, model, key, "anthropic-compatible", servers, tuple(notes))


def log_locations(paths: Paths) -> list[Path]:
    dirs = [config_dir(paths), paths.home / ".claude", paths.xdg_config / "claude"]
    unique: list[Path] = []
    for directory in dirs:
        if directory / "projects" not in unique:
            unique.append(directory / "projects")
    return unique
