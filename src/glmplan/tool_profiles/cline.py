"""Cline: the CLI's `providers.json`, the VS Code extension's `globalState.json` + `secrets.json`,
and the MCP settings both read.

Facts (cline/cline@21cb8d25, the legacy-extension branch, and the real `cline@3.0.65` binary):
- Data dir `$CLINE_DATA_DIR` > `$CLINE_DIR/data` > `~/.cline/data` (CLI and both extension
  bundles); `$CLINE_{PROVIDER_SETTINGS,MCP_SETTINGS}_PATH`, `$CLINE_SESSION_DATA_DIR` override.
- `providers.json` = `{version: 1, lastUsedProvider, modes, providers: {id: {settings,
  updatedAt (ISO datetime), tokenSource}}}`; settings `{provider, apiKey, model, baseUrl?,
  apiLine?: "china"|"international"}`. `zai-coding-plan` + `apiLine: "china"` resolves to
  open.bigmodel.cn's coding endpoint (an explicit `baseUrl` wins). `zai` is the general API.
- The extension (both bundles) picks its provider from globalState; we use OpenAI-compatible
  (`openai`) with the coding endpoint, the key in secrets.json `openAiApiKey`. The legacy bundle
  has no `zai-coding-plan`, and its `zai` is always the general API.
- The CLI rewrites providers.json on every run (`JSON.stringify(…, 2)`) and stamps a new
  `updatedAt` on the provider it used; glmplan marks `updatedAt` as `stamped`, so restore removes
  it whatever it holds and never reports Cline's stamp as the user's change.
- Every time the CLI (or the extension's SDK) opens providers.json it migrates globalState.json +
  secrets.json into it (sdk/packages/core/src/services/storage/
  provider-settings-legacy-migration.ts, `migrateLegacyProviderSettings`; no sentinel, runs on
  each start): each legacy provider becomes `providers[id] = {settings, updatedAt,
  tokenSource: "migration"}` unless `providers[id]` already exists, and only a new
  `openai-compatible` entry also gets a `models.json` registration. Our extension values would
  so land in a new `openai-compatible` entry holding the key, which restore knows nothing of.
  We therefore write that entry ourselves, with what the migration would copy (provider, key,
  model, coding endpoint): the migration then skips it (and models.json), the CLI can still
  switch to it, and restore removes it with our other keys. An `openai-compatible` entry the
  user already has is left alone unless it points at a Coding Plan endpoint (the migration
  would skip it anyway, so nothing of ours leaks there). Removing Cline's copy at restore time
  instead would mean deleting an entry glmplan never wrote, by guessing from its content.
- MCP entries: `{"type": "streamableHttp", url, headers}` (no `type` means SSE) and
  `{"type": "stdio", command, args, env}`; the legacy bundle reads
  `<VS Code User>/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json`.
"""

from __future__ import annotations

from pathlib import Path

from glmplan.installer.edits import FileSpec, Format, JSONValue, Set
from glmplan.paths import Paths
from glmplan.tool_profiles import mcp
from glmplan.tool_profiles._cline_cli import providers_spec
from glmplan.tool_profiles._common import (
    CODING_CHINA,
    CODING_GLOBAL,
    GENERAL_CHINA,
    GENERAL_GLOBAL,
    dig,
    endpoint_notes,
    extension_folders,
    names_at,
    read_object,
    str_at,
)
from glmplan.tool_profiles.base import Detection, FileView, SetupSettings, ToolState

TOOL_ID = "cline"
DISPLAY_NAME = "Cline"
PROCESS_NAMES: tuple[str, ...] = ("cline",)
SUPPORTS_MCP = True

EXTENSION_ID = "saoudrizwan.claude-dev"
MCP_FILE_NAME = "cline_mcp_settings.json"
# The endpoint of each Z.ai provider id Cline knows (sdk builtins.ts), by `apiLine`.
_DEFAULTS: dict[str, tuple[str, str]] = {
    "zai-coding-plan": (CODING_GLOBAL, CODING_CHINA),
    "zhipuai-coding-plan": (CODING_CHINA, CODING_CHINA),
    "zai": (GENERAL_GLOBAL, GENERAL_CHINA),
    "zhipuai": (GENERAL_CHINA, GENERAL_CHINA),
}


