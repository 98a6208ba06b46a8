"""Edits as plain data: what a profile asks for, never text and never I/O.

A profile returns `FileSpec`s; the engine reads each file, applies the edits with `formats/`, and
writes. Values are JSON-like (str, int, float, bool, None, list, dict). A `Set` whose value is a
dict is merged leaf by leaf into an existing object (so comments and the user's other keys inside
it survive); any other value replaces what is at the path.

A `Set(..., stamped=True)` marks a value the tool itself rewrites (a timestamp it stamps on every
run): restore puts it back to what it was (removes it if glmplan created it) whatever it holds
then, never reports it as the user's change, and an object glmplan created that holds nothing
else is removed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

JSONScalar: TypeAlias = str | int | float | bool | None
JSONValue: TypeAlias = JSONScalar | list["JSONValue"] | dict[str, "JSONValue"]
KeyPath: TypeAlias = tuple[str, ...]


class Format(enum.StrEnum):
    JSON = "json"
    JSONC = "jsonc"
    YAML = "yaml"
    TOML = "toml"


@dataclass(frozen=True)
class Set:
    """Set the value at `path` (creating missing parent objects)."""

    path: KeyPath
    value: JSONValue
    secret: bool = False  # the value is (or contains) the API key: never journal or print it
    stamped: bool = False  # the tool rewrites this value itself: not a user change on restore


@dataclass(frozen=True)
class Delete:
    """Remove the key at `path` if present (used to undo a tool's own wrong migration, say)."""

    path: KeyPath


Edit: TypeAlias = Set | Delete


@dataclass(frozen=True)
class FileSpec:
    """One file a profile wants changed."""

    path: Path
    format: Format
    edits: tuple[Edit, ...]
    holds_secret: bool = False  # the file ends 0600 (tightened, never loosened)
    purpose: str = ""  # shown to the user: "settings", "credentials", "MCP servers", ...
    new_file_text: str = "{}\n"  # the text a file that does not exist yet starts from
    warnings: tuple[str, ...] = field(default=())
