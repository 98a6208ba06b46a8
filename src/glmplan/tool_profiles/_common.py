"""Small helpers shared by the OpenAI-compatible profiles (OpenCode, Cline, Crush).

Reading goes through the profile's `FileView` and `formats.parse`; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from glmplan.errors import GlmplanError
from glmplan.formats import parse
from glmplan.installer.edits import Delete, Edit, Format, JSONValue, KeyPath
from glmplan.paths import Paths
from glmplan.plan import CODING_PATH, GENERAL_PATH, HOSTS, EndpointKind, Region, classify_endpoint
from glmplan.tool_profiles.base import FileView

GENERAL_NOTE = (
    "uses Z.ai's GENERAL API ({url}): billed separately to the account balance, "
    "not to the GLM Coding Plan; run `glmplan setup {tool}`"
)

CODING_GLOBAL = HOSTS[Region.GLOBAL] + CODING_PATH
CODING_CHINA = HOSTS[Region.CHINA] + CODING_PATH
GENERAL_GLOBAL = HOSTS[Region.GLOBAL] + GENERAL_PATH
GENERAL_CHINA = HOSTS[Region.CHINA] + GENERAL_PATH


def read_object(fs: FileView, path: Path, fmt: Format) -> tuple[dict[str, object] | None, str]:
    """The file's top-level object, or None and why not ("" when the file is simply missing)."""
    text = fs.read_text(path)
    if text is None:
        return None, ""
    try:
        data = parse(fmt, text, str(path))
    except GlmplanError as exc:  # status/doctor show a broken file instead of failing
        return None, f"cannot read {path}: {exc}"
    if not isinstance(data, dict):
        return None, f"cannot read {path}: the top level is not an object"
    return {str(key): value for key, value in data.items()}, ""


def dig(data: object, path: KeyPath) -> object:
    """The value at `path` inside parsed data, or None."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def str_at(data: object, path: KeyPath) -> str | None:
    value = dig(data, path)
    return value if isinstance(value, str) else None


def names_at(data: object, path: KeyPath) -> tuple[str, ...]:
    value = dig(data, path)
    return tuple(str(name) for name in value) if isinstance(value, dict) else ()


def read_layered(
    fs: FileView, files: Iterable[Path], fmt: Format
) -> tuple[dict[str, object], list[str]]:
    """`files` read and deep-merged in order (later wins), and a note for each unreadable one."""
    merged: dict[str, object] = {}
    notes: list[str] = []
    for path in files:
        data, problem = read_object(fs, path, fmt)
        if problem:
            notes.append(problem)
        if data is not None:
            merged = deep_merge(merged, data)
    return merged, notes


def deep_merge(low: dict[str, object], high: dict[str, object]) -> dict[str, object]:
    """`high` over `low`, objects merged key by key (how the tools layer their config files)."""
    merged = dict(low)
    for key, value in high.items():
        below = merged.get(key)
        if isinstance(below, dict) and isinstance(value, dict):
            merged[key] = deep_merge(
                {str(k): v for k, v in below.items()}, {str(k): v for k, v in value.items()}
            )
        else:
            merged[key] = value
    return merged


def endpoint_notes(endpoint: str | None, tool: str) -> list[str]:
    """The loud warning for the general API, or nothing."""
    if classify_endpoint(endpoint) is EndpointKind.GENERAL:
        return [GENERAL_NOTE.format(url=endpoint, tool=tool)]
    return []


def prune_edits(existing: object, base: KeyPath, keep: Iterable[str]) -> list[Edit]:
    """Deletes for keys of the object at `base` that are not in `keep` (stale fields)."""
    found = dig(existing, base)
    if not isinstance(found, dict):
        return []
    wanted = set(keep)
    return [Delete((*base, str(key))) for key in found if key not in wanted]


def extension_folders(paths: Paths, fs: FileView, extension_id: str) -> list[Path]:
    """Installed copies `<publisher.name>-<version>…` of a VS Code extension, any variant/case."""
    prefix = extension_id.lower() + "-"
    return [
        directory / name
        for _variant, directory in paths.vscode_extension_dirs()
        for name in fs.listdir(directory)
        if name.lower().startswith(prefix) and name[len(prefix) : len(prefix) + 1].isdigit()
    ]


def json_str_map(values: dict[str, str]) -> dict[str, JSONValue]:
    """A str→str dict typed as a JSON object (dict is invariant, so mypy needs the copy)."""
    return dict(values)