def default_endpoint(provider: str, api_line: str | None) -> str | None:
    urls = _DEFAULTS.get(provider)
    return None if urls is None else urls[1 if api_line == "china" else 0]


def _env_path(paths: Paths, var: str, default: Path) -> Path:
    override = paths.get(var)
    return paths.expand(override.strip()) if override and override.strip() else default


def cline_dir(paths: Paths) -> Path:
    return _env_path(paths, "CLINE_DIR", paths.home / ".cline")


def data_dir(paths: Paths) -> Path:
    return _env_path(paths, "CLINE_DATA_DIR", cline_dir(paths) / "data")


def providers_file(paths: Paths) -> Path:
    default = data_dir(paths) / "settings" / "providers.json"
    return _env_path(paths, "CLINE_PROVIDER_SETTINGS_PATH", default)


def mcp_file(paths: Paths) -> Path:
    default = data_dir(paths) / "settings" / MCP_FILE_NAME
    return _env_path(paths, "CLINE_MCP_SETTINGS_PATH", default)


def global_state_file(paths: Paths) -> Path:
    return data_dir(paths) / "globalState.json"


def secrets_file(paths: Paths) -> Path:
    return data_dir(paths) / "secrets.json"


def sessions_dir(paths: Paths) -> Path:
    return _env_path(paths, "CLINE_SESSION_DATA_DIR", data_dir(paths) / "sessions")


def legacy_storage_dirs(paths: Paths) -> list[tuple[str, Path]]:
    """(variant, the legacy bundle's globalStorage dir) for every VS Code variant."""
    return [(v, user / "globalStorage" / EXTENSION_ID) for v, user in paths.vscode_user_dirs()]


def detect(paths: Paths, fs: FileView) -> Detection:
    how: list[str] = []
    binary = fs.which("cline")
    if binary is not None:
        how.append(f"binary on PATH: {binary}")
    how += [f"VS Code extension: {folder}" for folder in extension_folders(paths, fs, EXTENSION_ID)]
    if fs.is_dir(cline_dir(paths)):
        how.append(f"config dir: {cline_dir(paths)}")
    return Detection(TOOL_ID, bool(how), tuple(how))


# -- the VS Code extension: globalState.json + secrets.json ----------------------------------------


def _extension_specs(settings: SetupSettings, paths: Paths) -> list[FileSpec]:
    model = settings.model
    info: dict[str, JSONValue] = {
        "contextWindow": model.context,
        "supportsImages": False,
        "supportsPromptCache": False,
    }
    state: dict[str, JSONValue] = {
        "actModeApiProvider": "openai",
        "planModeApiProvider": "openai",
        "openAiBaseUrl": settings.endpoints.coding,
        "actModeOpenAiModelId": model.id,
        "planModeOpenAiModelId": model.id,
        "actModeOpenAiModelInfo": info,
        "planModeOpenAiModelInfo": dict(info),
        "welcomeViewCompleted": True,
    }
    return [
        FileSpec(
            global_state_file(paths),
            Format.JSON,
            tuple(Set((key,), value) for key, value in state.items()),
            purpose="VS Code extension state (OpenAI-compatible provider)",
        ),
        FileSpec(
            secrets_file(paths),
            Format.JSON,
            (Set(("openAiApiKey",), settings.api_key, secret=True),),
            holds_secret=True,
            purpose="VS Code extension secrets",
        ),
    ]


# -- MCP -------------------------------------------------------------------------------------------


def _mcp_entries(settings: SetupSettings) -> dict[str, JSONValue]:
    return mcp.server_entries(settings, "streamableHttp", {"disabled": False})


