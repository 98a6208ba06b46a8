"""The Roo Code import file, checked against Roo's own zod schemas (npm `@roo-code/types`)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests.realtools.e2e import require_profile
from tests.realtools.harness import FAKE_KEY
from tests.realtools.roo_schema import unavailable_reason, validate_roo_profile
from tests.support.cli import run_glmplan

pytestmark = pytest.mark.realtools

PROFILE_ID = "glm-profile"
VALID: dict[str, object] = {
    "providerProfiles": {
        "currentApiConfigName": "GLM",
        "apiConfigs": {
            "GLM": {
                "id": PROFILE_ID,
                "apiProvider": "zai",
                "zaiApiLine": "international_coding",
                "zaiApiKey": FAKE_KEY,
                "apiModelId": "glm-4.5",
            }
        },
        "modeApiConfigs": {"code": PROFILE_ID, "ask": PROFILE_ID},
    },
    "globalSettings": {},
}


@pytest.fixture(autouse=True)
def _need_roo_types() -> None:
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)


def _write(tmp_path: Path, doc: object) -> Path:
    path = tmp_path / "roo-profile.json"
    path.write_text(json.dumps(doc))
    return path


def _profile(doc: dict[str, object]) -> dict[str, object]:
    profiles = doc["providerProfiles"]
    assert isinstance(profiles, dict)
    profile = profiles["apiConfigs"]["GLM"]
    assert isinstance(profile, dict)
    return profile


def test_valid_profile_has_no_errors(tmp_path: Path) -> None:
    assert validate_roo_profile(_write(tmp_path, VALID)) == []


def test_openai_compatible_profile_is_valid(tmp_path: Path) -> None:
    doc = copy.deepcopy(VALID)
    profile = _profile(doc)
    profile.clear()
    profile.update(
        id=PROFILE_ID,
        apiProvider="openai",
        openAiBaseUrl="http://127.0.0.1:9/api/coding/paas/v4",
        openAiApiKey=FAKE_KEY,
        openAiModelId="glm-4.5",
        openAiCustomModelInfo={"contextWindow": 131072, "supportsPromptCache": False},
    )
    assert validate_roo_profile(_write(tmp_path, doc)) == []


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("zaiApiLine", "international", "apiConfigs.GLM.zaiApiLine: Invalid enum value"),
        ("zaiApiKey", 42, "apiConfigs.GLM.zaiApiKey: Expected string, received number"),
        ("zaiApiUrl", "https://x", "apiConfigs.GLM: Unrecognized key(s) in object: 'zaiApiUrl'"),
        ("apiProvider", "zai-coding-plan", "apiConfigs.GLM.apiProvider: Invalid input"),
    ],
)
def test_invalid_profile_fields_are_reported(
    tmp_path: Path, field: str, value: object, expected: str
) -> None:
    doc = copy.deepcopy(VALID)
    _profile(doc)[field] = value
    errors = validate_roo_profile(_write(tmp_path, doc))
    assert any(expected in error for error in errors), errors


def test_dangling_names_and_ids_are_reported(tmp_path: Path) -> None:
    doc = copy.deepcopy(VALID)
    profiles = doc["providerProfiles"]
    assert isinstance(profiles, dict)
    profiles["currentApiConfigName"] = "Other"
    profiles["modeApiConfigs"] = {"code": "missing-id"}
    errors = validate_roo_profile(_write(tmp_path, doc))
    assert errors == [
        'providerProfiles.currentApiConfigName: no profile named "Other"',
        'providerProfiles.modeApiConfigs.code: no profile with id "missing-id"',
    ]


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    errors = validate_roo_profile(path)
    assert len(errors) == 1
    assert errors[0].startswith(f"cannot read {path}")


@pytest.mark.parametrize(
    "extra",
    [(), ("--region", "china"), ("--api-base", "http://127.0.0.1:9", "--model", "glm-4.7")],
)
def test_the_profile_glmplan_writes_is_valid(isolated_home: Path, extra: tuple[str, ...]) -> None:
    require_profile("roo_code")
    run = run_glmplan(
        "setup",
        "roo-code",
        "--plan",
        "pro",
        "--api-key-stdin",
        "--yes",
        *extra,
        stdin=FAKE_KEY + "\n",
    )
    assert run.code == 0, run.out + run.err
    written = sorted(isolated_home.rglob("roo-code-profile.json"))
    assert len(written) == 1, written
    assert validate_roo_profile(written[0]) == []
