"""Crush: the data-dir `crush.json` Crush itself writes (provider `zai`, models, MCP servers).

Facts (charmbracelet/crush@37f36e93, `schema.json` and `internal/config/{load,store,resolve}.go`;
catwalk `internal/providers/configs/zai.json`@021b34d3):
- Load order, later wins: `/etc/crush/crush.json`, `$CRUSH_GLOBAL_CONFIG/crush.json` (else
  `$XDG_CONFIG_HOME` or `~/.config` + `/crush/crush.json`), `crushrc` in that same directory, the
  data-dir `crush.json` (`$CRUSH_GLOBAL_DATA`, else `$XDG_DATA_HOME/crush`, else
  `~/.local/share/crush`, Windows `%LOCALAPPDATA%\\crush`), then project files. No crushrc is ever
  run from the data dir. The TUI saves keys and model picks to the data-dir file (mode 0600).
- `providers.zai` merges with catwalk's built-in `zai` (OpenAI-compatible, coding endpoint by
  default); ours win for `api_key`, `base_url`, `models` (prepended). `api_key`, `base_url`,
  headers and MCP `env`/`headers`/`url` are shell-expanded; a value without any of `$`\\`'"\\`
  is taken literally (the expander's fast path).
- `models.large|small` = `{provider, model}` (both required); an id the provider does not list is
  replaced by the default, and the replacement is saved.
- MCP `type` is required: `http` needs `url`, `stdio` needs `command`.
- `projects.json` in the data dir lists every project's data dir (each has `crush.db`).
"""

from __future__ import annotations

import re
from pathlib import Path

from glmplan.errors import UsageError
from glmplan.installer.edits import Edit, FileSpec, Format, JSONValue, Set
from glmplan.paths import Paths
from glmplan.plan import Model
from glmplan.tool_profiles import mcp
from glmplan.tool_profiles._common import (
    CODING_GLOBAL,
    dig,
    endpoint_notes,
    names_at,
    prune_edits,
    read_layered,
    read_object,
    str_at,
)
from glmplan.tool_profiles.base import Detection, FileView, SetupSettings, ToolState

TOOL_ID = "crush"
DISPLAY_NAME = "Crush"
PROCESS_NAMES: tuple[str, ...] = ("crush",)
SUPPORTS_MCP = True

PROVIDER = "zai"
SCHEMA_URL = "https://charm.land/crush.json"
# catwalk's `zai` model ids (zai.json@021b34d3); others must be declared or Crush resets them.
KNOWN_MODELS = frozenset(
    {
        "glm-5.3-flash",
        "glm-5.3",
        "glm-5.2",
        "glm-5.1",
        "glm-5-turbo",
        "glm-5",
        "glm-4.7",
        "glm-4.7-flash",
        "glm-4.6",
        "glm-4.6v",
        "glm-4.5",
        "glm-4.5-air",
        "glm-4.5v",
    }
)
SHELL_SPECIAL = "$`\\'\""
_RC_SETS_MODELS = re.compile(r"^\s*(provider|model)\s", re.MULTILINE)


def config_dir(paths: Paths) -> Path:
    override = paths.get("CRUSH_GLOBAL_CONFIG")
    return paths.expand(override) if override else paths.xdg_config / "crush"


def data_dir(paths: Paths) -> Path:
    override = paths.get("CRUSH_GLOBAL_DATA")
    if override:
        return paths.expand(override)
    if paths.get("XDG_DATA_HOME") or not paths.platform.startswith("win"):
        return paths.xdg_data / "crush"
    local = paths.get("LOCALAPPDATA")
    return (Path(local) if local else paths.home / "AppData" / "Local") / "crush"


def data_file(paths: Paths) -> Path:
    return data_dir(paths) / "crush.json"


def detect(paths: Paths, fs: FileView) -> Detection:
    how: list[str] = []
    binary = fs.which("crush")
    if binary is not None:
        how.append(f"binary on PATH: {binary}")
    for label, directory in (("config dir", config_dir(paths)), ("data dir", data_dir(paths))):
        if fs.is_dir(directory):
            how.append(f"{label}: {directory}")
    return Detection(TOOL_ID, bool(how), tuple(how))


def _check_literal(key: str) -> None:
    if any(char in key for char in SHELL_SPECIAL):
        raise UsageError(
            "Crush shell-expands api_key and MCP headers, and this API key contains one of "
            f"{SHELL_SPECIAL!r}, so it would be mangled. Check the key, or run setup with "
            "--skip crush"
        )


def _selected_model_edits(existing: object, kind: str, model: Model) -> list[Edit]:
    path = ("models", kind)
    current = dig(existing, path)
    same = str_at(current, ("provider",)) == PROVIDER and str_at(current, ("model",)) == model.id
    # Options such as max_tokens belonged to the model being replaced; Crush replaces them too.
    edits: list[Edit] = [] if same else prune_edits(existing, path, ("provider", "model"))
    edits.append(Set(path, {"provider": PROVIDER, "model": model.id}))
    return edits


