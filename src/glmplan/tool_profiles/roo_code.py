"""Roo Code (VS Code extension `RooVeterinaryInc.roo-cline`; archived upstream, format frozen).

Roo keeps its provider profiles in VS Code SecretStorage, which no other program can write. The
supported way in is the import file: glmplan writes a profile in Roo's export format to
`<glmplan config dir>/roo-code-profile.json` (0600, owned by glmplan, so restore deletes it) and
points `roo-cline.autoImportSettingsPath` at it in the user `settings.json` of every VS Code
variant that has the extension. Roo imports it on each start and activates the profile.

Facts, checked in RooCodeInc/Roo-Code (`src/utils/autoImportSettings.ts`,
`src/core/config/importExport.ts`) and npm `@roo-code/types` 1.115.0 (`zaiSchema`,
`openAiSchema`, `zaiApiLineConfigs`): `apiProvider: "zai"` with `zaiApiLine` `international_coding`
/ `china_coding` is the Coding Plan; `international_api` / `china_api` are the general API (billed
separately). With `--api-base`, the OpenAI-compatible provider (`apiProvider: "openai"`,
`openAiBaseUrl`, `openAiApiKey`, `openAiModelId`, `openAiCustomModelInfo`) is used instead, since
the `zai` provider has fixed URLs. MCP servers go in `<storage>/settings/mcp_settings.json`, where
`<storage>` is the extension's globalStorage folder or `roo-cline.customStoragePath`.
"""

from __future__ import annotations

from pathlib import Path

from glmplan.installer.edits import FileSpec
from glmplan.paths import Paths
from glmplan.tool_profiles import _roo_format, _vscode
from glmplan.tool_profiles.base import Detection, FileView, SetupSettings, ToolState

TOOL_ID = "roo-code"
DISPLAY_NAME = "Roo Code"
PROCESS_NAMES: tuple[str, ...] = ()  # runs inside VS Code; there is no binary of its own
SUPPORTS_MCP = True

EXTENSION_ID = "rooveterinaryinc.roo-cline"
SETTING_PREFIX = "roo-cline"
IMPORT_SETTING = f"{SETTING_PREFIX}.autoImportSettingsPath"


def import_file(paths: Paths) -> Path:
    return paths.config_dir / "roo-code-profile.json"


def _storage(paths: Paths, fs: FileView, variant: str) -> Path:
    return _vscode.storage_dir(paths, fs, variant, EXTENSION_ID, SETTING_PREFIX)


def detect(paths: Paths, fs: FileView) -> Detection:
    how = [
        f"extension folder ({item.variant}): {item.folder}"
        for item in _vscode.find_installed(paths, fs, EXTENSION_ID)
    ]
    return Detection(TOOL_ID, bool(how), tuple(how))


def plan(settings: SetupSettings, paths: Paths, fs: FileView) -> list[FileSpec]:
    installed = _vscode.find_installed(paths, fs, EXTENSION_ID)
    target = import_file(paths)
    specs = [_roo_format.import_file_spec(settings, fs, target, DISPLAY_NAME)]
    for variant in _vscode.target_variants(installed):
        specs.append(_roo_format.settings_spec(paths, variant, IMPORT_SETTING, str(target)))
        if settings.mcp:
            mcp_file = _storage(paths, fs, variant) / "settings" / "mcp_settings.json"
            specs.append(_roo_format.mcp_spec(settings, mcp_file, variant))
    return specs


def _variants_to_read(paths: Paths, fs: FileView) -> list[str]:
    installed = [item.variant for item in _vscode.find_installed(paths, fs, EXTENSION_ID)]
    return installed or [variant for variant, _ in paths.vscode_user_dirs()]


def inspect(paths: Paths, fs: FileView) -> ToolState:
    variants = _variants_to_read(paths, fs)
    servers: list[str] = []
    for variant in variants:
        mcp_file = _storage(paths, fs, variant) / "settings" / "mcp_settings.json"
        servers += [name for name in _roo_format.mcp_names(fs, mcp_file) if name not in servers]
    for variant in variants:
        profile = _roo_format.read_import(paths, fs, variant, IMPORT_SETTING)
        if profile is not None:
            return _roo_format.imported_state(profile, tuple(servers))
    note = "no import file configured; Roo's own profiles (VS Code SecretStorage) are unreadable"
    return ToolState(mcp_servers=tuple(servers), notes=(note,))


def log_locations(paths: Paths) -> list[Path]:
    return [
        _vscode.global_storage(paths, variant, EXTENSION_ID) / "tasks"
        for variant, _ in paths.vscode_user_dirs()
    ]
