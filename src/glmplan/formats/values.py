"""Plain-data helpers shared by the format modules: strict equality and edits applied to data."""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence

from glmplan.errors import GlmplanError
from glmplan.installer.edits import Delete, Edit, JSONValue, KeyPath


def same_value(a: object, b: object) -> bool:
    """Equality that tells 1, 1.0 and True apart (and compares dicts key by key, any order)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def first_difference(a: object, b: object, path: KeyPath = ()) -> KeyPath | None:
    """The key path of the first place where `a` and `b` differ (values are never reported)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                return (*path, str(key))
            found = first_difference(a[key], b[key], (*path, str(key)))
            if found is not None:
                return found
        return None
    return None if same_value(a, b) else path


def _merge(target: dict[str, object], key: str, value: JSONValue) -> None:
    current = target.get(key)
    if isinstance(value, dict) and isinstance(current, dict):
        for inner_key, inner in value.items():
            _merge(current, inner_key, inner)
    else:
        target[key] = copy.deepcopy(value)


def _parent(data: dict[str, object], path: KeyPath, source: str, create: bool) -> object:
    node: object = data
    for depth, key in enumerate(path[:-1]):
        assert isinstance(node, dict)
        if key not in node and create:
            node[key] = {}
        if key not in node:
            return None
        node = node[key]
        if not isinstance(node, dict):
            if not create:
                return None
            where = ".".join(path[: depth + 1])
            raise GlmplanError(f"{source}: cannot set {'.'.join(path)}: {where} is not an object")
    return node


def apply_to_data(data: object, edits: Sequence[Edit], source: str) -> object:
    """A deep copy of `data` with `edits` applied (Set merges dicts leaf by leaf)."""
    result = copy.deepcopy(data)
    if result is None:
        result = {}
    if not isinstance(result, dict):
        raise GlmplanError(f"{source}: the top level is not an object; glmplan cannot edit it")
    for change in edits:
        if not change.path:
            raise GlmplanError(f"{source}: an edit needs a key path")
        parent = _parent(result, change.path, source, create=not isinstance(change, Delete))
        if not isinstance(parent, dict):
            continue
        if isinstance(change, Delete):
            parent.pop(change.path[-1], None)
        else:
            _merge(parent, change.path[-1], change.value)
    return result


def lookup(data: object, path: KeyPath, missing: object) -> object:
    node = data
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return missing
        node = node[key]
    return node
