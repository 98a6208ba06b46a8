"""Crush profile: edits applied with the real `formats` engine to real files under tmp_path.

Crush cannot be installed here (its npm package downloads a binary at install time), so the
output is checked against the constraints of its `schema.json` at charmbracelet/crush@37f36e93:
`models.*` require `provider` and `model`; MCP `type` is required, one of stdio|sse|http.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from glmplan.errors import UsageError
from glmplan.installer.edits import FileSpec
from glmplan.installer.fs import RealFileView
from glmplan.paths import Paths
from glmplan.plan import Endpoints, PlanName, Region, find_model
from glmplan.tool_profiles import crush
from glmplan.tool_profiles.base import SetupSettings
from tests.tool_profiles.helpers import apply

KEY = "sk-CANARY-crush-0123456789"
CODING = "https://api.z.ai/api/coding/paas/v4"


def settings(
    *,
    region: Region = Region.GLOBAL,
    api_base: str | None = None,
    model: str = "glm-4.5",
    mcp: bool = True,
    key: str = KEY,
) -> SetupSettings:
    return SetupSettings(
        plan=PlanName.PRO,
        region=region,
        endpoints=Endpoints.for_region(region, api_base),
        api_key=key,
        model=find_model(model),
        fast_model=find_model("glm-4.5-air"),
        mcp=mcp,
        api_base=api_base,
    )


def setup(paths: Paths, s: SetupSettings | None = None) -> list[FileSpec]:
    specs = crush.plan(s or settings(), paths, RealFileView(paths))
    apply(specs)
    return specs


def data_file(paths: Paths) -> Path:
    return paths.xdg_data / "crush" / "crush.json"


def load(paths: Paths) -> Any:
    return json.loads(data_file(paths).read_text())


def assert_schema_shape(doc: Any) -> None:
    for selected in doc["models"].values():
        assert {"provider", "model"} <= set(selected)
    for server in doc.get("mcp", {}).values():
        assert server["type"] in ("stdio", "sse", "http")
        assert "command" in server if server["type"] == "stdio" else "url" in server


def test_setup_on_empty_home(paths: Paths) -> None:
    [spec] = setup(paths)
    assert spec.path == data_file(paths)
    assert spec.holds_secret
    assert spec.warnings == ()
    doc = load(paths)
    assert doc["$schema"] == "https://charm.land/crush.json"
    assert doc["providers"] == {"zai": {"api_key": KEY, "base_url": CODING}}
    assert doc["models"] == {
        "large": {"provider": "zai", "model": "glm-4.5"},
        "small": {"provider": "zai", "model": "glm-4.5-air"},
    }
    assert_schema_shape(doc)


def test_mcp_entries_have_crush_shapes(paths: Paths) -> None:
    setup(paths)
    servers = load(paths)["mcp"]
    assert servers["web-search-prime"] == {
        "type": "http",
        "url": "https://api.z.ai/api/mcp/web_search_prime/mcp",
        "headers": {"Authorization": f"Bearer {KEY}"},
    }
    assert servers["zai-mcp-server"] == {
        "type": "stdio",
        "command": "npx",
        "args": ["-y", "@z_ai/mcp-server"],
        "env": {"Z_AI_API_KEY": KEY, "Z_AI_MODE": "ZAI"},
    }


def test_no_mcp(paths: Paths) -> None:
    setup(paths, settings(mcp=False))
    assert "mcp" not in load(paths)


USER_DATA = {
    "$schema": "https://charm.land/crush.json",
    "providers": {
        "openai": {"api_key": "sk-openai"},
        "zai": {"api_key": "$ZAI_API_KEY", "disable": True},
    },
    "models": {
        "large": {"provider": "openai", "model": "gpt-5", "max_tokens": 50000},
        "small": {"provider": "zai", "model": "glm-4.5-air", "think": True},
    },
    "recent_models": {"large": [{"provider": "openai", "model": "gpt-5"}]},
    "mcp": {"github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/"}},
    "options": {"tui": {"compact_mode": True}},
}


def test_existing_file_keeps_user_entries(paths: Paths) -> None:
    data_file(paths).parent.mkdir(parents=True)
    data_file(paths).write_text(json.dumps(USER_DATA, indent=2) + "\n")
    setup(paths)
    doc = load(paths)
    assert doc["providers"]["openai"] == {"api_key": "sk-openai"}
    assert doc["providers"]["zai"] == {"api_key": KEY, "disable": False, "base_url": CODING}
    # The replaced large model's options go with it; the unchanged small model keeps its own.
    assert doc["models"]["large"] == {"provider": "zai", "model": "glm-4.5"}
    assert doc["models"]["small"] == {"provider": "zai", "model": "glm-4.5-air", "think": True}
    assert doc["recent_models"] == USER_DATA["recent_models"]
    assert doc["options"] == {"tui": {"compact_mode": True}}
    assert set(doc["mcp"]) == {"github", "web-search-prime", "web-reader", "zai-mcp-server"}
    assert_schema_shape(doc)


def test_second_run_changes_nothing(paths: Paths) -> None:
    data_file(paths).parent.mkdir(parents=True)
    data_file(paths).write_text(json.dumps(USER_DATA, indent=2) + "\n")
    setup(paths)
    assert not apply(crush.plan(settings(), paths, RealFileView(paths)))


def test_region_china_and_model_override(paths: Paths) -> None:
    [spec] = setup(paths, settings(region=Region.CHINA, model="glm-4.7"))
    doc = load(paths)
    assert doc["providers"]["zai"]["base_url"] == "https://open.bigmodel.cn/api/coding/paas/v4"
    assert doc["models"]["large"]["model"] == "glm-4.7"
    assert "models" not in doc["providers"]["zai"]  # glm-4.7 is in Crush's list
    assert spec.warnings == ()
    assert doc["mcp"]["zai-mcp-server"]["env"]["Z_AI_MODE"] == "ZHIPU"


def test_api_base(paths: Paths) -> None:
    setup(paths, settings(api_base="http://127.0.0.1:7777"))
    assert load(paths)["providers"]["zai"]["base_url"] == "http://127.0.0.1:7777/api/coding/paas/v4"


def test_unknown_model_is_declared_with_a_warning(paths: Paths) -> None:
    data_file(paths).parent.mkdir(parents=True)
    mine = {"id": "my-model", "name": "Mine"}
    data_file(paths).write_text(json.dumps({"providers": {"zai": {"models": [mine]}}}))
    [spec] = setup(paths, settings(model="glm-9"))
    assert any("glm-9" in warning for warning in spec.warnings)
    models = load(paths)["providers"]["zai"]["models"]
    assert models[0] == mine
    assert models[1] == {
        "id": "glm-9",
        "name": "GLM-9",
        "cost_per_1m_in": 0,
        "cost_per_1m_out": 0,
        "cost_per_1m_in_cached": 0,
        "cost_per_1m_out_cached": 0,
        "context_window": 204800,
        "default_max_tokens": 131072,
        "can_reason": True,
        "supports_attachments": False,
    }
    assert not apply(crush.plan(settings(model="glm-9"), paths, RealFileView(paths)))


@pytest.mark.parametrize("bad", ["abc$HOME123", "abc`id`123", "ab'cd", 'ab"cd', "ab\\cd"])
def test_key_that_crush_would_expand_is_refused(paths: Paths, bad: str) -> None:
    with pytest.raises(UsageError, match="shell-expands"):
        crush.plan(settings(key=bad), paths, RealFileView(paths))


def test_crushrc_setting_models_gives_a_warning(paths: Paths) -> None:
    rc = paths.xdg_config / "crush" / "crushrc"
    rc.parent.mkdir(parents=True)
    rc.write_text("# my config\nmodel large openai/gpt-4o --think\n")
    [spec] = crush.plan(settings(), paths, RealFileView(paths))
    assert any(str(rc) in warning for warning in spec.warnings)
    rc.write_text("# only options\noption debug true\n")
    [spec] = crush.plan(settings(), paths, RealFileView(paths))
    assert spec.warnings == ()


def test_env_overrides(paths: Paths, tmp_path: Path) -> None:
    env = {
        **paths.env,
        "CRUSH_GLOBAL_DATA": str(tmp_path / "cd"),
        "CRUSH_GLOBAL_CONFIG": str(tmp_path / "cc"),
    }
    over = Paths(paths.home, env)
    assert crush.data_file(over) == tmp_path / "cd" / "crush.json"
    assert crush.config_dir(over) == tmp_path / "cc"
    windows = Paths(paths.home, {"LOCALAPPDATA": str(tmp_path / "lad")}, platform="win32")
    assert crush.data_file(windows) == tmp_path / "lad" / "crush" / "crush.json"


def test_inspect_after_setup(paths: Paths) -> None:
    setup(paths)
    state = crush.inspect(paths, RealFileView(paths))
    assert (state.provider, state.model, state.key) == ("zai", "glm-4.5", KEY)
    assert state.endpoint == CODING
    assert set(state.mcp_servers) == {"web-search-prime", "web-reader", "zai-mcp-server"}
    assert state.notes == ()


def test_inspect_flags_general_api_and_env_key(paths: Paths) -> None:
    config = paths.xdg_config / "crush" / "crush.json"
    config.parent.mkdir(parents=True)
    config.write_text(
        json.dumps(
            {
                "providers": {"zai": {"base_url": "https://api.z.ai/api/paas/v4"}},
                "models": {"large": {"provider": "zai", "model": "glm-4.6"}},
            }
        )
    )
    data_file(paths).parent.mkdir(parents=True)
    data_file(paths).write_text('{"providers": {"zai": {"api_key": "$ZAI_API_KEY"}}}')
    state = crush.inspect(paths, RealFileView(paths))
    assert state.endpoint == "https://api.z.ai/api/paas/v4"
    assert state.key == "$ZAI_API_KEY"
    assert any("GENERAL API" in n and "billed separately" in n for n in state.notes)
    assert any("environment" in n for n in state.notes)


def test_inspect_tolerates_broken_file(paths: Paths) -> None:
    data_file(paths).parent.mkdir(parents=True)
    data_file(paths).write_text("{")
    state = crush.inspect(paths, RealFileView(paths))
    assert state.model is None
    assert any("cannot read" in n for n in state.notes)


def test_detect_and_logs(paths: Paths, tmp_path: Path) -> None:
    no_path = Paths(paths.home, {**paths.env, "PATH": ""})
    assert not crush.detect(no_path, RealFileView(no_path)).found
    (paths.xdg_config / "crush").mkdir(parents=True)
    detection = crush.detect(no_path, RealFileView(no_path))
    assert detection.how == (f"config dir: {paths.xdg_config / 'crush'}",)
    assert crush.log_locations(paths) == [paths.xdg_data / "crush"]
