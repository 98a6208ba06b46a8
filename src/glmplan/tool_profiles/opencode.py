"""OpenCode: provider `zai-coding-plan` in the global config, the key in `auth.json`.

Facts (checked in the real `opencode-ai@1.18.33` binary's bundled source, and tool-facts.md
"Verified"):
- Global config dir `$XDG_CONFIG_HOME/opencode`; files merged `config.json` < `opencode.json` <
  `opencode.jsonc`, then `$OPENCODE_CONFIG` (a file path) over them, `$OPENCODE_CONFIG_CONTENT`
  last. All are parsed as JSONC. OpenCode's own config writes go to the first existing of
  `opencode.jsonc`, `opencode.json`, `config.json`; so do ours (a new file is `opencode.json`).
- Keys: `$XDG_DATA_HOME/opencode/auth.json`, `{"<provider>": {"type": "api", "key": K}}`.
- Provider ids from models.dev: `zai-coding-plan` (China `zhipuai-coding-plan`) use the coding
  endpoint; `zai` / `zhipuai` are the general API. 1.18's built-in `zai-coding-plan` list lacks
  glm-4.5, so the models are declared in the provider block (`name`, `limit{context, output}`).
- MCP: `mcp.<name>` = `{"type": "remote", url, headers, enabled}` or
  `{"type": "local", command: [...], environment, enabled}`.
- Sessions: SQLite `$XDG_DATA_HOME/opencode/opencode.db` (`$OPENCODE_DB` overrides).
"""

from __future__ import annotations

from pathlib import Path

from glmplan.installer.edits import Edit, FileSpec, Format, JSONValue, Set
from glmplan.paths import Paths
from glmplan.plan import Model, Region
from glmplan.tool_profiles import mcp
from glmplan.tool_profiles._common import (
    CODING_CHINA,
    CODING_GLOBAL,
    GENERAL_CHINA,
    GENERAL_GLOBAL,
    dig,
    endpoint_notes,
    json_str_map,
    names_at,
    prune_edits,
    read_layered,
    read_object,
    str_at,
)
from glmplan.tool_profiles.base import Detection, FileView, SetupSettings, ToolState

TOOL_ID = "opencode"
DISPLAY_NAME = "OpenCode"
PROCESS_NAMES: tuple[str, ...] = ("opencode", "opencode-cli")
SUPPORTS_MCP = True

SCHEMA_URL = "https://opencode.ai/config.json"
# The endpoint each Z.ai provider id means when no `options.baseURL` is set (models.dev).
DEFAULT_URLS: dict[str, str] = {
    "zai-coding-plan": CODING_GLOBAL,
    "zhipuai-coding-plan": CODING_CHINA,
    "zai": GENERAL_GLOBAL,
    "zhipuai": GENERAL_CHINA,
}
GLOBAL_FILES = ("config.json", "opencode.json", "opencode.jsonc")  # lowest precedence first


def config_dir(paths: Paths) -> Path:
    return paths.xdg_config / "opencode"


def data_dir(paths: Paths) -> Path:
    return paths.xdg_data / "opencode"


def auth_file(paths: Paths) -> Path:
    return data_dir(paths) / "auth.json"


def config_file(paths: Paths, fs: FileView) -> Path:
    """The file our edits go to: `$OPENCODE_CONFIG`, else the global file OpenCode writes."""
    override = paths.get("OPENCODE_CONFIG")
    if override:
        return paths.expand(override)
    for name in reversed(GLOBAL_FILES):
        if fs.exists(config_dir(paths) / name):
            return config_dir(paths) / name
    return config_dir(paths) / "opencode.json"


def provider_id(region: Region) -> str:
    return "zhipuai-coding-plan" if region is Region.CHINA else "zai-coding-plan"


def detect(paths: Paths, fs: FileView) -> Detection:
    how: list[str] = []
    binary = fs.which("opencode")
    if binary is not None:
        how.append(f"binary on PATH: {binary}")
    installer_bin = paths.home / ".opencode" / "bin" / "opencode"
    if binary is None and fs.exists(installer_bin):
        how.append(f"install script binary: {installer_bin}")
    for label, directory in (("config dir", config_dir(paths)), ("data dir", data_dir(paths))):
        if fs.is_dir(directory):
            how.append(f"{label}: {directory}")
    return Detection(TOOL_ID, bool(how), tuple(how))


def _model_block(model: Model) -> dict[str, JSONValue]:
    return {"name": model.name, "limit": {"context": model.context, "output": model.output}}


def mcp_entries(settings: SetupSettings) -> dict[str, JSONValue]:
    entries: dict[str, JSONValue] = {}
    for http in mcp.http_servers(settings):
        entries[http.name] = {
            "type": "remote",
            "url": http.url,
            "headers": json_str_map(http.headers),
            "enabled": True,
        }
    vision = mcp.vision_server(settings)
    command: list[JSONValue] = [vision.command, *vision.args]
    entries[vision.name] = {
        "type": "local",
        "command": command,
        "environment": json_str_map(vision.env),
        "enabled": True,
    }
    return entries


