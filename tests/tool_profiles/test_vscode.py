"""Shared VS Code-variant logic: finding extensions, user settings, storage, the import file."""

from __future__ import annotations

import json
from pathlib import Path

from glmplan.installer.edits import Delete, Set
from glmplan.installer.fs import RealFileView
from glmplan.paths import Paths
from glmplan.plan import Endpoints, PlanName, Region, find_model
from glmplan.tool_profiles import _roo_format, _vscode
from glmplan.tool_profiles.base import SetupSettings

KEY = "sk-CANARY-vscode-0123456789"


def settings(*, region: Region = Region.GLOBAL, api_base: str | None = None) -> SetupSettings:
    return SetupSettings(
        plan=PlanName.PRO,
        region=region,
        endpoints=Endpoints.for_region(region, api_base),
        api_key=KEY,
        model=find_model("glm-4.7"),
        fast_model=find_model("glm-4.5-air"),
        mcp=True,
        api_base=api_base,
    )


def make_extension(root: Path, folder: str, version: str | None) -> Path:
    path = root / folder
    path.mkdir(parents=True)
    if version is not None:
        (path / "package.json").write_text(json.dumps({"name": "x", "version": version}))
    return path


def test_parse_version() -> None:
    assert _vscode.parse_version("7.3.50") == (7, 3, 50)
    assert _vscode.parse_version("5.10.4-beta.1") == (5, 10, 4)
    assert _vscode.parse_version(" 3 ") == (3,)
    assert _vscode.parse_version("latest") == ()
    assert _vscode.parse_version("10.0.0") > _vscode.parse_version("9.9.9")


def test_find_installed_case_insensitive_newest_per_variant(paths: Paths) -> None:
    code = paths.home / ".vscode" / "extensions"
    make_extension(code, "RooVeterinaryInc.roo-cline-3.9.0", "3.9.0")
    make_extension(code, "rooveterinaryinc.roo-cline-3.52.1", "3.52.1")
    make_extension(code, "rooveterinaryinc.roo-cline-nightly-4.0.0", "4.0.0")  # another extension
    make_extension(code, "saoudrizwan.claude-dev-4.1.13", "4.1.13")
    cursor = paths.home / ".cursor" / "extensions"
    make_extension(cursor, "rooveterinaryinc.roo-cline-3.40.0-linux-x64", None)
    found = _vscode.find_installed(paths, RealFileView(paths), "RooVeterinaryInc.roo-cline")
    assert [(i.variant, i.version) for i in found] == [
        ("Code", "3.52.1"),
        ("Cursor", "3.40.0-linux-x64"),
    ]
    assert found[0].folder == code / "rooveterinaryinc.roo-cline-3.52.1"
    assert found[0].major == 3


def test_version_comes_from_package_json_not_folder_name(paths: Paths) -> None:
    code = paths.home / ".vscode" / "extensions"
    make_extension(code, "kilocode.kilo-code-7.3.50-linux-x64", "7.3.50")
    (found,) = _vscode.find_installed(paths, RealFileView(paths), "kilocode.kilo-code")
    assert found.version == "7.3.50"
    assert found.major == 7


def test_obsolete_folders_are_skipped(paths: Paths) -> None:
    code = paths.home / ".vscode" / "extensions"
    make_extension(code, "kilocode.kilo-code-4.29.2", "4.29.2")
    make_extension(code, "kilocode.kilo-code-7.0.25", "7.0.25")
    (code / ".obsolete").write_text(json.dumps({"kilocode.kilo-code-7.0.25": True}))
    (found,) = _vscode.find_installed(paths, RealFileView(paths), "kilocode.kilo-code")
    assert found.version == "4.29.2"


def test_nothing_installed(paths: Paths) -> None:
    assert _vscode.find_installed(paths, RealFileView(paths), "kilocode.kilo-code") == []
    assert _vscode.target_variants([]) == ["Code"]


def test_user_settings_per_platform(tmp_path: Path) -> None:
    home = tmp_path / "h"
    linux = Paths(home=home, env={}, platform="linux")
    mac = Paths(home=home, env={}, platform="darwin")
    win = Paths(home=home, env={"APPDATA": str(tmp_path / "Roaming")}, platform="win32")
    assert _vscode.settings_file(linux, "Code") == home / ".config/Code/User/settings.json"
    assert (
        _vscode.settings_file(mac, "VSCodium")
        == home / "Library/Application Support/VSCodium/User/settings.json"
    )
    assert _vscode.settings_file(win, "Cursor") == tmp_path / "Roaming/Cursor/User/settings.json"
    assert (
        _vscode.global_storage(linux, "Code - Insiders", "RooVeterinaryInc.roo-cline")
        == home / ".config/Code - Insiders/User/globalStorage/rooveterinaryinc.roo-cline"
    )


def test_custom_storage_path_is_honoured(paths: Paths) -> None:
    fs = RealFileView(paths)
    default = _vscode.storage_dir(paths, fs, "Code", "rooveterinaryinc.roo-cline", "roo-cline")
    assert default.name == "rooveterinaryinc.roo-cline"
    user = _vscode.settings_file(paths, "Code")
    user.parent.mkdir(parents=True)
    user.write_text('{\n  // mine\n  "roo-cline.customStoragePath": "~/roo-data",\n}\n')
    custom = _vscode.storage_dir(paths, fs, "Code", "rooveterinaryinc.roo-cline", "roo-cline")
    assert custom == paths.home / "roo-data"


def test_import_profile_zai_lines() -> None:
    glob = _roo_format.import_profile(settings())
    assert glob["apiProvider"] == "zai"
    assert glob["zaiApiLine"] == "international_coding"
    assert glob["apiModelId"] == "glm-4.7"
    assert glob["zaiApiKey"] == KEY
    china = _roo_format.import_profile(settings(region=Region.CHINA))
    assert china["zaiApiLine"] == "china_coding"
    assert _roo_format.ZAI_LINES["international_api"].endswith("/api/paas/v4")


def test_import_profile_api_base_uses_openai_compatible() -> None:
    profile = _roo_format.import_profile(settings(api_base="http://127.0.0.1:8123"))
    assert profile["apiProvider"] == "openai"
    assert profile["openAiBaseUrl"] == "http://127.0.0.1:8123/api/coding/paas/v4"
    assert profile["openAiApiKey"] == KEY
    assert profile["openAiModelId"] == "glm-4.7"
    info = profile["openAiCustomModelInfo"]
    assert isinstance(info, dict)
    assert info["supportsPromptCache"] is False
    assert "zaiApiKey" not in profile


def test_import_file_spec_removes_stale_fields_of_another_provider(paths: Paths) -> None:
    fs = RealFileView(paths)
    target = paths.config_dir / "roo.json"
    target.parent.mkdir(parents=True)
    old = _roo_format.import_document(settings(api_base="http://127.0.0.1:9"))
    target.write_text(json.dumps(old))
    spec = _roo_format.import_file_spec(settings(), fs, target, "Roo Code")
    deletes = {e.path[-1] for e in spec.edits if isinstance(e, Delete)}
    assert deletes == {"openAiBaseUrl", "openAiApiKey", "openAiModelId", "openAiCustomModelInfo"}
    assert spec.holds_secret
    assert all(e.secret for e in spec.edits if isinstance(e, Set))
