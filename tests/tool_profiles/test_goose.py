"""Goose profile: custom provider, secrets.yaml and config.yaml, applied with the real `formats`."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest

from glmplan.formats import parse
from glmplan.installer.edits import FileSpec, Format, Set
from glmplan.installer.fs import RealFileView
from glmplan.paths import Paths
from glmplan.plan import Region
from glmplan.tool_profiles import goose
from glmplan.tool_profiles.base import SetupSettings, ToolProfile
from tests.tool_profiles.helpers import apply, make_settings

KEY = "sk-CANARY-goose-0123456789"

USER_CONFIG = """# Goose config, edited by hand
GOOSE_PROVIDER: openai  # was my default
GOOSE_MODEL: gpt-4o
GOOSE_MODE: smart_approve
extensions:
  developer:
    bundled: true
    display_name: Developer
    enabled: true
    name: developer
    timeout: 300
    type: builtin
  # my own MCP server
  github:
    enabled: false
    type: stdio
    name: github
    cmd: github-mcp
    args: []
    envs: {}
"""


settings = partial(make_settings, KEY)


def plan(paths: Paths, s: SetupSettings | None = None) -> dict[str, FileSpec]:
    specs = goose.plan(s or settings(), paths, RealFileView(paths))
    return {spec.path.name: spec for spec in specs}


def sets(spec: FileSpec) -> dict[tuple[str, ...], object]:
    return {edit.path: edit.value for edit in spec.edits if isinstance(edit, Set)}


def load_yaml(path: Path) -> dict[str, object]:
    data = parse(Format.YAML, path.read_text(), str(path))
    assert isinstance(data, dict)
    return data


def test_plan_on_empty_home(paths: Paths) -> None:
    specs = plan(paths)
    config_dir = paths.xdg_config / "goose"
    assert set(specs) == {"custom_glm.json", "secrets.yaml", "config.yaml"}
    provider = specs["custom_glm.json"]
    assert provider.path == config_dir / "custom_providers" / "custom_glm.json"
    apply([provider])
    assert json.loads(provider.path.read_text()) == {
        "name": "custom_glm",
        "engine": "anthropic",
        "display_name": "GLM Coding Plan",
        "description": "Z.ai GLM Coding Plan (Anthropic-compatible endpoint), set up by glmplan",
        "api_key_env": "CUSTOM_GLM_API_KEY",
        "base_url": "https://api.z.ai/api/anthropic",
        "models": [
            {"name": "glm-4.5", "context_limit": 131072},
            {"name": "glm-4.5-air", "context_limit": 131072},
        ],
        "supports_streaming": True,
    }
    assert provider.holds_secret is False
    secrets = specs["secrets.yaml"]
    assert secrets.path == config_dir / "secrets.yaml"
    assert secrets.holds_secret
    assert secrets.edits == (Set(("CUSTOM_GLM_API_KEY",), KEY, secret=True),)
    config = specs["config.yaml"]
    assert config.format is Format.YAML
    values = sets(config)
    assert values[("GOOSE_PROVIDER",)] == "custom_glm"
    assert values[("GOOSE_MODEL",)] == "glm-4.5"
    assert config.holds_secret  # the MCP headers carry the key
    assert not any(edit.path == ("GOOSE_DISABLE_KEYRING",) for edit in config.edits)


def test_mcp_extensions_follow_gooses_structs(paths: Paths) -> None:
    values = sets(plan(paths)["config.yaml"])
    search = values[("extensions", "web-search-prime")]
    assert search == {
        "enabled": True,
        "type": "streamable_http",
        "name": "web-search-prime",
        "description": "Z.ai web search (GLM Coding Plan)",
        "uri": "https://api.z.ai/api/mcp/web_search_prime/mcp",
        "headers": {"Authorization": f"Bearer {KEY}"},
        "timeout": 300,
    }
    vision = values[("extensions", "zai-mcp-server")]
    assert isinstance(vision, dict)
    assert vision["type"] == "stdio"
    assert vision["cmd"] == "npx"
    assert vision["args"] == ["-y", "@z_ai/mcp-server"]
    assert vision["envs"] == {"Z_AI_API_KEY": KEY, "Z_AI_MODE": "ZAI"}
    assert vision["enabled"] is True
    edits = plan(paths)["config.yaml"].edits
    assert all(isinstance(e, Set) and e.secret for e in edits if e.path[0] == "extensions")


def test_mcp_off(paths: Paths) -> None:
    config = plan(paths, settings(mcp=False))["config.yaml"]
    assert [edit.path for edit in config.edits] == [("GOOSE_PROVIDER",), ("GOOSE_MODEL",)]
    assert config.holds_secret is False


def test_china_api_base_and_model(paths: Paths) -> None:
    china = plan(paths, settings(region=Region.CHINA))
    assert sets(china["custom_glm.json"])[("base_url",)] == "https://open.bigmodel.cn/api/anthropic"
    vision = sets(china["config.yaml"])[("extensions", "zai-mcp-server")]
    assert vision["envs"]["Z_AI_MODE"] == "ZHIPU"  # type: ignore[index]
    local = plan(paths, settings(api_base="http://127.0.0.1:8765", model="glm-4.7"))
    assert sets(local["custom_glm.json"])[("base_url",)] == "http://127.0.0.1:8765/api/anthropic"
    assert sets(local["config.yaml"])[("GOOSE_MODEL",)] == "glm-4.7"
    models = sets(local["custom_glm.json"])[("models",)]
    assert models == [
        {"name": "glm-4.7", "context_limit": 204800},
        {"name": "glm-4.5-air", "context_limit": 131072},
    ]


def test_goose_path_root_and_windows(tmp_path: Path) -> None:
    home = tmp_path / "h"
    rooted = Paths(home=home, env={"GOOSE_PATH_ROOT": str(tmp_path / "g")}, platform="linux")
    assert goose.config_file(rooted) == tmp_path / "g" / "config" / "config.yaml"
    assert goose.log_locations(rooted)[0] == tmp_path / "g" / "data" / "sessions"
    xdg = Paths(home=home, env={"XDG_CONFIG_HOME": str(tmp_path / "x")}, platform="darwin")
    assert goose.secrets_file(xdg) == tmp_path / "x" / "goose" / "secrets.yaml"
    win = Paths(home=home, env={"APPDATA": str(tmp_path / "Roaming")}, platform="win32")
    assert goose.provider_file(win) == (
        tmp_path / "Roaming" / "Block" / "goose" / "config" / "custom_providers" / "custom_glm.json"
    )


def test_keyring_warning_only_when_goose_may_use_a_keyring(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "keyring" in plan(paths)["secrets.yaml"].warnings[0]
    goose.secrets_file(paths).parent.mkdir(parents=True)
    goose.secrets_file(paths).write_text("OTHER_KEY: x\n")
    assert plan(paths)["secrets.yaml"].warnings == ()
    goose.secrets_file(paths).unlink()
    monkeypatch.setenv("GOOSE_DISABLE_KEYRING", "1")
    assert plan(Paths.from_env())["secrets.yaml"].warnings == ()


def test_env_overrides_are_warned_about(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTOM_GLM_API_KEY", "another-key")
    monkeypatch.setenv("GOOSE_MODEL", "gpt-4o")
    specs = plan(Paths.from_env())
    assert any("CUSTOM_GLM_API_KEY" in w for w in specs["secrets.yaml"].warnings)
    assert any("GOOSE_MODEL=gpt-4o" in w for w in specs["config.yaml"].warnings)


def test_detect_and_logs(paths: Paths) -> None:
    fs = RealFileView(paths)
    assert goose.detect(paths, fs).found is False
    (paths.xdg_config / "goose").mkdir(parents=True)
    assert goose.detect(paths, fs).found
    assert goose.log_locations(paths)[0] == paths.xdg_data / "goose" / "sessions"


def test_inspect_flags_a_general_api_provider(paths: Paths) -> None:
    provider = goose.provider_file(paths, "custom_zai_general")
    provider.parent.mkdir(parents=True)
    provider.write_text(
        json.dumps(
            {
                "name": "custom_zai_general",
                "engine": "openai",
                "display_name": "Z",
                "api_key_env": "Z_KEY",
                "base_url": "https://api.z.ai/api/paas/v4/chat/completions",
                "models": [],
            }
        )
    )
    goose.config_file(paths).write_text(
        "GOOSE_PROVIDER: custom_zai_general\nGOOSE_MODEL: glm-4.6\n"
    )
    goose.secrets_file(paths).write_text("Z_KEY: abc\n")
    state = goose.inspect(paths, RealFileView(paths))
    assert state.provider == "custom_zai_general"
    assert state.key == "abc"
    assert any("billed separately" in note for note in state.notes)


def test_existing_config_keeps_comments_and_user_extensions(paths: Paths) -> None:
    goose.config_file(paths).parent.mkdir(parents=True)
    goose.config_file(paths).write_text(USER_CONFIG)
    goose.secrets_file(paths).write_text("GITHUB_TOKEN: ghp_x\n")
    apply(goose.plan(settings(), paths, RealFileView(paths)))
    text = goose.config_file(paths).read_text()
    assert text.startswith("# Goose config, edited by hand\n")
    assert "# my own MCP server" in text
    config = load_yaml(goose.config_file(paths))
    assert config["GOOSE_PROVIDER"] == "custom_glm"
    assert config["GOOSE_MODE"] == "smart_approve"
    extensions = config["extensions"]
    assert isinstance(extensions, dict)
    assert extensions["github"]["enabled"] is False
    assert extensions["developer"]["type"] == "builtin"
    assert extensions["web-reader"]["uri"] == "https://api.z.ai/api/mcp/web_reader/mcp"
    secrets = load_yaml(goose.secrets_file(paths))
    assert secrets == {"GITHUB_TOKEN": "ghp_x", "CUSTOM_GLM_API_KEY": KEY}


def test_setup_on_empty_home_then_second_run_changes_nothing(paths: Paths) -> None:
    assert apply(goose.plan(settings(), paths, RealFileView(paths)))
    assert load_yaml(goose.secrets_file(paths)) == {"CUSTOM_GLM_API_KEY": KEY}
    assert not goose.config_file(paths).read_text().startswith("{")  # block style
    assert apply(goose.plan(settings(), paths, RealFileView(paths))) is False


def test_inspect_after_setup(paths: Paths) -> None:
    apply(goose.plan(settings(model="glm-4.7"), paths, RealFileView(paths)))
    state = goose.inspect(paths, RealFileView(paths))
    assert state.endpoint == "https://api.z.ai/api/anthropic"
    assert state.model == "glm-4.7"
    assert state.key == KEY
    assert state.provider == "custom_glm"
    assert set(state.mcp_servers) == {"web-search-prime", "web-reader", "zai-mcp-server"}
    assert state.notes == ()


def test_profile_module_satisfies_the_protocol() -> None:
    profile: ToolProfile = goose
    assert profile.TOOL_ID == "goose"
    assert profile.SUPPORTS_MCP