def _provider_edits(
    settings: SetupSettings, existing: dict[str, object] | None
) -> tuple[list[Edit], bool]:
    """Edits of `provider.<id>` and the provider lists; True when the key lands in this file."""
    pid = provider_id(settings.region)
    base = ("provider", pid)
    edits: list[Edit] = []
    for model in (settings.model, settings.fast_model):
        edits.append(Set((*base, "models", model.id), _model_block(model)))
    current_url = str_at(existing, (*base, "options", "baseURL"))
    if settings.api_base or (current_url is not None and current_url != settings.endpoints.coding):
        edits.append(Set((*base, "options", "baseURL"), settings.endpoints.coding))
    # A key the user once put in the config outranks auth.json: replace a stale one.
    current_key = str_at(existing, (*base, "options", "apiKey"))
    key_here = current_key is not None
    if key_here and current_key != settings.api_key:
        edits.append(Set((*base, "options", "apiKey"), settings.api_key, secret=True))
    disabled = dig(existing, ("disabled_providers",))
    if isinstance(disabled, list) and pid in disabled:
        edits.append(Set(("disabled_providers",), [p for p in disabled if p != pid]))
    enabled = dig(existing, ("enabled_providers",))
    if isinstance(enabled, list) and pid not in enabled:
        edits.append(Set(("enabled_providers",), [*enabled, pid]))
    return edits, key_here


def _config_spec(settings: SetupSettings, paths: Paths, fs: FileView) -> FileSpec:
    path = config_file(paths, fs)
    existing, _ = read_object(fs, path, Format.JSONC)
    pid = provider_id(settings.region)
    edits, key_here = _provider_edits(settings, existing)
    edits += [
        Set(("model",), f"{pid}/{settings.model.id}"),
        Set(("small_model",), f"{pid}/{settings.fast_model.id}"),
    ]
    if settings.mcp:
        edits += [
            Set(("mcp", name), entry, secret=True) for name, entry in mcp_entries(settings).items()
        ]
    warnings: list[str] = []
    if paths.get("OPENCODE_CONFIG_CONTENT"):
        warnings.append(
            "OPENCODE_CONFIG_CONTENT is set in your environment: OpenCode applies it over "
            f"{path}; make sure it does not set `model` or `provider`"
        )
    return FileSpec(
        path,
        Format.JSONC,
        tuple(edits),
        holds_secret=settings.mcp or key_here,
        purpose="settings (provider, models" + (", MCP servers)" if settings.mcp else ")"),
        new_file_text=f'{{\n  "$schema": "{SCHEMA_URL}"\n}}\n',
        warnings=tuple(warnings),
    )


def _auth_spec(settings: SetupSettings, paths: Paths, fs: FileView) -> FileSpec:
    pid = provider_id(settings.region)
    existing, _ = read_object(fs, auth_file(paths), Format.JSON)
    # An OAuth entry of the same id would keep its refresh/access fields: drop them.
    edits: list[Edit] = prune_edits(existing, (pid,), ("type", "key"))
    edits.append(Set((pid,), {"type": "api", "key": settings.api_key}, secret=True))
    return FileSpec(
        auth_file(paths), Format.JSON, tuple(edits), holds_secret=True, purpose="credentials"
    )


def plan(settings: SetupSettings, paths: Paths, fs: FileView) -> list[FileSpec]:
    return [_config_spec(settings, paths, fs), _auth_spec(settings, paths, fs)]


def _merged_config(paths: Paths, fs: FileView) -> tuple[dict[str, object], list[str]]:
    files = [config_dir(paths) / name for name in GLOBAL_FILES]
    override = paths.get("OPENCODE_CONFIG")
    if override:
        files.append(paths.expand(override))
    return read_layered(fs, files, Format.JSONC)


def inspect(paths: Paths, fs: FileView) -> ToolState:
    config, notes = _merged_config(paths, fs)
    auth, problem = read_object(fs, auth_file(paths), Format.JSON)
    if problem:
        notes.append(problem)
    model_ref = str_at(config, ("model",))
    provider, _, model = model_ref.partition("/") if model_ref else (None, "", None)
    endpoint = key = None
    if provider:
        options = ("provider", provider, "options")
        endpoint = str_at(config, (*options, "baseURL")) or DEFAULT_URLS.get(provider)
        key = str_at(config, (*options, "apiKey")) or str_at(auth, (provider, "key"))
    else:
        notes.append("no `model` set in the global config")
    notes += endpoint_notes(endpoint, TOOL_ID)
    servers = names_at(config, ("mcp",))
    return ToolState(endpoint, model or None, key, provider, servers, tuple(notes))


def log_locations(paths: Paths) -> list[Path]:
    locations = [data_dir(paths)]
    override = paths.get("OPENCODE_DB")
    if override and Path(override).is_absolute() and Path(override).parent not in locations:
        locations.append(Path(override).parent)
    return locations