def _mcp_specs(settings: SetupSettings, paths: Paths, fs: FileView) -> list[FileSpec]:
    entries = _mcp_entries(settings)
    edits = tuple(Set(("mcpServers", name), entry, secret=True) for name, entry in entries.items())
    targets = [(mcp_file(paths), "MCP servers (CLI and extension)")]
    targets += [
        (storage / "settings" / MCP_FILE_NAME, f"MCP servers ({variant} extension, legacy bundle)")
        for variant, storage in legacy_storage_dirs(paths)
        if fs.is_dir(storage)
    ]
    return [
        FileSpec(
            path,
            Format.JSON,
            edits,
            holds_secret=True,
            purpose=purpose,
            new_file_text='{\n  "mcpServers": {}\n}\n',
        )
        for path, purpose in targets
    ]


def plan(settings: SetupSettings, paths: Paths, fs: FileView) -> list[FileSpec]:
    specs = [
        providers_spec(settings, providers_file(paths), fs),
        *_extension_specs(settings, paths),
    ]
    if settings.mcp:
        specs += _mcp_specs(settings, paths, fs)
    return specs


# -- inspect ---------------------------------------------------------------------------------------


def _cli_state(paths: Paths, fs: FileView, notes: list[str]) -> ToolState | None:
    data, problem = read_object(fs, providers_file(paths), Format.JSON)
    if problem:
        notes.append(problem)
    provider = str_at(data, ("lastUsedProvider",))
    if provider is None:
        return None
    conf = dig(data, ("providers", provider, "settings"))
    line = str_at(conf, ("apiLine",))
    endpoint = str_at(conf, ("baseUrl",)) or default_endpoint(provider, line)
    return ToolState(endpoint, str_at(conf, ("model",)), str_at(conf, ("apiKey",)), provider)


def _extension_state(paths: Paths, fs: FileView, notes: list[str]) -> ToolState | None:
    state, problem = read_object(fs, global_state_file(paths), Format.JSON)
    if problem:
        notes.append(problem)
    provider = str_at(state, ("actModeApiProvider",))
    if provider is None:
        return None
    secrets, problem = read_object(fs, secrets_file(paths), Format.JSON)
    if problem:
        notes.append(problem)
    if provider == "openai":
        return ToolState(
            str_at(state, ("openAiBaseUrl",)),
            str_at(state, ("actModeOpenAiModelId",)),
            str_at(secrets, ("openAiApiKey",)),
            "openai (VS Code extension)",
        )
    return ToolState(
        default_endpoint(provider, str_at(state, ("zaiApiLine",))),
        str_at(state, ("actModeApiModelId",)),
        str_at(secrets, ("zaiApiKey",)) if provider == "zai" else None,
        f"{provider} (VS Code extension)",
    )


def _mcp_names(paths: Paths, fs: FileView) -> tuple[str, ...]:
    files = [mcp_file(paths)]
    files += [s / "settings" / MCP_FILE_NAME for _v, s in legacy_storage_dirs(paths)]
    names: list[str] = []
    for path in files:
        data, _ = read_object(fs, path, Format.JSON)
        names += [n for n in names_at(data, ("mcpServers",)) if n not in names]
    return tuple(names)


def inspect(paths: Paths, fs: FileView) -> ToolState:
    """The CLI's provider when it has one, else the extension's; both are checked for the
    general API."""
    notes: list[str] = []
    cli = _cli_state(paths, fs, notes)
    extension = _extension_state(paths, fs, notes)
    for label, found in (("CLI", cli), ("VS Code extension", extension)):
        if found is not None:
            notes += [f"{label} {note}" for note in endpoint_notes(found.endpoint, TOOL_ID)]
    main = cli or extension or ToolState()
    if cli and extension and extension.endpoint != cli.endpoint:
        notes.append(f"the VS Code extension uses another endpoint: {extension.endpoint}")
    return ToolState(
        main.endpoint, main.model, main.key, main.provider, _mcp_names(paths, fs), tuple(notes)
    )


def log_locations(paths: Paths) -> list[Path]:
    return [sessions_dir(paths)] + [s / "tasks" for _v, s in legacy_storage_dirs(paths)]
