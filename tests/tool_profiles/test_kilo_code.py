"""Kilo Code profile (7.x and legacy): edits applied with the real `formats` engine."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest

from glmplan.formats import parse
from glmplan.installer.edits import FileSpec, Format
from glmplan.installer.fs import RealFileView
from glmplan.paths import Paths
from glmplan.plan import Region
from glmplan.tool_profiles import kilo_code
from glmplan.tool_profiles.base import SetupSettings, ToolProfile
from tests.tool_profiles.helpers import apply, make_settings

KEY = "sk-CANARY-kilo-0123456789"

USER_CONFIG = """// Kilo settings
{
  "$schema": "https://app.kilo.ai/config.json",
  "theme": "tokyonight", // dark
  /* providers I do not want */
  "disabled_providers": ["openrouter", "zai-coding-plan"],
  "mcp": {
    "my-db": {"type": "local", "command": ["db-mcp"], "enabled": true},
  },
}
"""

MIGRATED_CONFIG = """{
  // written by Kilo 7's migration
  "model": "zai/glm-4.6",
  "provider": {"zai": {"options": {}}}
}
"""


settings = partial(make_settings, KEY)


def setup(paths: Paths, s: SetupSettings | None = None) -> list[FileSpec]:
    specs = kilo_code.plan(s or settings(), paths, RealFileView(paths))
    apply(specs)
    return specs


def load(path: Path) -> dict[str, object]:
    data = parse(Format.JSONC, path.read_text(), str(path))
    assert isinstance(data, dict)
    return data


def cfg(paths: Paths, name: str = "kilo.jsonc") -> Path:
    return paths.xdg_config / "kilo" / name


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def install(
    paths: Paths, version: str, *, variant_dir: str = ".vscode", binary: bool = False
) -> None:
    folder = paths.home / variant_dir / "extensions" / f"kilocode.kilo-code-{version}"
    write(folder / "package.json", json.dumps({"name": "kilo-code", "version": version}))
    if binary:
        write(folder / "bin" / "kilo", "#!/bin/sh\n")


def legacy_mcp(paths: Paths) -> Path:
    storage = paths.xdg_config / "Code" / "User" / "globalStorage" / "kilocode.kilo-code"
    return storage / "settings" / "mcp_settings.json"


def user_settings(paths: Paths) -> Path:
    return paths.xdg_config / "Code" / "User" / "settings.json"


def test_setup_on_empty_home_is_current_generation(paths: Paths) -> None:
    specs = setup(paths)
    config = load(cfg(paths))
    assert config["$schema"] == "https://app.kilo.ai/config.json"
    assert config["model"] == "zai-coding-plan/glm-4.5"
    assert config["small_model"] == "zai-coding-plan/glm-4.5-air"
    provider = config["provider"]["zai-coding-plan"]  # type: ignore[index]
    assert provider["models"]["glm-4.5"] == {
        "name": "GLM-4.5",
        "limit": {"context": 131072, "output": 98304},
    }
    assert "options" not in provider
    assert json.loads(kilo_code.auth_file(paths).read_text()) == {
        "zai-coding-plan": {"type": "api", "key": KEY}
    }
    assert {s.path for s in specs if s.holds_secret} == {kilo_code.auth_file(paths), cfg(paths)}
    assert not kilo_code.legacy_import_file(paths).exists()
    assert not user_settings(paths).exists()


def test_existing_config_keeps_comments_and_user_entries(paths: Paths) -> None:
    write(cfg(paths), USER_CONFIG)
    setup(paths)
    text = cfg(paths).read_text()
    assert text.startswith("// Kilo settings\n")
    assert '"theme": "tokyonight", // dark' in text
    assert "/* providers I do not want */" in text
    config = load(cfg(paths))
    assert config["disabled_providers"] == ["openrouter"]
    servers = config["mcp"]
    assert isinstance(servers, dict)
    assert servers["my-db"] == {"type": "local", "command": ["db-mcp"], "enabled": True}
    assert servers["web-search-prime"]["type"] == "remote"
    assert servers["web-search-prime"]["headers"] == {"Authorization": f"Bearer {KEY}"}
    assert servers["zai-mcp-server"]["command"] == ["npx", "-y", "@z_ai/mcp-server"]
    assert servers["zai-mcp-server"]["environment"]["Z_AI_API_KEY"] == KEY


def test_second_run_changes_nothing(paths: Paths) -> None:
    write(cfg(paths), USER_CONFIG)
    setup(paths, settings(model="glm-4.7"))
    assert apply(kilo_code.plan(settings(model="glm-4.7"), paths, RealFileView(paths))) is False


def test_edits_the_file_kilos_ui_would_edit(paths: Paths) -> None:
    write(cfg(paths, "opencode.json"), '{"theme": "x"}\n')
    write(cfg(paths, "kilo.json"), "{}\n")
    specs = setup(paths)
    assert cfg(paths, "kilo.json") in {s.path for s in specs}
    assert load(cfg(paths, "kilo.json"))["model"] == "zai-coding-plan/glm-4.5"
    assert not cfg(paths).exists()
    assert load(cfg(paths, "opencode.json")) == {"theme": "x"}


def test_warns_when_a_higher_precedence_file_sets_another_model(paths: Paths) -> None:
    write(cfg(paths), "{}\n")
    write(cfg(paths, "opencode.jsonc"), '{"model": "anthropic/claude"}\n')
    write(cfg(paths, "config.json"), '{"model": "openai/gpt"}\n')  # lower precedence: fine
    (spec,) = [
        s for s in kilo_code.plan(settings(), paths, RealFileView(paths)) if s.path == cfg(paths)
    ]
    assert len(spec.warnings) == 1
    assert "opencode.jsonc" in spec.warnings[0]


def test_kilo_config_env_file_is_warned_about_not_edited(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = isolated_home / "extra-kilo.json"
    extra.write_text('{"model": "openrouter/x"}')
    monkeypatch.setenv("KILO_CONFIG", str(extra))
    monkeypatch.setenv("KILO_AUTH_CONTENT", "{}")
    paths = Paths.from_env()
    specs = kilo_code.plan(settings(), paths, RealFileView(paths))
    assert extra not in {s.path for s in specs}
    warnings = [w for s in specs for w in s.warnings]
    assert any(str(extra) in w for w in warnings)
    assert any("KILO_AUTH_CONTENT" in w for w in warnings)


def test_china_region(paths: Paths) -> None:
    setup(paths, settings(region=Region.CHINA))
    assert load(cfg(paths))["model"] == "zhipuai-coding-plan/glm-4.5"
    assert "zhipuai-coding-plan" in json.loads(kilo_code.auth_file(paths).read_text())


def test_api_base_sets_base_url_and_a_later_run_resets_it(paths: Paths) -> None:
    setup(paths, settings(api_base="http://127.0.0.1:8765"))
    options = load(cfg(paths))["provider"]["zai-coding-plan"]["options"]  # type: ignore[index]
    assert options == {"baseURL": "http://127.0.0.1:8765/api/coding/paas/v4"}
    setup(paths)
    options = load(cfg(paths))["provider"]["zai-coding-plan"]["options"]  # type: ignore[index]
    assert options == {"baseURL": "https://api.z.ai/api/coding/paas/v4"}


def test_model_choice_and_mcp_off(paths: Paths) -> None:
    specs = setup(paths, settings(model="glm-4.7", mcp=False))
    config = load(cfg(paths))
    assert config["model"] == "zai-coding-plan/glm-4.7"
    assert "glm-4.7" in config["provider"]["zai-coding-plan"]["models"]  # type: ignore[index]
    assert "mcp" not in config
    (spec,) = [s for s in specs if s.path == cfg(paths)]
    assert spec.holds_secret is False


def test_stale_inline_key_is_replaced(paths: Paths) -> None:
    write(cfg(paths), '{"provider": {"zai-coding-plan": {"options": {"apiKey": "old-key"}}}}\n')
    specs = setup(paths, settings(mcp=False))
    options = load(cfg(paths))["provider"]["zai-coding-plan"]["options"]  # type: ignore[index]
    assert options == {"apiKey": KEY}
    assert next(s for s in specs if s.path == cfg(paths)).holds_secret


def test_generation_7x_uses_only_the_new_files(paths: Paths) -> None:
    install(paths, "7.3.50")
    files = {s.path for s in kilo_code.plan(settings(), paths, RealFileView(paths))}
    assert files == {kilo_code.auth_file(paths), cfg(paths)}


def test_bin_kilo_marks_the_new_generation_whatever_the_version(paths: Paths) -> None:
    install(paths, "4.99.0", binary=True)
    files = {s.path for s in kilo_code.plan(settings(), paths, RealFileView(paths))}
    assert files == {kilo_code.auth_file(paths), cfg(paths)}


def test_legacy_generation_uses_the_import_file(paths: Paths) -> None:
    install(paths, "5.10.4")
    write(user_settings(paths), '{\n  // mine\n  "kilo-code.customInstructions": "x",\n}\n')
    specs = setup(paths)
    assert {s.path for s in specs} == {
        kilo_code.legacy_import_file(paths),
        user_settings(paths),
        legacy_mcp(paths),
    }
    assert "// mine" in user_settings(paths).read_text()
    target = str(kilo_code.legacy_import_file(paths))
    assert load(user_settings(paths))["kilo-code.autoImportSettingsPath"] == target
    document = load(kilo_code.legacy_import_file(paths))
    (profile,) = document["providerProfiles"]["apiConfigs"].values()  # type: ignore[index]
    assert profile["apiProvider"] == "zai"
    assert profile["zaiApiLine"] == "international_coding"
    servers = load(legacy_mcp(paths))["mcpServers"]
    assert servers["web-reader"]["type"] == "streamable-http"  # type: ignore[index]
    assert not kilo_code.auth_file(paths).exists()
    state = kilo_code.inspect(paths, RealFileView(paths))
    assert state.endpoint == "https://api.z.ai/api/coding/paas/v4"
    assert state.key == KEY
    assert "web-reader" in state.mcp_servers


def test_both_generations_in_different_variants(paths: Paths) -> None:
    install(paths, "5.10.4", variant_dir=".cursor")
    install(paths, "7.3.50")
    files = {s.path for s in kilo_code.plan(settings(), paths, RealFileView(paths))}
    cursor = paths.xdg_config / "Cursor" / "User" / "settings.json"
    assert {kilo_code.auth_file(paths), cfg(paths), cursor} <= files
    assert user_settings(paths) not in files


def test_zai_migration_is_fixed_and_reported(paths: Paths) -> None:
    write(cfg(paths), MIGRATED_CONFIG)
    write(kilo_code.auth_file(paths), json.dumps({"zai": {"type": "api", "key": KEY}}))
    fs = RealFileView(paths)
    before = kilo_code.inspect(paths, fs)
    assert before.provider == "zai"
    assert before.endpoint == "https://api.z.ai/api/paas/v4"
    assert any("billed separately" in note for note in before.notes)
    specs = kilo_code.plan(settings(), paths, fs)
    assert any("migration" in w for s in specs for w in s.warnings)
    apply(specs)
    assert "// written by Kilo 7's migration" in cfg(paths).read_text()
    after = kilo_code.inspect(paths, fs)
    assert after.provider == "zai-coding-plan"
    assert after.endpoint == "https://api.z.ai/api/coding/paas/v4"
    assert not any("billed separately" in note for note in after.notes)
    assert any("migration" in note for note in after.notes)
    assert not any(
        "migration" in w for s in kilo_code.plan(settings(), paths, fs) for w in s.warnings
    )


def test_inspect_after_setup(paths: Paths) -> None:
    setup(paths, settings(model="glm-4.7"))
    state = kilo_code.inspect(paths, RealFileView(paths))
    assert state.model == "zai-coding-plan/glm-4.7"
    assert state.key == KEY
    assert state.endpoint == "https://api.z.ai/api/coding/paas/v4"
    assert set(state.mcp_servers) == {"web-search-prime", "web-reader", "zai-mcp-server"}
    assert state.notes == ()


def test_detect(paths: Paths) -> None:
    fs = RealFileView(paths)
    assert kilo_code.detect(paths, fs).found is False
    install(paths, "7.3.50")
    found = kilo_code.detect(paths, fs)
    assert found.found
    assert "7.x 7.3.50" in found.how[0]


def test_log_locations(paths: Paths) -> None:
    logs = kilo_code.log_locations(paths)
    assert logs[0] == paths.xdg_data / "kilo"
    assert legacy_mcp(paths).parent.parent / "tasks" in logs


def test_profile_module_satisfies_the_protocol() -> None:
    profile: ToolProfile = kilo_code
    assert profile.TOOL_ID == "kilo-code"
    assert profile.SUPPORTS_MCP
