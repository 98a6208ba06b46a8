"""Goose (block/goose, now aaif-goose/goose): `config.yaml` and a custom Anthropic provider.

What glmplan writes, in Goose's config dir (`$GOOSE_PATH_ROOT/config` when set, else
`$XDG_CONFIG_HOME/goose`: etcetera's XDG strategy, macOS included; on Windows
`%APPDATA%\\Block\\goose\\config`):
- `custom_providers/custom_glm.json`: `{"name": "custom_glm", "engine": "anthropic", "display_name",
  "description", "api_key_env": "CUSTOM_GLM_API_KEY", "base_url": <Anthropic-compatible endpoint,
  without /v1: the engine appends v1/messages>, "models": [{name, context_limit}],
  "supports_streaming": true}`. The file stem must equal `name`, and `zai` is a built-in name.
  `api_key_env` is optional in new builds and required in old ones, so it is always written.
- `config.yaml`: `GOOSE_PROVIDER: custom_glm`, `GOOSE_MODEL`, and with MCP the `extensions`
  entries (`streamable_http` with `uri` + `headers`; `stdio` with `cmd`/`args`/`envs`).
- `secrets.yaml` (0600, a flat `NAME: value` map): `CUSTOM_GLM_API_KEY: <key>`.

Why `secrets.yaml` and no `GOOSE_DISABLE_KEYRING` (aaif-goose/goose `config/base.rs`@001a90f2 and
@8d496d4c): Goose reads a secret from the env var of that name, then from its secret store, never
from config.yaml. The store is the OS keyring, or `secrets.yaml` when `GOOSE_DISABLE_KEYRING` is
set (env: any value; config.yaml: any value in those builds) — and, since late 2025, automatically
whenever the keyring is unreachable (no D-Bus / Secret Service: the headless case), via
`handle_keyring_fallback_error`. So on a machine without a desktop keyring, `secrets.yaml` alone
works. Setting `GOOSE_DISABLE_KEYRING: true` would also make it work on a desktop whose keyring
is running, but it silently hides every secret the user already keeps in that keyring (other
providers' keys, extension tokens), and builds older than the fallback read the flag from the env
only, so it would not rescue them either. glmplan therefore does not set it; when Goose may be
using a working keyring (no `secrets.yaml` yet, flag unset) the plan carries a warning with the
remedy (`export CUSTOM_GLM_API_KEY`, or set the flag yourself).
"""

from __future__ import annotations

from pathlib import Path

from glmplan.installer.edits import Edit, FileSpec, Format, JSONValue, Set
from glmplan.paths import Paths
from glmplan.plan import GENERAL_PATH
from glmplan.tool_profiles import mcp
from glmplan.tool_profiles._common import dig
from glmplan.tool_profiles._vscode import read_data
from glmplan.tool_profiles.base import Detection, FileView, SetupSettings, ToolState

TOOL_ID = "goose"
DISPLAY_NAME = "Goose"
PROCESS_NAMES: tuple[str, ...] = ("goose", "goosed")
SUPPORTS_MCP = True

PROVIDER_NAME = "custom_glm"
KEY_ENV = "CUSTOM_GLM_API_KEY"
EXTENSION_TIMEOUT = 300
NEW_YAML = ""  # an empty document is an empty mapping; block style from the first key on


def _root(paths: Paths) -> Path | None:
    root = paths.get("GOOSE_PATH_ROOT")
    return paths.expand(root) if root else None


def _windows_base(paths: Paths) -> Path:
    appdata = paths.get("APPDATA")
    base = Path(appdata) if appdata else paths.home / "AppData" / "Roaming"
    return base / "Block" / "goose"


def config_dir(paths: Paths) -> Path:
    root = _root(paths)
    if root is not None:
        return root / "config"
    if paths.platform.startswith("win"):
        return _windows_base(paths) / "config"
    return paths.xdg_config / "goose"


def data_dir(paths: Paths) -> Path:
    root = _root(paths)
    if root is not None:
        return root / "data"
    if paths.platform.startswith("win"):
        return _windows_base(paths) / "data"
    return paths.xdg_data / "goose"


