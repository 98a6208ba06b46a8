"""Kilo Code (VS Code extension `kilocode.kilo-code`, CLI `kilo`): two generations.

The generation comes from the extension folder's `package.json` version (a `bin/kilo` in the
folder also means 7.x); the `kilo` CLI, or no extension at all, means the current generation.

Current (>= 7, an OpenCode fork; the extension runs the bundled `kilo` backend, sharing its files)
[kilo-cline-claude.md §1, K73/K779]:
- key: `$XDG_DATA_HOME/kilo/auth.json` `{"zai-coding-plan": {"type": "api", "key": K}}` (0600;
  7.7+ re-imports it into its database at start). China: `zhipuai-coding-plan`.
- config: `$XDG_CONFIG_HOME/kilo/`, merged `config.json` < `kilo.json` < `kilo.jsonc` <
  `opencode.json` < `opencode.jsonc`; Kilo's UI edits the first that exists of `kilo.jsonc,
  kilo.json, opencode.jsonc, opencode.json, config.json`, and so do we (else we create
  `kilo.jsonc`). We set `model` / `small_model`, declare the models under
  `provider.<id>.models` (`options.baseURL` with `--api-base`), take the id out of
  `disabled_providers` (and add it to `enabled_providers` when that list exists).
- `KILO_CONFIG` names an extra file loaded after the global ones, and `KILO_CONFIG_CONTENT` inline
  JSON loaded last. They may exist only in some shells, so we do not edit them: we warn when one
  of them (or a higher-precedence global file) sets another model. `KILO_AUTH_CONTENT` replaces
  `auth.json` entirely: we warn too.
- Kilo 7's migration maps legacy `apiProvider: "zai"` to the `zai` provider, the general API
  (billed separately) whatever `zaiApiLine` said; setting `model` moves such users back to the plan.
- MCP: `mcp.<name>` in the same config file (`remote` with `url`/`headers`, `local` with
  `command`/`environment`).

Legacy (<= 5.x, a Roo fork): the Roo-style import file (`kilo-code.autoImportSettingsPath`) and
`<globalStorage>/kilocode.kilo-code/settings/mcp_settings.json`, as for Roo Code.
"""

from __future__ import annotations

from pathlib import Path

from glmplan.installer.edits import Edit, FileSpec, Format, Set
from glmplan.paths import Paths
from glmplan.plan import CODING_PATH, GENERAL_PATH, HOSTS, Region
from glmplan.tool_profiles import _roo_format, _vscode
from glmplan.tool_profiles._common import (
    dig,
    endpoint_notes,
    names_at,
    prune_edits,
    read_layered,
    read_object,
    str_at,
)
from glmplan.tool_profiles.base import Detection, FileView, SetupSettings, ToolState
from glmplan.tool_profiles.opencode import mcp_entries as opencode_mcp_entries  # Kilo 7 forks it

TOOL_ID = "kilo-code"
DISPLAY_NAME = "Kilo Code"
PROCESS_NAMES: tuple[str, ...] = ("kilo",)  # the 7.x extension runs `bin/kilo` too
SUPPORTS_MCP = True

EXTENSION_ID = "kilocode.kilo-code"
SETTING_PREFIX = "kilo-code"
LEGACY = _roo_format.Flavour(TOOL_ID, f"{DISPLAY_NAME} (legacy)", EXTENSION_ID, SETTING_PREFIX)
FIRST_CURRENT_MAJOR = 7

MERGE_ORDER = ("config.json", "kilo.json", "kilo.jsonc", "opencode.json", "opencode.jsonc")
UI_ORDER = ("kilo.jsonc", "kilo.json", "opencode.jsonc", "opencode.json", "config.json")

PROVIDER_URLS: dict[str, str] = {
    "zai-coding-plan": HOSTS[Region.GLOBAL] + CODING_PATH,
    "zhipuai-coding-plan": HOSTS[Region.CHINA] + CODING_PATH,
    "zai": HOSTS[Region.GLOBAL] + GENERAL_PATH,
    "zhipuai": HOSTS[Region.CHINA] + GENERAL_PATH,
}
GENERAL_PROVIDERS = ("zai", "zhipuai")
SCHEMA_URL = "https://app.kilo.ai/config.json"  # what Kilo itself stamps into its config


def config_dir(paths: Paths) -> Path:
    return paths.xdg_config / "kilo"


def data_dir(paths: Paths) -> Path:
    return paths.xdg_data / "kilo"


def auth_file(paths: Paths) -> Path:
    return data_dir(paths) / "auth.json"


