"""OpenCode profile: edits applied with the real `formats` engine to real files under tmp_path."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from glmplan.formats import parse
from glmplan.installer.edits import FileSpec, Format, Set
from glmplan.installer.fs import RealFileView
from glmplan.paths import Paths
from glmplan.plan import Region
from glmplan.tool_profiles import opencode
from glmplan.tool_profiles.base import SetupSettings
from tests.tool_profiles.helpers import apply, make_settings

KEY = "sk-CANARY-opencode-0123456789"


settings = partial(make_settings, KEY)


def setup(paths: Paths, s: SetupSettings | None = None) -> list[FileSpec]:
    specs = opencode.plan(s or settings(), paths, RealFileView(paths))
    apply(specs)
    return specs


def load(path: Path) -> Any:
    """The parsed file; `Any` so tests can index into it freely."""
    data = parse(Format.JSONC, path.read_text(), str(path))
    assert isinstance(data, dict)
    return data


def cfg_path(paths: Paths) -> Path:
    return paths.xdg_config / "opencode"


def test_setup_on_empty_home(paths: Paths) -> None:
    specs = setup(paths)
    config = load(cfg_path(paths) / "opencode.json")
    assert config["$schema"] == "https://opencode.ai/config.json"
    assert config["model"] == "zai-coding-plan/glm-4.5"
    assert config["small_model"] == "zai-coding-plan/glm-4.5-air"
    models = config["provider"]["zai-coding-plan"]["models"]
    assert models["glm-4.5"] == {"name": "GLM-4.5", "limit": {"context": 131072, "output": 98304}}
    assert models["glm-4.5-air"]["name"] == "GLM-4.5-Air"
    assert "options" not in config["provider"]["zai-coding-plan"]
    auth = json.loads((paths.xdg_data / "opencode" / "auth.json").read_text())
    assert auth == {"zai-coding-plan": {"type": "api", "key": KEY}}
    by_path = {spec.path.name: spec for spec in specs}
    assert by_path["auth.json"].holds_secret
    assert by_path["opencode.json"].holds_secret  # MCP headers carry the key
    assert all(isinstance(e, Set) and e.secret for e in by_path["auth.json"].edits[-1:])


def test_mcp_entries_have_opencode_shapes(paths: Paths) -> None:
    setup(paths)
    servers = load(cfg_path(paths) / "opencode.json")["mcp"]
    assert isinstance(servers, dict)
    assert servers["web-search-prime"] == {
        "type": "remote",
        "url": "https://api.z.ai/api/mcp/web_search_prime/mcp",
        "headers": {"Authorization": f"Bearer {KEY}"},
        "enabled": True,
    }
    vision = servers["zai-mcp-server"]
    assert vision["type"] == "local"
    assert vision["command"] == ["npx", "-y", "@z_ai/mcp-server"]
    assert vision["environment"] == {"Z_AI_API_KEY": KEY, "Z_AI_MODE": "ZAI"}


def test_no_mcp_leaves_mcp_alone_and_config_holds_no_key(paths: Paths) -> None:
    specs = setup(paths, settings(mcp=False))
    assert "mcp" not in load(cfg_path(paths) / "opencode.json")
    assert KEY not in (cfg_path(paths) / "opencode.json").read_text()
    assert not specs[0].holds_secret


USER_JSONC = """// my OpenCode settings
{
  "$schema": "https://opencode.ai/config.json",
  "theme": "tokyonight", // the best one
  /* other providers */
  "provider": {
    "anthropic": {"options": {"timeout": 600000}},
    "zai-coding-plan": {"options": {"baseURL": "https://api.z.ai/api/paas/v4"}},
  },
  "disabled_providers": ["zai-coding-plan", "openai"],
  "enabled_providers": ["anthropic"],
  "mcp": {
    "my-files": {"type": "local", "command": ["files-mcp"], "enabled": true},
  },
}
"""


def test_existing_jsonc_keeps_comments_and_user_entries(paths: Paths) -> None:
    cfg_path(paths).mkdir(parents=True)
    (cfg_path(paths) / "opencode.json").write_text('{"theme": "other"}\n')
    target = cfg_path(paths) / "opencode.jsonc"
    target.write_text(USER_JSONC)
    auth = paths.xdg_data / "opencode" / "auth.json"
    auth.parent.mkdir(parents=True)
    auth.write_text(json.dumps({"anthropic": {"type": "oauth", "refresh": "r", "access": "a"}}))
    specs = setup(paths)
    assert specs[0].path == target  # jsonc outranks opencode.json: the edits go there
    text = target.read_text()
    for comment in ("// my OpenCode settings", "// the best one", "/* other providers */"):
        assert comment in text
    config = load(target)
    assert config["theme"] == "tokyonight"
    provider = config["provider"]
    assert isinstance(provider, dict)
    assert provider["anthropic"] == {"options": {"timeout": 600000}}
    # A general-API baseURL left on the coding-plan provider is corrected.
    assert provider["zai-coding-plan"]["options"]["baseURL"] == (
        "https://api.z.ai/api/coding/paas/v4"
    )
    assert config["disabled_providers"] == ["openai"]
    assert config["enabled_providers"] == ["anthropic", "zai-coding-plan"]
    assert set(config["mcp"]) == {"my-files", "web-search-prime", "web-reader", "zai-mcp-server"}
    assert (cfg_path(paths) / "opencode.json").read_text() == '{"theme": "other"}\n'
    stored = json.loads(auth.read_text())
    assert stored["anthropic"] == {"type": "oauth", "refresh": "r", "access": "a"}
    assert stored["zai-coding-plan"] == {"type": "api", "key": KEY}


def test_second_run_changes_nothing(paths: Paths) -> None:
    cfg_path(paths).mkdir(parents=True)
    (cfg_path(paths) / "opencode.jsonc").write_text(USER_JSONC)
    setup(paths)
    assert not apply(opencode.plan(settings(), paths, RealFileView(paths)))


def test_oauth_entry_of_same_provider_is_replaced_cleanly(paths: Paths) -> None:
    auth = paths.xdg_data / "opencode" / "auth.json"
    auth.parent.mkdir(parents=True)
    auth.write_text(json.dumps({"zai-coding-plan": {"type": "oauth", "refresh": "r"}}))
    setup(paths)
    assert json.loads(auth.read_text())["zai-coding-plan"] == {"type": "api", "key": KEY}


def test_region_china_uses_zhipuai_coding_plan(paths: Paths) -> None:
    setup(paths, settings(region=Region.CHINA))
    config = load(cfg_path(paths) / "opencode.json")
    assert config["model"] == "zhipuai-coding-plan/glm-4.5"
    web = config["mcp"]["web-search-prime"]
    assert web["url"] == "https://open.bigmodel.cn/api/mcp/web_search_prime/mcp"
    assert config["mcp"]["zai-mcp-server"]["environment"]["Z_AI_MODE"] == "ZHIPU"
    auth = json.loads((paths.xdg_data / "opencode" / "auth.json").read_text())
    assert set(auth) == {"zhipuai-coding-plan"}


def test_api_base_sets_base_url_and_model_override(paths: Paths) -> None:
    setup(paths, settings(api_base="http://127.0.0.1:8765", model="glm-4.7"))
    config = load(cfg_path(paths) / "opencode.json")
    provider = config["provider"]["zai-coding-plan"]
    assert provider["options"]["baseURL"] == "http://127.0.0.1:8765/api/coding/paas/v4"
    assert config["model"] == "zai-coding-plan/glm-4.7"
    assert provider["models"]["glm-4.7"]["limit"]["context"] == 204800


def test_opencode_config_env_names_the_file(paths: Paths, tmp_path: Path) -> None:
    custom = tmp_path / "custom" / "oc.json"
    env = {**paths.env, "OPENCODE_CONFIG": str(custom), "OPENCODE_CONFIG_CONTENT": "{}"}
    custom_paths = Paths(paths.home, env)
    specs = setup(custom_paths)
    assert specs[0].path == custom
    assert load(custom)["model"] == "zai-coding-plan/glm-4.5"
    assert any("OPENCODE_CONFIG_CONTENT" in w for w in specs[0].warnings)


def test_inspect_after_setup(paths: Paths) -> None:
    setup(paths)
    state = opencode.inspect(paths, RealFileView(paths))
    assert state.provider == "zai-coding-plan"
    assert state.model == "glm-4.5"
    assert state.endpoint == "https://api.z.ai/api/coding/paas/v4"
    assert state.key == KEY
    assert set(state.mcp_servers) == {"web-search-prime", "web-reader", "zai-mcp-server"}
    assert state.notes == ()


def test_inspect_flags_general_api(paths: Paths) -> None:
    cfg_path(paths).mkdir(parents=True)
    (cfg_path(paths) / "opencode.json").write_text('{"model": "zai/glm-4.6"}')
    state = opencode.inspect(paths, RealFileView(paths))
    assert state.endpoint == "https://api.z.ai/api/paas/v4"
    assert any("GENERAL API" in note and "billed separately" in note for note in state.notes)


def test_inspect_tolerates_broken_file(paths: Paths) -> None:
    cfg_path(paths).mkdir(parents=True)
    (cfg_path(paths) / "opencode.json").write_text('{"model": ')
    state = opencode.inspect(paths, RealFileView(paths))
    assert state.model is None
    assert any("cannot read" in note for note in state.notes)


def test_detect_binary_and_dirs(paths: Paths, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "opencode"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    found_paths = Paths(paths.home, {**paths.env, "PATH": str(bin_dir)})
    detection = opencode.detect(found_paths, RealFileView(found_paths))
    assert detection.found
    assert detection.how == (f"binary on PATH: {exe}",)
    empty = Paths(paths.home, {**paths.env, "PATH": ""})
    assert not opencode.detect(empty, RealFileView(empty)).found


@pytest.mark.parametrize("db", [None, "/var/tmp/oc/opencode-beta.db"])
def test_log_locations(paths: Paths, db: str | None) -> None:
    env = dict(paths.env)
    if db:
        env["OPENCODE_DB"] = db
    locations = opencode.log_locations(Paths(paths.home, env))
    assert locations[0] == paths.xdg_data / "opencode"
    assert (Path("/var/tmp/oc") in locations) == bool(db)
