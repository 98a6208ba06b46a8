"""The real Cline profile through the engine, with what Cline 3.0.65 does to providers.json on
every run (re-serialised, a new `updatedAt` on the provider it used), as seen in
tests/realtools/FINDINGS.md. The live check is tests/realtools/test_e2e_cline.py."""

from __future__ import annotations

import json
from pathlib import Path

from glmplan.installer.fs import RealFileView
from glmplan.installer.restore import restore
from glmplan.paths import Paths
from glmplan.plan import Endpoints, PlanName, Region, find_model
from glmplan.tool_profiles import cline
from glmplan.tool_profiles.base import SetupSettings

from .helpers import KEY, all_bytes_under, setup

USER_PROVIDERS = {
    "version": 1,
    "lastUsedProvider": "anthropic",
    "modes": {},
    "providers": {
        "anthropic": {
            "settings": {"provider": "anthropic", "apiKey": "sk-ant-not-real", "model": "x"},
            "updatedAt": "2026-01-01T00:00:00.000Z",
            "tokenSource": "manual",
        }
    },
}


def settings(model: str = "glm-4.5") -> SetupSettings:
    return SetupSettings(
        plan=PlanName.PRO,
        region=Region.GLOBAL,
        endpoints=Endpoints.for_region(Region.GLOBAL),
        api_key=KEY,
        model=find_model(model),
        fast_model=find_model("glm-4.5-air"),
        mcp=False,
    )


def glmplan_setup(paths: Paths, model: str = "glm-4.5") -> list[str]:
    specs = cline.plan(settings(model), paths, RealFileView(paths))
    return [f.action for f in setup(paths, {"cline": specs}).files]


def cline_run(path: Path, stamp: str) -> None:
    """Cline's legacy migration (it never overwrites an entry), then its stamp and format."""
    doc = json.loads(path.read_text())
    secrets = json.loads((path.parent.parent / "secrets.json").read_text())
    migrated = {"provider": "openai-compatible", "apiKey": secrets["openAiApiKey"]}
    entry = {"settings": migrated, "updatedAt": stamp, "tokenSource": "migration"}
    doc["providers"].setdefault("openai-compatible", entry)
    doc["providers"][doc["lastUsedProvider"]]["updatedAt"] = stamp
    path.write_text(json.dumps(doc, indent=2) + "\n")


def test_setup_cline_run_restore(paths: Paths) -> None:
    providers = cline.providers_file(paths)
    providers.parent.mkdir(parents=True)
    providers.write_text(json.dumps(USER_PROVIDERS, indent=2))
    glmplan_setup(paths)
    cline_run(providers, "2026-05-05T05:05:05.555Z")
    assert glmplan_setup(paths) == ["unchanged"] * 3  # the new stamp is kept, nothing written
    glmplan_setup(paths, model="glm-4.7")  # settings change: a new stamp of our own
    cline_run(providers, "2026-06-06T06:06:06.666Z")

    result = restore(paths, ["cline"], force=False, dry_run=False)

    assert result.exit_code == 0, result.files
    actions = {Path(f.path).name: f.action for f in result.files}
    assert actions == {
        "providers.json": "reverted-keys",
        "globalState.json": "removed",
        "secrets.json": "removed",
    }
    assert json.loads(providers.read_text()) == USER_PROVIDERS
    assert KEY.encode() not in all_bytes_under(paths.home)
