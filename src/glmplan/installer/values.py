"""Small pure helpers over parsed documents: look a key path up, hash a value, find secrets."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from glmplan.formats import MISSING
from glmplan.installer.edits import Edit, JSONValue, KeyPath, Set


def lookup(doc: object, path: KeyPath) -> object:
    """The value at `path` in a parsed document, or MISSING."""
    node = doc
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return MISSING
        node = node[key]
    return node


def blocking_prefix(doc: object, path: KeyPath) -> KeyPath | None:
    """The first proper prefix of `path` that exists but is not an object (we won't replace it)."""
    node = doc
    for i, key in enumerate(path[:-1]):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
        if not isinstance(node, dict):
            return path[: i + 1]
    return None


def value_sha256(value: object) -> str:
    """A stable hash of a parsed value (key order ignored; `1`, `1.0` and `true` stay distinct)."""
    canonical = json.dumps(
        _tagged(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=repr
    )
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _tagged(value: object) -> object:
    # bool is an int and 1 == 1.0 in Python: tag scalars by type so a changed type is a change.
    if isinstance(value, dict):
        return {str(k): _tagged(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_tagged(v) for v in value]
    if value is None or isinstance(value, str):
        return value
    return [type(value).__name__, repr(value)]


def same_value(a: object, b: object) -> bool:
    return value_sha256(a) == value_sha256(b)


def secret_strings(edits: tuple[Edit, ...] | list[Edit]) -> list[str]:
    """Every string inside a `Set(secret=True)` value, longest first (for redaction)."""
    found = {s for e in edits if isinstance(e, Set) and e.secret for s in _strings(e.value)}
    return sorted(found, key=len, reverse=True)


def _strings(value: JSONValue) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def dotted(path: KeyPath) -> str:
    return ".".join(path)
