"""Roo Code profile: edits applied with the real `formats` engine to real files under tmp_path."""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import partial
from pathlib import Path

import pytest

from glmplan.formats import parse
from glmplan.installer.edits import FileSpec, Format
from glmplan.installer.fs import RealFileView
from glmplan.paths import Paths
from glmplan.plan import Region
from glmplan.tool_profiles import roo_code
from glmplan.tool_profiles.base import SetupSettings, ToolProfile
from tests.tool_profiles.helpers import apply, make_settings

KEY = "sk-CANARY-roo-0123456789"
ROO_TYPES = Path(__file__).parents[2] / ".realtools" / "node_modules" / "@roo-code" / "types"

USER_SETTINGS = """// my VS Code settings
{
    "editor.fontSize": 14, // big enough
    /* Python */
    "python.defaultInterpreterPath": "/usr/bin/python3",
    "cline.rollout.bundleOverride": "legacy",
    "files.exclude": {"**/.git": true},
}
"""


settings = partial(make_settings, KEY)


def setup(paths: Paths, s: SetupSettings | None = None) -> list[FileSpec]:
    specs = roo_code.plan(s or settings(), paths, RealFileView(paths))
    apply(specs)
    return specs


def load(path: Path) -> dict[str, object]:
    data = parse(Format.JSONC, path.read_text(), str(path))
    assert isinstance(data, dict)
    return data


def install(paths: Paths, variant_dir: str, version: str = "3.52.1") -> None:
    folder = paths.home / variant_dir / "extensions" / f"RooVeterinaryInc.roo-cline-{version}"
    folder.mkdir(parents=True)
    (folder / "package.json").write_text(json.dumps({"version": version}))


def user_settings(paths: Paths, variant: str) -> Path:
    return paths.xdg_config / variant / "User" / "settings.json"


def mcp_file(paths: Paths, variant: str = "Code") -> Path:
    storage = paths.xdg_config / variant / "User" / "globalStorage" / "rooveterinaryinc.roo-cline"
    return storage / "settings" / "mcp_settings.json"


def profile(paths: Paths) -> dict[str, object]:
    data = load(roo_code.import_file(paths))
    configs = data["providerProfiles"]["apiConfigs"]  # type: ignore[index]
    assert isinstance(configs, dict)
    (only,) = configs.values()
    assert isinstance(only, dict)
    return only


def test_setup_on_empty_home(paths: Paths) -> None:
    specs = setup(paths)
    target = roo_code.import_file(paths)
    assert target == paths.config_dir / "roo-code-profile.json"
    document = load(target)
    profiles = document["providerProfiles"]
    assert isinstance(profiles, dict)
    name = profiles["currentApiConfigName"]
    assert profiles["apiConfigs"][name] == {
        "id": "glmplan-glm-coding-plan",
        "apiProvider": "zai",
        "zaiApiLine": "international_coding",
        "zaiApiKey": KEY,
        "apiModelId": "glm-4.5",
    }
    assert profiles["modeApiConfigs"]["code"] == "glmplan-glm-coding-plan"
    assert document["globalSettings"] == {}
    assert load(user_settings(paths, "Code")) == {"roo-cline.autoImportSettingsPath": str(target)}
    servers = load(mcp_file(paths))["mcpServers"]
    assert isinstance(servers, dict)
    assert servers["web-search-prime"] == {
        "type": "streamable-http",
        "url": "https://api.z.ai/api/mcp/web_search_prime/mcp",
        "headers": {"Authorization": f"Bearer {KEY}"},
    }
    assert servers["zai-mcp-server"]["env"]["Z_AI_MODE"] == "ZAI"
    secret = {spec.path for spec in specs if spec.holds_secret}
    assert secret == {target, mcp_file(paths)}


def test_existing_settings_keep_comments_in_each_installed_variant(paths: Paths) -> None:
    install(paths, ".vscode")
    install(paths, ".cursor", "3.40.0")
    for variant in ("Code", "Cursor"):
        user_settings(paths, variant).parent.mkdir(parents=True)
        user_settings(paths, variant).write_text(USER_SETTINGS)
    setup(paths)
    for variant in ("Code", "Cursor"):
        text = user_settings(paths, variant).read_text()
        assert text.startswith("// my VS Code settings\n")
        assert '"editor.fontSize": 14, // big enough' in text
        assert "/* Python */" in text
        data = load(user_settings(paths, variant))
        assert data["cline.rollout.bundleOverride"] == "legacy"
        assert data["roo-cline.autoImportSettingsPath"] == str(roo_code.import_file(paths))
        assert mcp_file(paths, variant).exists()
    assert not user_settings(paths, "VSCodium").exists()


def test_second_run_changes_nothing(paths: Paths) -> None:
    install(paths, ".vscode")
    user_settings(paths, "Code").parent.mkdir(parents=True)
    user_settings(paths, "Code").write_text(USER_SETTINGS)
    setup(paths)
    assert apply(roo_code.plan(settings(), paths, RealFileView(paths))) is False


def test_china_region(paths: Paths) -> None:
    setup(paths, settings(region=Region.CHINA))
    assert profile(paths)["zaiApiLine"] == "china_coding"
    servers = load(mcp_file(paths))["mcpServers"]
    assert servers["web-search-prime"]["url"].startswith("https://open.bigmodel.cn/")  # type: ignore[index]


def test_api_base_switches_to_openai_compatible_and_back(paths: Paths) -> None:
    setup(paths, settings(api_base="http://127.0.0.1:8765", model="glm-4.7"))
    first = profile(paths)
    assert first["apiProvider"] == "openai"
    assert first["openAiBaseUrl"] == "http://127.0.0.1:8765/api/coding/paas/v4"
    assert first["openAiModelId"] == "glm-4.7"
    setup(paths, settings(model="glm-4.7"))
    second = profile(paths)
    assert second["apiProvider"] == "zai"
    assert second["apiModelId"] == "glm-4.7"
    assert not any(key.startswith("openAi") for key in second)