def config_file(paths: Paths) -> Path:
    return config_dir(paths) / "config.yaml"


def secrets_file(paths: Paths) -> Path:
    return config_dir(paths) / "secrets.yaml"


def provider_file(paths: Paths, name: str = PROVIDER_NAME) -> Path:
    return config_dir(paths) / "custom_providers" / f"{name}.json"


def detect(paths: Paths, fs: FileView) -> Detection:
    how: list[str] = []
    for binary in PROCESS_NAMES:
        found = fs.which(binary)
        if found is not None:
            how.append(f"binary on PATH: {found}")
    if fs.is_dir(config_dir(paths)):
        how.append(f"config dir: {config_dir(paths)}")
    return Detection(TOOL_ID, bool(how), tuple(how))


def _provider_spec(settings: SetupSettings, paths: Paths) -> FileSpec:
    models: list[JSONValue] = [
        {"name": model.id, "context_limit": model.context}
        for model in dict.fromkeys((settings.model, settings.fast_model))
    ]
    document: dict[str, JSONValue] = {
        "name": PROVIDER_NAME,
        "engine": "anthropic",
        "display_name": "GLM Coding Plan",
        "description": "Z.ai GLM Coding Plan (Anthropic-compatible endpoint), set up by glmplan",
        "api_key_env": KEY_ENV,
        "base_url": settings.endpoints.anthropic,
        "models": models,
        "supports_streaming": True,
    }
    return FileSpec(
        provider_file(paths),
        Format.JSON,
        tuple(Set((key,), value) for key, value in document.items()),
        purpose="custom provider (endpoint, models)",
    )


def _extensions(settings: SetupSettings) -> dict[str, JSONValue]:
    entries: dict[str, JSONValue] = {}
    for http in mcp.http_servers(settings):
        headers: dict[str, JSONValue] = dict(http.headers)
        entries[http.name] = {
            "enabled": True,
            "type": "streamable_http",
            "name": http.name,
            "description": http.description,
            "uri": http.url,
            "headers": headers,
            "timeout": EXTENSION_TIMEOUT,
        }
    vision = mcp.vision_server(settings)
    envs: dict[str, JSONValue] = dict(vision.env)
    entries[vision.name] = {
        "enabled": True,
        "type": "stdio",
        "name": vision.name,
        "description": vision.description,
        "cmd": vision.command,
        "args": list(vision.args),
        "envs": envs,
        "timeout": EXTENSION_TIMEOUT,
    }
    return entries


def _config_warnings(paths: Paths, data: object, settings: SetupSettings) -> list[str]:
    warnings = [
        f"config.yaml sets {name}: lead/worker mode sends the first turns to that model instead"
        for name in ("GOOSE_LEAD_PROVIDER", "GOOSE_LEAD_MODEL")
        if dig(data, (name,)) is not None
    ]
    wanted = {"GOOSE_PROVIDER": PROVIDER_NAME, "GOOSE_MODEL": settings.model.id}
    warnings += [
        f"the environment variable {name}={paths.get(name)} overrides config.yaml"
        for name, value in wanted.items()
        if paths.get(name) not in (None, value)
    ]
    return warnings


def _config_spec(settings: SetupSettings, paths: Paths, fs: FileView) -> FileSpec:
    edits: list[Edit] = [
        Set(("GOOSE_PROVIDER",), PROVIDER_NAME),
        Set(("GOOSE_MODEL",), settings.model.id),
    ]
    if settings.mcp:
        edits += [
            Set(("extensions", key), entry, secret=True)
            for key, entry in _extensions(settings).items()
        ]
    data = read_data(fs, config_file(paths), Format.YAML)
    return FileSpec(
        config_file(paths),
        Format.YAML,
        tuple(edits),
        holds_secret=settings.mcp,
        purpose="settings (provider, model" + (", MCP extensions)" if settings.mcp else ")"),
        new_file_text=NEW_YAML,
        warnings=tuple(_config_warnings(paths, data, settings)),
    )


