"""The engine over every format: setup, a user edit elsewhere, restore keeps it (11, 13, 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from glmplan import formats
from glmplan.installer.edits import FileSpec, Format, JSONValue, Set
from glmplan.installer.restore import restore
from glmplan.paths import Paths

from .helpers import KEY, setup

ORIGINALS = {
    Format.JSON: '{\n  "user": {"theme": "dark"},\n  "hooks": []\n}\n',
    Format.JSONC: '{\n  // mine\n  "user": {"theme": "dark",},\n  "hooks": [],\n}\n',
    Format.TOML: '# mine\n[user]\ntheme = "dark"  # keep\n\n[hooks]\n',
    Format.YAML: "# mine\nuser:\n  theme: dark  # keep\nhooks: []\n",
}


def spec(path: Path, fmt: Format) -> FileSpec:
    provider: dict[str, JSONValue] = {
        "base_url": "https://api.z.ai/api/coding/paas/v4",
        "api_key": KEY,
    }
    return FileSpec(
        path=path,
        format=fmt,
        edits=(Set(("providers", "zai"), provider, secret=True),),
        holds_secret=True,
    )


@pytest.mark.parametrize("fmt", list(Format))
def test_setup_then_exact_restore(paths: Paths, isolated_home: Path, fmt: Format) -> None:
    target = isolated_home / f"config.{fmt.value}"
    target.write_text(ORIGINALS[fmt])
    result = setup(paths, {"tool": [spec(target, fmt)]})
    assert result.changed
    doc = formats.parse(fmt, target.read_text(), "t")
    assert isinstance(doc, dict) and doc["providers"]["zai"]["api_key"] == KEY
    assert setup(paths, {"tool": [spec(target, fmt)]}).files[0].action == "unchanged"
    restore(paths, None, force=False, dry_run=False)
    assert target.read_text() == ORIGINALS[fmt]


@pytest.mark.parametrize("fmt", list(Format))
def test_user_edit_survives_key_level_restore(
    paths: Paths, isolated_home: Path, fmt: Format
) -> None:
    target = isolated_home / f"config.{fmt.value}"
    target.write_text(ORIGINALS[fmt])
    setup(paths, {"tool": [spec(target, fmt)]})
    edit = [Set(("user", "theme"), "light")]
    target.write_text(formats.apply_edits(fmt, target.read_text(), edit, "t"))
    result = restore(paths, None, force=False, dry_run=False)
    assert [f.action for f in result.files] == ["reverted-keys"]
    expected = formats.apply_edits(fmt, ORIGINALS[fmt], edit, "t")
    assert formats.parse(fmt, target.read_text(), "t") == formats.parse(fmt, expected, "t")
    assert KEY not in target.read_text()
