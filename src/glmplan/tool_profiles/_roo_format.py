"""The Roo-style files shared by Roo Code and legacy Kilo Code (a Roo fork).

- The import file named by the VS Code setting `<prefix>.autoImportSettingsPath`, read on every
  activation (Roo `src/utils/autoImportSettings.ts`; `~/` and relative paths resolve from the home
  directory): `{"providerProfiles": {currentApiConfigName, apiConfigs, modeApiConfigs},
  "globalSettings": {}}`. Imported profiles are merged over the existing ones and the current one
  is activated (`src/core/config/importExport.ts`). Fields per npm `@roo-code/types` 1.115.0.
- `<storage>/settings/mcp_settings.json`: `mcpServers`, HTTP servers as `streamable-http`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from glmplan.installer.edits import Delete, Edit, FileSpec, Format, JSONValue, Set
from glmplan.paths import Paths
from glmplan.plan import CODING_PATH, GENERAL_PATH, HOSTS, Region
from glmplan.tool_profiles import mcp
from glmplan.tool_profiles._common import dig, endpoint_notes
from glmplan.tool_profiles._vscode import global_storage, read_data, settings_file, storage_dir
from glmplan.tool_profiles.base import FileView, SetupSettings, ToolState

PROFILE_NAME = "GLM Coding Plan (glmplan)"
PROFILE_ID = "glmplan-glm-coding-plan"
# Roo's built-in mode slugs; each is pointed at our profile so that switching modes keeps GLM.
MODES = ("code", "architect", "ask", "debug", "orchestrator")

# Roo's `zaiApiLine` values and the URL each one means (@roo-code/types `zaiApiLineConfigs`).
ZAI_LINES: dict[str, str] = {
    "international_coding": HOSTS[Region.GLOBAL] + CODING_PATH,
    "china_coding": HOSTS[Region.CHINA] + CODING_PATH,
    "international_api": HOSTS[Region.GLOBAL] + GENERAL_PATH,
    "china_api": HOSTS[Region.CHINA] + GENERAL_PATH,
}


def import_profile(settings: SetupSettings) -> dict[str, JSONValue]:
    """One provider profile: Roo's `zai` provider on a coding line, or OpenAI-compatible."""
    profile: dict[str, JSONValue] = {"id": PROFILE_ID}
    if settings.api_base:
        profile |= {
            "apiProvider": "openai",
            "openAiBaseUrl": settings.endpoints.coding,
            "openAiApiKey": settings.api_key,
            "openAiModelId": settings.model.id,
            "openAiCustomModelInfo": {
                "contextWindow": settings.model.context,
                "maxTokens": settings.model.output,
                "supportsImages": False,
                "supportsPromptCache": False,
            },
        }
    else:
        line = "china_coding" if settings.region is Region.CHINA else "international_coding"
        profile |= {
            "apiProvider": "zai",
            "zaiApiLine": line,
            "zaiApiKey": settings.api_key,
            "apiModelId": settings.model.id,
        }
    return profile


def import_document(settings: SetupSettings) -> dict[str, JSONValue]:
    modes: dict[str, JSONValue] = dict.fromkeys(MODES, PROFILE_ID)
    return {
        "providerProfiles": {
            "currentApiConfigName": PROFILE_NAME,
            "apiConfigs": {PROFILE_NAME: import_profile(settings)},
            "modeApiConfigs": modes,
        },
        "globalSettings": {},
    }


def import_file_spec(settings: SetupSettings, fs: FileView, path: Path, tool: str) -> FileSpec:
    """The glmplan-owned import file; stale fields of an earlier run (other provider) go."""
    document = import_document(settings)
    profile_path = ("providerProfiles", "apiConfigs", PROFILE_NAME)
    profile = import_profile(settings)
    edits: list[Edit] = []
    old_profile = dig(read_data(fs, path, Format.JSON), profile_path)
    if isinstance(old_profile, dict):
        edits += [Delete((*profile_path, str(k))) for k in old_profile if k not in profile]
    edits += [Set((key,), value, secret=True) for key, value in document.items()]
    return FileSpec(
        path,
        Format.JSON,
        tuple(edits),
        holds_secret=True,
        purpose=f"{tool} provider profile to import (read by the extension at start-up)",
    )


def settings_spec(paths: Paths, fs: FileView, variant: str, key: str, value: str) -> FileSpec:
    path = settings_file(paths, variant)
    current = dig(read_data(fs, path, Format.JSONC), (key,))
    warnings: tuple[str, ...] = ()
    if isinstance(current, str) and current.strip() and current != value:
        warnings = (f"{path}: {key} pointed at {current}; it now points at glmplan's file",)
    return FileSpec(
        path,
        Format.JSONC,
        (Set((key,), value),),
        purpose=f"{variant} user settings ({key})",
        warnings=warnings,
    )


def mcp_servers(settings: SetupSettings) -> dict[str, JSONValue]:
    """Z.ai's MCP servers in Roo's `mcp_settings.json` shape (McpHub: `streamable-http`)."""
    return mcp.server_entries(settings, "streamable-http")


def mcp_spec(settings: SetupSettings, path: Path, variant: str) -> FileSpec:
    edits = tuple(
        Set(("mcpServers", name), server, secret=True)
        for name, server in mcp_servers(settings).items()
    )
    return FileSpec(path, Format.JSON, edits, holds_secret=True, purpose=f"MCP servers ({variant})")


# -- reading back what the extension will use (for inspect) ---------------------------------------


@dataclass(frozen=True)
class ImportedProfile:
    """The current profile of an import file, as far as it can be read."""

    source: Path
    provider: str | None
    endpoint: str | None
    model: str | None
    key: str | None
    line: str | None