def test_replacing_the_users_own_import_file_is_warned_about(paths: Paths) -> None:
    user_settings(paths, "Code").parent.mkdir(parents=True)
    user_settings(paths, "Code").write_text('{"roo-cline.autoImportSettingsPath": "~/mine.json"}')
    specs = roo_code.plan(settings(), paths, RealFileView(paths))
    (spec,) = [s for s in specs if s.path == user_settings(paths, "Code")]
    assert "~/mine.json" in spec.warnings[0]
    apply(specs)
    assert roo_code.plan(settings(), paths, RealFileView(paths))[1].warnings == ()


def test_profile_module_satisfies_the_protocol() -> None:
    profile: ToolProfile = roo_code
    assert profile.TOOL_ID == "roo-code"
    assert profile.SUPPORTS_MCP


def test_mcp_off_writes_no_mcp_file(paths: Paths) -> None:
    specs = setup(paths, settings(mcp=False))
    assert not mcp_file(paths).exists()
    assert len(specs) == 2


def test_mcp_goes_to_custom_storage_path(paths: Paths) -> None:
    user_settings(paths, "Code").parent.mkdir(parents=True)
    user_settings(paths, "Code").write_text('{"roo-cline.customStoragePath": "~/roo-store"}')
    setup(paths)
    assert (paths.home / "roo-store" / "settings" / "mcp_settings.json").exists()
    assert not mcp_file(paths).exists()


def test_detect(paths: Paths) -> None:
    fs = RealFileView(paths)
    assert roo_code.detect(paths, fs).found is False
    install(paths, ".vscode-insiders")
    found = roo_code.detect(paths, fs)
    assert found.found
    assert "Code - Insiders" in found.how[0]


def test_inspect_after_setup(paths: Paths) -> None:
    install(paths, ".vscode")
    setup(paths, settings(model="glm-4.7"))
    state = roo_code.inspect(paths, RealFileView(paths))
    assert state.endpoint == "https://api.z.ai/api/coding/paas/v4"
    assert state.model == "glm-4.7"
    assert state.key == KEY
    assert state.provider == "zai"
    assert set(state.mcp_servers) == {"web-search-prime", "web-reader", "zai-mcp-server"}
    assert not any("billed separately" in note for note in state.notes)


def test_inspect_flags_the_general_api_line(paths: Paths) -> None:
    setup(paths)
    target = roo_code.import_file(paths)
    target.write_text(target.read_text().replace("international_coding", "international_api"))
    state = roo_code.inspect(paths, RealFileView(paths))
    assert state.endpoint == "https://api.z.ai/api/paas/v4"
    assert any("billed separately" in note for note in state.notes)
    assert any("international_api" in note for note in state.notes)


def test_inspect_without_anything(paths: Paths) -> None:
    state = roo_code.inspect(paths, RealFileView(paths))
    assert state.endpoint is None
    assert state.key is None
    assert state.notes


def test_log_locations(paths: Paths) -> None:
    logs = roo_code.log_locations(paths)
    assert mcp_file(paths).parent.parent / "tasks" in logs


VALIDATE_JS = """
const t = require(process.argv[1]);
const z = require(require.resolve("zod", { paths: [process.argv[1]] }));
const doc = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const problems = [];
// Roo's importSettingsFromPath: {providerProfiles: providerProfilesSchema, globalSettings?}
const profilesSchema = z.object({
  currentApiConfigName: z.string(),
  apiConfigs: z.record(z.string(), t.providerSettingsWithIdSchema),
  modeApiConfigs: z.record(z.string(), z.string()).optional(),
});
const top = z.object({
  providerProfiles: profilesSchema,
  globalSettings: t.globalSettingsSchema.optional(),
});
const parsed = top.safeParse(doc);
if (!parsed.success) problems.push(JSON.stringify(parsed.error.issues));
const profiles = doc.providerProfiles;
if (!(profiles.currentApiConfigName in profiles.apiConfigs)) {
  problems.push("current profile missing");
}
const ids = Object.values(profiles.apiConfigs).map((cfg) => cfg.id);
for (const id of Object.values(profiles.modeApiConfigs || {})) {
  if (!ids.includes(id)) problems.push("mode points at unknown id " + id);
}
for (const [name, cfg] of Object.entries(profiles.apiConfigs)) {
  const res = t.providerSettingsWithIdSchema.safeParse(cfg);
  if (!res.success) continue;
  const lost = Object.keys(cfg).filter((k) => !(k in res.data));
  if (lost.length) problems.push(name + ": unknown keys " + lost.join(","));
  const union = t.providerSettingsSchemaDiscriminated.safeParse(cfg);
  if (!union.success) problems.push(name + ": not a valid provider");
}
console.log(JSON.stringify(problems));
"""


@pytest.mark.parametrize("api_base", [None, "http://127.0.0.1:8765"])
def test_profile_validates_against_roo_schemas(paths: Paths, api_base: str | None) -> None:
    node = shutil.which("node")
    if node is None or not ROO_TYPES.is_dir():
        pytest.skip(
            "node or .realtools/node_modules/@roo-code/types missing (scripts/install-realtools.sh)"
        )
    setup(paths, settings(api_base=api_base))
    run = subprocess.run(
        [node, "-e", VALIDATE_JS, str(ROO_TYPES), str(roo_code.import_file(paths))],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(run.stdout) == []