def _keyring_disabled(paths: Paths, fs: FileView) -> bool:
    if paths.get("GOOSE_DISABLE_KEYRING"):
        return True
    return dig(read_data(fs, config_file(paths), Format.YAML), ("GOOSE_DISABLE_KEYRING",)) not in (
        None,
        False,
    )


def _secrets_spec(settings: SetupSettings, paths: Paths, fs: FileView) -> FileSpec:
    warnings: list[str] = []
    if not fs.exists(secrets_file(paths)) and not _keyring_disabled(paths, fs):
        warnings.append(
            f"Goose reads {secrets_file(paths).name} when no OS keyring is reachable; if a desktop "
            f"keyring is running and Goose says 'Configuration value not found: {KEY_ENV}', "
            f"export {KEY_ENV} or set GOOSE_DISABLE_KEYRING: true in config.yaml"
        )
    env_key = paths.get(KEY_ENV)
    if env_key is not None and env_key != settings.api_key:
        warnings.append(f"the environment variable {KEY_ENV} overrides {secrets_file(paths)}")
    return FileSpec(
        secrets_file(paths),
        Format.YAML,
        (Set((KEY_ENV,), settings.api_key, secret=True),),
        holds_secret=True,
        purpose="credentials (secret store file)",
        new_file_text=NEW_YAML,
        warnings=tuple(warnings),
    )


def plan(settings: SetupSettings, paths: Paths, fs: FileView) -> list[FileSpec]:
    return [
        _provider_spec(settings, paths),
        _secrets_spec(settings, paths, fs),
        _config_spec(settings, paths, fs),
    ]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _provider_state(paths: Paths, fs: FileView, provider: str) -> tuple[str | None, str | None]:
    """(endpoint, key) of the provider Goose is set to, as far as files and env tell."""
    custom = read_data(fs, provider_file(paths, provider), Format.JSON)
    if isinstance(custom, dict):
        endpoint, key_env = _text(custom.get("base_url")), _text(custom.get("api_key_env"))
    elif provider == "zai":  # built-in: ZAI_BASE_URL, default Z.ai's Anthropic-compatible route
        endpoint, key_env = "https://api.z.ai/api/anthropic", "ZHIPU_API_KEY"
    elif provider == "anthropic":
        config = read_data(fs, config_file(paths), Format.YAML)
        endpoint = paths.get("ANTHROPIC_HOST") or _text(dig(config, ("ANTHROPIC_HOST",)))
        key_env = "ANTHROPIC_API_KEY"
    else:
        return None, None
    if key_env is None:
        return endpoint, None
    secrets = read_data(fs, secrets_file(paths), Format.YAML)
    return endpoint, paths.get(key_env) or _text(dig(secrets, (key_env,)))


def inspect(paths: Paths, fs: FileView) -> ToolState:
    config = read_data(fs, config_file(paths), Format.YAML)
    provider = paths.get("GOOSE_PROVIDER") or _text(dig(config, ("GOOSE_PROVIDER",)))
    model = paths.get("GOOSE_MODEL") or _text(dig(config, ("GOOSE_MODEL",)))
    endpoint, key = _provider_state(paths, fs, provider) if provider else (None, None)
    notes: list[str] = []
    if config is None and fs.exists(config_file(paths)):
        notes.append(f"cannot parse {config_file(paths)}")
    if endpoint and GENERAL_PATH in endpoint:
        notes.append("uses Z.ai's general API: billed separately, not the Coding Plan")
    if provider and key is None:
        notes.append("no key in the env or secrets.yaml (it may be in the OS keyring)")
    extensions = dig(config, ("extensions",))
    names = (
        tuple(
            str(name)
            for name, entry in extensions.items()
            if isinstance(entry, dict) and entry.get("enabled") is True
        )
        if isinstance(extensions, dict)
        else ()
    )
    return ToolState(endpoint, model, key, provider, names, tuple(notes))


def log_locations(paths: Paths) -> list[Path]:
    return [data_dir(paths) / "sessions", paths.home / ".goose" / "sessions"]