def _model_entry(model: Model) -> dict[str, JSONValue]:
    """A catwalk model; schema.json requires every field below (costs are 0: a flat-rate plan)."""
    costs: dict[str, JSONValue] = dict.fromkeys(
        ("cost_per_1m_in", "cost_per_1m_out", "cost_per_1m_in_cached", "cost_per_1m_out_cached"),
        0,
    )
    return {
        "id": model.id,
        "name": model.name,
        **costs,
        "context_window": model.context,
        "default_max_tokens": model.output,
        "can_reason": True,
        "supports_attachments": False,
    }


def _declared_models(settings: SetupSettings, existing: object) -> tuple[list[Edit], list[str]]:
    """Declare models catwalk does not list (else Crush silently swaps them for its default)."""
    unknown = {m.id: m for m in (settings.model, settings.fast_model) if m.id not in KNOWN_MODELS}
    if not unknown:
        return [], []
    current = dig(existing, ("providers", PROVIDER, "models"))
    listed: list[JSONValue] = list(current) if isinstance(current, list) else []
    have = {str_at(entry, ("id",)) for entry in listed}
    for model in unknown.values():
        if model.id not in have:
            listed.append(_model_entry(model))
    warning = (
        f"Crush's built-in Z.ai list does not know {', '.join(sorted(unknown))}: glmplan "
        "declares it in providers.zai.models; if Crush still resets the model, pick one it lists"
    )
    return [Set(("providers", PROVIDER, "models"), listed)], [warning]


def _mcp_entries(settings: SetupSettings) -> dict[str, JSONValue]:
    return mcp.server_entries(settings, "http")


def _crushrc_warnings(paths: Paths, fs: FileView) -> list[str]:
    rc = config_dir(paths) / "crushrc"
    text = fs.read_text(rc)
    if text is None or not _RC_SETS_MODELS.search(text):
        return []
    return [
        f"{rc} also sets providers or models; the data-dir crush.json glmplan edits is loaded "
        "after it and wins, but remove the duplicate there to avoid two conflicting configs"
    ]


def plan(settings: SetupSettings, paths: Paths, fs: FileView) -> list[FileSpec]:
    _check_literal(settings.api_key)
    path = data_file(paths)
    existing, _ = read_object(fs, path, Format.JSON)
    base = ("providers", PROVIDER)
    edits: list[Edit] = [
        Set((*base, "api_key"), settings.api_key, secret=True),
        Set((*base, "base_url"), settings.endpoints.coding),
    ]
    if dig(existing, (*base, "disable")) is True:
        edits.append(Set((*base, "disable"), False))
    declared, warnings = _declared_models(settings, existing)
    edits += declared
    edits += _selected_model_edits(existing, "large", settings.model)
    edits += _selected_model_edits(existing, "small", settings.fast_model)
    if settings.mcp:
        edits += [
            Set(("mcp", name), entry, secret=True) for name, entry in _mcp_entries(settings).items()
        ]
    warnings += _crushrc_warnings(paths, fs)
    return [
        FileSpec(
            path,
            Format.JSON,
            tuple(edits),
            holds_secret=True,
            purpose="settings (provider, key, models" + (", MCP servers)" if settings.mcp else ")"),
            new_file_text=f'{{\n  "$schema": "{SCHEMA_URL}"\n}}\n',
            warnings=tuple(warnings),
        )
    ]


def _merged(paths: Paths, fs: FileView) -> tuple[dict[str, object], list[str]]:
    return read_layered(fs, (config_dir(paths) / "crush.json", data_file(paths)), Format.JSON)


def inspect(paths: Paths, fs: FileView) -> ToolState:
    config, notes = _merged(paths, fs)
    provider = str_at(config, ("models", "large", "provider"))
    model = str_at(config, ("models", "large", "model"))
    endpoint = key = None
    if provider:
        endpoint = str_at(config, ("providers", provider, "base_url"))
        if endpoint is None and provider == PROVIDER:
            endpoint = CODING_GLOBAL  # catwalk's default for the built-in `zai`
        key = str_at(config, ("providers", provider, "api_key"))
        if key is not None and key.startswith("$"):
            notes.append(f"the key comes from the environment: {key}")
    notes += endpoint_notes(endpoint, TOOL_ID)
    notes += _crushrc_warnings(paths, fs)
    return ToolState(endpoint, model, key, provider, names_at(config, ("mcp",)), tuple(notes))


def log_locations(paths: Paths) -> list[Path]:
    """The data dir: `projects.json` there names each project's data dir (with `crush.db`)."""
    return [data_dir(paths)]