def _str(data: dict[str, object], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def resolve_import_path(paths: Paths, raw: str) -> Path:
    """Roo's rule: `~/` and relative paths are taken from the home directory."""
    if raw.startswith("~/"):
        return paths.home / raw[2:]
    candidate = Path(raw)
    return candidate if candidate.is_absolute() else paths.home / candidate


def read_import(paths: Paths, fs: FileView, variant: str, key: str) -> ImportedProfile | None:
    """The profile the import file named by `key` in `variant`'s settings would activate."""
    data = read_data(fs, settings_file(paths, variant), Format.JSONC)
    raw = data.get(key) if isinstance(data, dict) else None
    if not isinstance(raw, str) or not raw.strip():
        return None
    source = resolve_import_path(paths, raw.strip())
    document = read_data(fs, source, Format.JSON)
    profiles = document.get("providerProfiles") if isinstance(document, dict) else None
    if not isinstance(profiles, dict) or not isinstance(profiles.get("apiConfigs"), dict):
        return ImportedProfile(source, None, None, None, None, None)
    configs: dict[str, object] = profiles["apiConfigs"]
    name = profiles.get("currentApiConfigName")
    chosen = configs.get(name) if isinstance(name, str) else None
    if not isinstance(chosen, dict):  # Roo falls back to the first profile
        chosen = next((c for c in configs.values() if isinstance(c, dict)), {})
    return _profile_state(source, chosen)


def _profile_state(source: Path, profile: dict[str, object]) -> ImportedProfile:
    provider = _str(profile, "apiProvider")
    if provider == "zai":
        line = _str(profile, "zaiApiLine") or "international_coding"
        return ImportedProfile(
            source,
            provider,
            ZAI_LINES.get(line),
            _str(profile, "apiModelId"),
            _str(profile, "zaiApiKey"),
            line,
        )
    if provider == "openai":
        return ImportedProfile(
            source,
            provider,
            _str(profile, "openAiBaseUrl"),
            _str(profile, "openAiModelId"),
            _str(profile, "openAiApiKey"),
            None,
        )
    return ImportedProfile(source, provider, None, _str(profile, "apiModelId"), None, None)


def mcp_names(fs: FileView, path: Path) -> tuple[str, ...]:
    data = read_data(fs, path, Format.JSON)
    servers = data.get("mcpServers") if isinstance(data, dict) else None
    return tuple(str(name) for name in servers) if isinstance(servers, dict) else ()


def imported_state(profile: ImportedProfile, servers: tuple[str, ...], tool: str) -> ToolState:
    """What an import file (Roo's or legacy Kilo's) sets, with the general API flagged."""
    notes = [f"provider profile from {profile.source}"]
    if profile.provider is None:
        notes.append(f"{profile.source} is missing or has no provider profile")
    if profile.line in ("international_api", "china_api"):
        notes.append(f"zaiApiLine {profile.line!r} is Z.ai's general API, not a coding line")
    notes += endpoint_notes(profile.endpoint, tool)
    return ToolState(
        endpoint=profile.endpoint,
        model=profile.model,
        key=profile.key,
        provider=profile.provider,
        mcp_servers=servers,
        notes=tuple(notes),
    )


# -- one Roo-style extension (Roo Code, legacy Kilo Code) -----------------------------------------


@dataclass(frozen=True)
class Flavour:
    tool: str  # glmplan's tool id
    display: str
    extension_id: str
    setting_prefix: str  # `roo-cline`, `kilo-code`

    @property
    def import_setting(self) -> str:
        return f"{self.setting_prefix}.autoImportSettingsPath"

    def storage(self, paths: Paths, fs: FileView, variant: str) -> Path:
        return storage_dir(paths, fs, variant, self.extension_id, self.setting_prefix)

    def mcp_file(self, paths: Paths, fs: FileView, variant: str) -> Path:
        return self.storage(paths, fs, variant) / "settings" / "mcp_settings.json"


def plan_specs(
    flavour: Flavour,
    settings: SetupSettings,
    paths: Paths,
    fs: FileView,
    import_path: Path,
    variants: list[str],
) -> list[FileSpec]:
    """The import file, and per variant the setting pointing at it (and the MCP file)."""
    specs = [import_file_spec(settings, fs, import_path, flavour.display)]
    for variant in variants:
        specs.append(settings_spec(paths, fs, variant, flavour.import_setting, str(import_path)))
        if settings.mcp:
            specs.append(mcp_spec(settings, flavour.mcp_file(paths, fs, variant), variant))
    return specs


def state(flavour: Flavour, paths: Paths, fs: FileView, variants: list[str]) -> ToolState:
    """The first variant's imported profile, and the MCP servers of all of them."""
    servers: list[str] = []
    for variant in variants:
        found = mcp_names(fs, flavour.mcp_file(paths, fs, variant))
        servers += [name for name in found if name not in servers]
    for variant in variants:
        profile = read_import(paths, fs, variant, flavour.import_setting)
        if profile is not None:
            return imported_state(profile, tuple(servers), flavour.tool)
    note = (
        f"no {flavour.import_setting} set; {flavour.display}'s own profiles "
        "(VS Code SecretStorage) cannot be read"
    )
    return ToolState(mcp_servers=tuple(servers), notes=(note,))


def task_dirs(flavour: Flavour, paths: Paths) -> list[Path]:
    return [
        global_storage(paths, variant, flavour.extension_id) / "tasks"
        for variant, _ in paths.vscode_user_dirs()
    ]
