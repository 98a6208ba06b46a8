"""glmplan's own settings (`config.toml`) and stored key (`credentials.toml`, 0600).

Read with stdlib tomllib; written with tomlkit so a user's comments in config.toml survive.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from glmplan.errors import FormatError, GlmplanError
from glmplan.paths import Paths
from glmplan.plan import DEFAULT_FAST_MODEL, DEFAULT_MODEL, PlanName, Region

if TYPE_CHECKING:
    from glmplan.installer.edits import Edit, JSONValue

# Reading is stdlib only (tomllib): `glmplan statusline` reads the settings every few seconds.
# Writing imports tomlkit, the formats and the atomic writer inside the functions that write.


@dataclass(frozen=True)
class StoredSettings:
    plan: PlanName | None = None
    region: Region = Region.GLOBAL
    api_base: str | None = None
    model: str = DEFAULT_MODEL
    fast_model: str = DEFAULT_FAST_MODEL
    thresholds: tuple[int, int] = (80, 95)
    interval: int = 60


def _read_toml(path: Path) -> dict[str, object]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    text = raw.decode("utf-8-sig")
    try:
        return dict(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        line, col = getattr(exc, "lineno", 1), getattr(exc, "colno", 1)
        raise FormatError(path, line, col, exc.msg if hasattr(exc, "msg") else str(exc)) from exc


def _plan_or_none(raw: object) -> PlanName | None:
    try:
        return PlanName(str(raw)) if raw is not None else None
    except ValueError:
        return None


def _region(raw: object) -> Region:
    try:
        return Region(str(raw)) if raw is not None else Region.GLOBAL
    except ValueError:
        return Region.GLOBAL


def load_settings(paths: Paths) -> StoredSettings:
    data = _read_toml(paths.config_file)
    base = StoredSettings()
    thresholds = data.get("thresholds")
    pair = base.thresholds
    if isinstance(thresholds, list) and len(thresholds) == 2:
        pair = (int(thresholds[0]), int(thresholds[1]))
    interval = data.get("interval")
    return StoredSettings(
        plan=_plan_or_none(data.get("plan")),
        region=_region(data.get("region")),
        api_base=str(data["api_base"]) if data.get("api_base") else None,
        model=str(data.get("model") or base.model),
        fast_model=str(data.get("fast_model") or base.fast_model),
        thresholds=pair,
        interval=int(interval) if isinstance(interval, int) and interval > 0 else base.interval,
    )


def save_settings(paths: Paths, settings: StoredSettings) -> None:
    """Update config.toml through the TOML editor: the user's comments, BOM and EOL stay."""
    from glmplan.formats import apply_edits
    from glmplan.installer.edits import Delete, Format, Set

    path = paths.config_file
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        text = "# glmplan settings; `glmplan setup` updates them\n"
    except UnicodeDecodeError as exc:
        raise FormatError(path, 1, exc.start + 1, "not UTF-8 text") from exc
    values: dict[str, JSONValue] = {
        "plan": settings.plan.value if settings.plan else None,
        "region": settings.region.value,
        "api_base": settings.api_base,
        "model": settings.model,
        "fast_model": settings.fast_model,
        "thresholds": list(settings.thresholds),
        "interval": settings.interval,
    }
    edits: list[Edit] = [
        Delete((key,)) if value is None else Set((key,), value) for key, value in values.items()
    ]
    new_text = apply_edits(Format.TOML, text, edits, str(path))
    if new_text != text or not path.exists():
        _write_private(path, new_text)


def load_key(paths: Paths, environ: Mapping[str, str] | None = None) -> str | None:
    """The key from env `ZAI_API_KEY`, else the stored one."""
    env = os.environ if environ is None else environ
    if env.get("ZAI_API_KEY"):
        return env["ZAI_API_KEY"].strip()
    return stored_key(paths)


def stored_key(paths: Paths) -> str | None:
    value = _read_toml(paths.credentials_file).get("api_key")
    return value.strip() if isinstance(value, str) and value.strip() else None


def save_key(paths: Paths, key: str) -> None:
    import tomlkit

    if stored_key(paths) == key:
        return
    doc = tomlkit.document()
    doc.add(tomlkit.comment("GLM Coding Plan API key, stored by glmplan (mode 0600)"))
    doc["api_key"] = key
    _write_private(paths.credentials_file, tomlkit.dumps(doc))


def _write_private(path: Path, text: str) -> None:
    from glmplan.installer.atomic import atomic_write, sweep_temp_files

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    sweep_temp_files(path.parent)  # a run killed mid-write left one (possibly holding the key)
    try:
        atomic_write(
            path, text.encode(), expected_sha256=None, holds_secret=True, check_expected=False
        )
    except OSError as exc:
        raise GlmplanError(f"Cannot write {path}: {exc.strerror or exc}") from exc


def with_plan(settings: StoredSettings, plan: PlanName) -> StoredSettings:
    return replace(settings, plan=plan)


def is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()
