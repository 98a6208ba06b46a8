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


FLAVOUR = _roo_format.Flavour(TOOL_ID, DISPLAY_NAME, EXTENSION_ID, SETTING_PREFIX)


def import_file(paths: Paths) -> Path:
    return paths.config_dir / "roo-code-profile.json"


def detect(paths: Paths, fs: FileView) -> Detection:
    how = [
        f"extension folder ({item.variant}): {item.folder}"
        for item in _vscode.find_installed(paths, fs, EXTENSION_ID)
    ]
    return Detection(TOOL_ID, bool(how), tuple(how))


def plan(settings: SetupSettings, paths: Paths, fs: FileView) -> list[FileSpec]:
    variants = _vscode.target_variants(_vscode.find_installed(paths, fs, EXTENSION_ID))
    return _roo_format.plan_specs(FLAVOUR, settings, paths, fs, import_file(paths), variants)


def inspect(paths: Paths, fs: FileView) -> ToolState:
    installed = [item.variant for item in _vscode.find_installed(paths, fs, EXTENSION_ID)]
    variants = installed or [variant for variant, _ in paths.vscode_user_dirs()]
    return _roo_format.state(FLAVOUR, paths, fs, variants)


def log_locations(paths: Paths) -> list[Path]:
    return _roo_format.task_dirs(FLAVOUR, paths)