def legacy_import_file(paths: Paths) -> Path:
    return paths.config_dir / "kilo-code-profile.json"


def target_config(paths: Paths, fs: FileView) -> Path:
    """The file Kilo's own UI would edit."""
    for name in UI_ORDER:
        if fs.exists(config_dir(paths) / name):
            return config_dir(paths) / name
    return config_dir(paths) / "kilo.jsonc"


def provider_id(settings: SetupSettings) -> str:
    return "zhipuai-coding-plan" if settings.region is Region.CHINA else "zai-coding-plan"


def is_current(item: _vscode.Installed, fs: FileView) -> bool:
    if item.major >= FIRST_CURRENT_MAJOR:
        return True
    return any(fs.exists(item.folder / "bin" / exe) for exe in ("kilo", "kilo.exe"))


def detect(paths: Paths, fs: FileView) -> Detection:
    how: list[str] = []
    binary = fs.which("kilo")
    if binary is not None:
        how.append(f"binary on PATH: {binary}")
    for item in _vscode.find_installed(paths, fs, EXTENSION_ID):
        generation = "7.x" if is_current(item, fs) else "legacy"
        how.append(f"extension folder ({item.variant}, {generation} {item.version}): {item.folder}")
    for directory in (config_dir(paths), data_dir(paths)):
        if fs.is_dir(directory):
            how.append(f"config dir: {directory}")
    return Detection(TOOL_ID, bool(how), tuple(how))


def plan(settings: SetupSettings, paths: Paths, fs: FileView) -> list[FileSpec]:
    installed = _vscode.find_installed(paths, fs, EXTENSION_ID)
    legacy = [item for item in installed if not is_current(item, fs)]
    current = (
        len(legacy) < len(installed)
        or fs.which("kilo") is not None
        or fs.is_dir(config_dir(paths))
        or not legacy
    )
    specs: list[FileSpec] = []
    if current:
        specs += [_auth_spec(settings, paths, fs), _config_spec(settings, paths, fs)]
    if legacy:
        variants = [item.variant for item in legacy]
        target = legacy_import_file(paths)
        specs += _roo_format.plan_specs(LEGACY, settings, paths, fs, target, variants)
    return specs


# -- current generation ---------------------------------------------------------------------------


def _auth_spec(settings: SetupSettings, paths: Paths, fs: FileView) -> FileSpec:
    pid = provider_id(settings)
    existing, _ = read_object(fs, auth_file(paths), Format.JSON)
    # An OAuth entry of the same id would keep its refresh/access fields: drop them.
    edits: list[Edit] = prune_edits(existing, (pid,), ("type", "key", "metadata"))
    edits.append(Set((pid,), {"type": "api", "key": settings.api_key}, secret=True))
    warnings: tuple[str, ...] = ()
    if paths.get("KILO_AUTH_CONTENT"):
        warnings = ("KILO_AUTH_CONTENT is set in your environment: Kilo ignores auth.json then",)
    return FileSpec(
        auth_file(paths),
        Format.JSON,
        tuple(edits),
        holds_secret=True,
        purpose="credentials",
        warnings=warnings,
    )


def _provider_edits(settings: SetupSettings, data: object) -> list[Edit]:
    """`provider.<id>` (declared models, baseURL, a stale inline key) and the provider lists."""
    pid = provider_id(settings)
    base = ("provider", pid)
    edits: list[Edit] = [
        Set(
            (*base, "models", m.id),
            {"name": m.name, "limit": {"context": m.context, "output": m.output}},
        )
        for m in (settings.model, settings.fast_model)
    ]
    current_url = str_at(data, (*base, "options", "baseURL"))
    if settings.api_base or (current_url is not None and current_url != settings.endpoints.coding):
        edits.append(Set((*base, "options", "baseURL"), settings.endpoints.coding))
    current_key = str_at(data, (*base, "options", "apiKey"))  # outranks auth.json
    if current_key is not None and current_key != settings.api_key:
        edits.append(Set((*base, "options", "apiKey"), settings.api_key, secret=True))
    disabled = dig(data, ("disabled_providers",))
    if isinstance(disabled, list) and pid in disabled:
        edits.append(Set(("disabled_providers",), [p for p in disabled if p != pid]))
    enabled = dig(data, ("enabled_providers",))
    if isinstance(enabled, list) and pid not in enabled:
        edits.append(Set(("enabled_providers",), [*enabled, pid]))
    return edits


