"""Cline profile: edits applied with the real `formats` engine to real files under tmp_path."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

from glmplan.installer.edits import FileSpec, Set
from glmplan.installer.fs import RealFileView
from glmplan.paths import Paths
from glmplan.plan import Region
from glmplan.tool_profiles import cline
from glmplan.tool_profiles.base import SetupSettings
from tests.tool_profiles.helpers import apply, make_settings

KEY = "sk-CANARY-cline-0123456789"
CODING = "https://api.z.ai/api/coding/paas/v4"


settings = partial(make_settings, KEY)


def setup(paths: Paths, s: SetupSettings | None = None) -> list[FileSpec]:
    specs = cline.plan(s or settings(), paths, RealFileView(paths))
    apply(specs)
    return specs


def load(path: Path) -> Any:
    return json.loads(path.read_text())


def data(paths: Paths) -> Path:
    return paths.home / ".cline" / "data"


def test_setup_on_empty_home(paths: Paths) -> None:
    specs = setup(paths)
    doc = load(data(paths) / "settings" / "providers.json")
    assert doc["version"] == 1
    assert doc["lastUsedProvider"] == "zai-coding-plan"
    entry = doc["providers"]["zai-coding-plan"]
    assert entry["settings"] == {"provider": "zai-coding-plan", "apiKey": KEY, "model": "glm-4.5"}
    assert entry["tokenSource"] == "manual"
    assert entry["updatedAt"].endswith("Z") and "T" in entry["updatedAt"]
    # What Cline's migration would copy from globalState/secrets: written by us, it skips it.
    copy = doc["providers"]["openai-compatible"]
    assert copy["settings"] == {
        "provider": "openai-compatible",
        "apiKey": KEY,
        "model": "glm-4.5",
        "baseUrl": CODING,
    }
    assert (copy["tokenSource"], copy["updatedAt"]) == ("manual", entry["updatedAt"])
    stamped = [e.path for e in specs[0].edits if isinstance(e, Set) and e.stamped]
    assert stamped == [
        ("providers", "zai-coding-plan", "updatedAt"),
        ("providers", "openai-compatible", "updatedAt"),
    ]
    state = load(data(paths) / "globalState.json")
    assert state["actModeApiProvider"] == state["planModeApiProvider"] == "openai"
    assert state["openAiBaseUrl"] == CODING
    assert state["actModeOpenAiModelId"] == state["planModeOpenAiModelId"] == "glm-4.5"
    assert state["actModeOpenAiModelInfo"] == {
        "contextWindow": 131072,
        "supportsImages": False,
        "supportsPromptCache": False,
    }
    assert load(data(paths) / "secrets.json") == {"openAiApiKey": KEY}
    secret_files = {spec.path.name for spec in specs if spec.holds_secret}
    assert secret_files == {"providers.json", "secrets.json", "cline_mcp_settings.json"}
    assert KEY not in (data(paths) / "globalState.json").read_text()


def test_mcp_entries_have_cline_shapes(paths: Paths) -> None:
    setup(paths)
    servers = load(data(paths) / "settings" / "cline_mcp_settings.json")["mcpServers"]
    assert servers["web-reader"] == {
        "type": "streamableHttp",
        "url": "https://api.z.ai/api/mcp/web_reader/mcp",
        "headers": {"Authorization": f"Bearer {KEY}"},
        "disabled": False,
    }
    vision = servers["zai-mcp-server"]
    assert vision["type"] == "stdio"
    assert (vision["command"], vision["args"]) == ("npx", ["-y", "@z_ai/mcp-server"])
    assert vision["env"] == {"Z_AI_API_KEY": KEY, "Z_AI_MODE": "ZAI"}


def test_legacy_mcp_copy_only_where_global_storage_exists(paths: Paths) -> None:
    storage = paths.xdg_config / "Cursor" / "User" / "globalStorage" / "saoudrizwan.claude-dev"
    storage.mkdir(parents=True)
    specs = setup(paths)
    legacy = storage / "settings" / "cline_mcp_settings.json"
    assert set(load(legacy)["mcpServers"]) == {"web-search-prime", "web-reader", "zai-mcp-server"}
    assert not (paths.xdg_config / "Code" / "User" / "globalStorage").exists()
    assert sum(spec.path.name == "cline_mcp_settings.json" for spec in specs) == 2


def test_no_mcp_writes_no_mcp_files(paths: Paths) -> None:
    specs = setup(paths, settings(mcp=False))
    assert all(spec.path.name != "cline_mcp_settings.json" for spec in specs)
    assert not (data(paths) / "settings" / "cline_mcp_settings.json").exists()


def _write(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2) + "\n")


def test_user_providers_servers_and_state_survive(paths: Paths) -> None:
    providers = data(paths) / "settings" / "providers.json"
    _write(
        providers,
        {
            "version": 1,
            "lastUsedProvider": "anthropic",
            "modes": {"plan": "anthropic"},
            "providers": {
                "anthropic": {
                    "settings": {"provider": "anthropic", "apiKey": "sk-ant", "model": "x"},
                    "updatedAt": "2026-01-01T00:00:00.000Z",
                    "tokenSource": "manual",
                },
                "zai-coding-plan": {
                    "settings": {
                        "provider": "zai-coding-plan",
                        "apiKey": "old",
                        "apiLine": "china",
                    },
                    "updatedAt": "2026-01-01T00:00:00.000Z",
                    "tokenSource": "manual",
                },
            },
        },
    )
    _write(data(paths) / "globalState.json", {"mode": "act", "actModeApiProvider": "anthropic"})
    _write(data(paths) / "secrets.json", {"apiKey": "sk-ant"})
    _write(
        data(paths) / "settings" / "cline_mcp_settings.json",
        {"mcpServers": {"github": {"command": "gh-mcp", "args": []}}},
    )
    setup(paths)
    doc = load(providers)
    assert doc["modes"] == {"plan": "anthropic"}
    assert doc["providers"]["anthropic"]["settings"]["apiKey"] == "sk-ant"
    ours = doc["providers"]["zai-coding-plan"]
    assert ours["settings"] == {"provider": "zai-coding-plan", "apiKey": KEY, "model": "glm-4.5"}
    assert ours["updatedAt"] != "2026-01-01T00:00:00.000Z"  # the settings changed
    assert load(data(paths) / "globalState.json")["mode"] == "act"
    assert load(data(paths) / "secrets.json") == {"apiKey": "sk-ant", "openAiApiKey": KEY}
    servers = load(data(paths) / "settings" / "cline_mcp_settings.json")["mcpServers"]
    assert servers["github"] == {"command": "gh-mcp", "args": []}


def test_second_run_is_unchanged_and_keeps_updated_at(paths: Paths) -> None:
    setup(paths)
    before = load(data(paths) / "settings" / "providers.json")
    assert not apply(cline.plan(settings(), paths, RealFileView(paths)))
    assert load(data(paths) / "settings" / "providers.json") == before


def test_changed_model_moves_updated_at(paths: Paths) -> None:
    setup(paths)
    providers = data(paths) / "settings" / "providers.json"
    doc = load(providers)
    doc["providers"]["zai-coding-plan"]["updatedAt"] = "2026-01-01T00:00:00.000Z"
    _write(providers, doc)
    setup(paths, settings(model="glm-4.7"))
    entry = load(providers)["providers"]["zai-coding-plan"]
    assert entry["settings"]["model"] == "glm-4.7"
    assert entry["updatedAt"] != "2026-01-01T00:00:00.000Z"
    state = load(data(paths) / "globalState.json")
    assert state["actModeOpenAiModelId"] == "glm-4.7"
    assert state["actModeOpenAiModelInfo"]["contextWindow"] == 204800


def test_region_china(paths: Paths) -> None:
    setup(paths, settings(region=Region.CHINA))
    entry = load(data(paths) / "settings" / "providers.json")["providers"]["zai-coding-plan"]
    assert entry["settings"]["apiLine"] == "china"
    assert "baseUrl" not in entry["settings"]
    state = load(data(paths) / "globalState.json")
    assert state["openAiBaseUrl"] == "https://open.bigmodel.cn/api/coding/paas/v4"
    providers = load(data(paths) / "settings" / "providers.json")["providers"]
    assert providers["openai-compatible"]["settings"]["baseUrl"] == state["openAiBaseUrl"]
    servers = load(data(paths) / "settings" / "cline_mcp_settings.json")["mcpServers"]
    assert servers["zai-mcp-server"]["env"]["Z_AI_MODE"] == "ZHIPU"


def test_api_base_then_plain_run_removes_base_url(paths: Paths) -> None:
    setup(paths, settings(api_base="http://127.0.0.1:9999"))
    providers = data(paths) / "settings" / "providers.json"
    local = "http://127.0.0.1:9999/api/coding/paas/v4"
    assert load(providers)["providers"]["zai-coding-plan"]["settings"]["baseUrl"] == local
    assert load(data(paths) / "globalState.json")["openAiBaseUrl"] == local
    setup(paths)
    assert "baseUrl" not in load(providers)["providers"]["zai-coding-plan"]["settings"]


def _openai_entry(base_url: str) -> dict[str, object]:
    settings = {"provider": "openai-compatible", "apiKey": "old", "model": "m", "baseUrl": base_url}
    return {
        "settings": settings,
        "updatedAt": "2026-01-01T00:00:00.000Z",
        "tokenSource": "migration",
    }


def test_users_own_openai_compatible_server_is_left_alone(paths: Paths) -> None:
    providers = data(paths) / "settings" / "providers.json"
    theirs = _openai_entry("http://localhost:1234/v1")
    _write(providers, {"version": 1, "providers": {"openai-compatible": theirs}})
    setup(paths)
    assert load(providers)["providers"]["openai-compatible"] == theirs


def test_openai_compatible_entry_on_a_plan_endpoint_is_updated(paths: Paths) -> None:
    providers = data(paths) / "settings" / "providers.json"
    _write(providers, {"version": 1, "providers": {"openai-compatible": _openai_entry(CODING)}})
    setup(paths)
    entry = load(providers)["providers"]["openai-compatible"]
    assert (entry["settings"]["apiKey"], entry["settings"]["model"]) == (KEY, "glm-4.5")
    assert entry["tokenSource"] == "manual"
    assert entry["updatedAt"] != "2026-01-01T00:00:00.000Z"


def test_providers_file_without_version_gets_one(paths: Paths) -> None:
    _write(data(paths) / "settings" / "providers.json", {})
    setup(paths)
    doc = load(data(paths) / "settings" / "providers.json")
    assert doc["version"] == 1
    assert doc["providers"]["zai-coding-plan"]["settings"]["apiKey"] == KEY


def test_env_overrides_choose_the_files(paths: Paths, tmp_path: Path) -> None:
    env = {
        **paths.env,
        "CLINE_DIR": str(tmp_path / "cd"),
        "CLINE_PROVIDER_SETTINGS_PATH": str(tmp_path / "p.json"),
        "CLINE_MCP_SETTINGS_PATH": str(tmp_path / "m.json"),
    }
    specs = setup(Paths(paths.home, env))
    assert {spec.path for spec in specs} == {
        tmp_path / "p.json",
        tmp_path / "m.json",
        tmp_path / "cd" / "data" / "globalState.json",
        tmp_path / "cd" / "data" / "secrets.json",
    }
    env["CLINE_DATA_DIR"] = str(tmp_path / "dd")
    assert cline.global_state_file(Paths(paths.home, env)) == tmp_path / "dd" / "globalState.json"


def test_inspect_after_setup(paths: Paths) -> None:
    setup(paths)
    state = cline.inspect(paths, RealFileView(paths))
    assert (state.provider, state.model, state.key) == ("zai-coding-plan", "glm-4.5", KEY)
    assert state.endpoint == CODING
    assert set(state.mcp_servers) == {"web-search-prime", "web-reader", "zai-mcp-server"}
    assert state.notes == ()


def test_inspect_flags_general_api_in_both_clients(paths: Paths) -> None:
    _write(
        data(paths) / "settings" / "providers.json",
        {
            "version": 1,
            "lastUsedProvider": "zai",
            "providers": {"zai": {"settings": {"provider": "zai", "apiKey": "k", "model": "m"}}},
        },
    )
    _write(data(paths) / "globalState.json", {"actModeApiProvider": "zai", "zaiApiLine": "china"})
    state = cline.inspect(paths, RealFileView(paths))
    assert state.endpoint == "https://api.z.ai/api/paas/v4"
    general = [n for n in state.notes if "GENERAL API" in n and "billed separately" in n]
    assert len(general) == 2
    assert any("open.bigmodel.cn/api/paas/v4" in n for n in general)


def test_inspect_extension_only_and_broken_file(paths: Paths) -> None:
    _write(
        data(paths) / "globalState.json", {"actModeApiProvider": "openai", "openAiBaseUrl": CODING}
    )
    (data(paths) / "secrets.json").write_text("{not json")
    state = cline.inspect(paths, RealFileView(paths))
    assert state.endpoint == CODING
    assert state.key is None
    assert any("cannot read" in n for n in state.notes)


def test_detect_extension_folder_case_insensitive(paths: Paths) -> None:
    folder = paths.home / ".vscode" / "extensions" / "SaoudRizwan.claude-dev-4.1.13"
    folder.mkdir(parents=True)
    (paths.home / ".vscode" / "extensions" / "saoudrizwan.claude-devtools-1.0").mkdir()
    view = RealFileView(Paths(paths.home, {**paths.env, "PATH": ""}))
    detection = cline.detect(paths, view)
    assert detection.found
    assert detection.how == (f"VS Code extension: {folder}",)


def test_log_locations(paths: Paths) -> None:
    locations = cline.log_locations(paths)
    assert locations[0] == data(paths) / "sessions"
    legacy = paths.xdg_config / "Code" / "User" / "globalStorage" / "saoudrizwan.claude-dev"
    assert legacy / "tasks" in locations