def _config_spec(settings: SetupSettings, paths: Paths, fs: FileView) -> FileSpec:
    pid = provider_id(settings)
    target = target_config(paths, fs)
    data, _ = read_object(fs, target, Format.JSONC)
    model = f"{pid}/{settings.model.id}"
    edits: list[Edit] = [
        Set(("model",), model),
        Set(("small_model",), f"{pid}/{settings.fast_model.id}"),
        *_provider_edits(settings, data),
    ]
    if settings.mcp:
        edits += [
            Set(("mcp", name), entry, secret=True)
            for name, entry in opencode_mcp_entries(settings).items()
        ]
    warnings = _override_warnings(paths, fs, target, model)
    if _migrated_to_general(data):
        warnings.append(
            f"{target} used Kilo's `zai` provider (the general API, billed separately), "
            f"probably from Kilo 7's migration: switched the model to {pid}"
        )
    return FileSpec(
        target,
        Format.JSONC,
        tuple(edits),
        holds_secret=settings.mcp
        or str_at(data, ("provider", pid, "options", "apiKey")) is not None,
        purpose="settings (model, provider" + (", MCP servers)" if settings.mcp else ")"),
        new_file_text=f'{{\n  "$schema": "{SCHEMA_URL}"\n}}\n',
        warnings=tuple(warnings),
    )


def _override_warnings(paths: Paths, fs: FileView, target: Path, model: str) -> list[str]:
    """Files Kilo loads after `target` that set another model would win over our edit."""
    later = [config_dir(paths) / n for n in MERGE_ORDER[MERGE_ORDER.index(target.name) + 1 :]]
    later += _env_config_files(paths)
    warnings = []
    for path in later:
        theirs = str_at(read_object(fs, path, Format.JSONC)[0], ("model",))
        if theirs is not None and theirs != model:
            warnings.append(f"{path} sets model {theirs!r}, which overrides {target}")
    if paths.get("KILO_CONFIG_CONTENT"):
        warnings.append("KILO_CONFIG_CONTENT is set: its settings override the config files")
    return warnings


def _env_config_files(paths: Paths) -> list[Path]:
    """Config files Kilo loads after the global ones because of KILO_CONFIG / KILO_CONFIG_DIR."""
    files: list[Path] = []
    extra = paths.get("KILO_CONFIG")
    if extra:
        files.append(paths.expand(extra))
    directory = paths.get("KILO_CONFIG_DIR")
    if directory:
        files += [paths.expand(directory) / name for name in MERGE_ORDER[1:]]
    return files


def _migrated_to_general(data: object) -> bool:
    """The model is on `zai`/`zhipuai`, where Kilo 7's migration puts legacy Z.ai users."""
    model = str_at(data, ("model",))
    return model is not None and model.split("/", 1)[0] in GENERAL_PROVIDERS


# -- legacy generation ----------------------------------------------------------------------------


# -- inspect and logs -----------------------------------------------------------------------------


def _merged_config(paths: Paths, fs: FileView) -> tuple[dict[str, object], list[str]]:
    files = [config_dir(paths) / name for name in MERGE_ORDER] + _env_config_files(paths)
    return read_layered(fs, files, Format.JSONC)


def _current_state(paths: Paths, fs: FileView) -> ToolState:
    config, notes = _merged_config(paths, fs)
    auth, _ = read_object(fs, auth_file(paths), Format.JSON)
    model = str_at(config, ("model",))
    pid = model.split("/", 1)[0] if model else ""
    options = ("provider", pid, "options")
    endpoint = str_at(config, (*options, "baseURL")) or PROVIDER_URLS.get(pid)
    key = str_at(config, (*options, "apiKey")) or str_at(auth, (pid, "key"))
    notes += endpoint_notes(endpoint, TOOL_ID)
    if pid not in GENERAL_PROVIDERS and any(dig(auth, (p,)) for p in GENERAL_PROVIDERS):
        notes.append("auth.json keeps a general-API `zai` key (from Kilo 7's migration); unused")
    return ToolState(endpoint, model, key, pid or None, names_at(config, ("mcp",)), tuple(notes))


def inspect(paths: Paths, fs: FileView) -> ToolState:
    installed = _vscode.find_installed(paths, fs, EXTENSION_ID)
    legacy = [item.variant for item in installed if not is_current(item, fs)]
    if legacy and len(legacy) == len(installed) and fs.which("kilo") is None:
        return _roo_format.state(LEGACY, paths, fs, legacy)
    return _current_state(paths, fs)


def log_locations(paths: Paths) -> list[Path]:
    """7.x: `kilo.db` (OpenCode schema) in the data dir; legacy: globalStorage task folders."""
    return [data_dir(paths), *_roo_format.task_dirs(LEGACY, paths)]
