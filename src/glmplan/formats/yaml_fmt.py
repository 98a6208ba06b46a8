"""YAML (Goose `config.yaml`, `secrets.yaml`): ruamel.yaml round-trip, then a line merge.

ruamel keeps comments, key order and (with `preserve_quotes`) quotes, but re-styles a few things
it dumps (`{ a: 1 }` becomes `{a: 1}`); the line merge puts the user's own text back everywhere
the edit did not touch. CRLF is normalised to LF for ruamel and restored; a BOM is kept.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    SingleQuotedScalarString,
)

from glmplan.errors import FormatError, GlmplanError
from glmplan.formats.linemerge import merge
from glmplan.formats.values import same_value
from glmplan.installer.edits import Delete, Edit, JSONValue, KeyPath

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVERS = (VersionedResolver(version=(1, 1)), VersionedResolver(version=(1, 2)))
_DUPLICATE = re.compile(r'found duplicate key "(.*?)" with value')


def _yaml(indent: tuple[int, int, int] = (2, 2, 0)) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never wrap a user's long line
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return yaml


def split_lines(text: str) -> list[str]:
    """Lines with their "\\n" (split on "\\n" only, unlike str.splitlines)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _message(exc: MarkedYAMLError) -> str:
    problem = str(exc.problem or exc.context or "invalid YAML")
    if problem.startswith("but ") and exc.context:
        problem = f"{exc.context}, {problem}"
    duplicate = _DUPLICATE.search(problem)
    if duplicate:  # ruamel's own message quotes the values, which may be secrets
        return f"duplicate key {duplicate.group(1)!r}"
    return problem


def _load(yaml: YAML, body: str, source: str) -> object:
    try:
        return yaml.load(body)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise FormatError(source, line, col, _message(exc)) from None
    except YAMLError as exc:
        raise FormatError(source, 1, 1, type(exc).__name__) from None


def to_plain(value: object) -> object:
    """ruamel's round-trip types to plain Python (dict, list, str, int, float, bool, None, ...)."""
    if isinstance(value, dict):
        return {key: to_plain(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [to_plain(inner) for inner in value]
    if isinstance(value, bool | ScalarBoolean):
        return bool(value)
    if isinstance(value, TaggedScalar):  # `!!str 123`, `!Custom x`: the text after the tag
        return str(value.value)
    for plain in (int, float, str):
        if isinstance(value, plain):
            return plain(value)
    return value


def _normalise(text: str) -> tuple[str, str, bool, bool]:
    """(bom, LF body with a final newline, was CRLF, had a final newline)."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    crlf = "\r\n" in body and body.count("\r\n") == body.count("\n")
    if crlf:
        body = body.replace("\r\n", "\n")
    final = body.endswith("\n") or not body
    return bom, body if final else body + "\n", crlf, final


def parse(text: str, source: str) -> object:
    _, body, _, _ = _normalise(text)
    data = to_plain(_load(_yaml(), body, source))
    return {} if data is None else data


def guess_indent(body: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the file uses them."""
    mapping = offset = sequence = 0
    parent = -1  # indent of the previous line if it was a bare `key:`
    for line in body.split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if parent >= 0 and stripped.startswith("- ") and not sequence:
            offset = max(indent - parent, 0)
            sequence = offset + 2 + len(stripped[2:]) - len(stripped[2:].lstrip(" "))
        elif parent >= 0 and indent > parent and not mapping:
            mapping = indent - parent
        parent = indent if stripped.endswith(":") and not stripped.startswith("- ") else -1
    return mapping or 2, max(sequence, offset + 2), offset


def _needs_quotes(text: str) -> bool:
    """A string that a YAML 1.1 or 1.2 reader would load as a bool, number, null or date."""
    return any(r.resolve(ScalarNode, text, (True, False)) != _STR_TAG for r in _RESOLVERS)


def _styled(value: JSONValue, old: object = None) -> object:
    if isinstance(value, str):
        if isinstance(old, SingleQuotedScalarString | DoubleQuotedScalarString):
            return type(old)(value)
        return SingleQuotedScalarString(value) if _needs_quotes(value) else value
    if isinstance(value, dict):
        return {key: _styled(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_styled(inner) for inner in value]
    return value


def _set_leaf(node: dict[object, object], key: str, value: JSONValue) -> None:
    old = node.get(key)
    if key in node and isinstance(value, dict) and isinstance(old, dict):
        for inner_key, inner in value.items():
            _set_leaf(old, inner_key, inner)
    elif key not in node or not same_value(to_plain(old), value):
        node[key] = _styled(value, old)


def _apply(doc: dict[object, object], change: Edit, source: str) -> None:
    node = doc
    path: KeyPath = change.path
    for depth, key in enumerate(path[:-1]):
        child = node.get(key)
        if isinstance(change, Delete) and not isinstance(child, dict):
            return
        if not isinstance(change, Delete) and key not in node:
            node[key] = {}
            child = node[key]
        if not isinstance(child, dict):
            where = ".".join(path[: depth + 1])
            raise GlmplanError(f"{source}: cannot set {'.'.join(path)}: {where} is not a mapping")
        node = child
    if isinstance(change, Delete):
        node.pop(path[-1], None)
    else:
        _set_leaf(node, path[-1], change.value)


def _dump(yaml: YAML, data: object) -> str:
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def _reads_back(text: str, expected: object, source: str) -> bool:
    """True when `text` parses to `expected` (a merge that broke the syntax is just False)."""
    try:
        return same_value(parse(text, source), expected)
    except FormatError:
        return False


def edit_text(text: str, edits: Sequence[Edit], source: str) -> str:
    """Apply `edits` to YAML `text`, changing only the edited keys' lines."""
    bom, body, crlf, final = _normalise(text)
    yaml = _yaml(guess_indent(body))
    data = _load(yaml, body, source)
    base = "" if data is None else _dump(yaml, data)
    doc = CommentedMap() if data is None else data
    if not isinstance(doc, dict):
        raise GlmplanError(f"{source}: the top level is not a YAML mapping; glmplan cannot edit it")
    for change in edits:
        if not change.path:
            raise GlmplanError(f"{source}: an edit needs a key path")
        _apply(doc, change, source)
    edited = _dump(yaml, doc)
    merged = "".join(merge(split_lines(body), split_lines(base), split_lines(edited)))
    if not _reads_back(merged, to_plain(doc), source):
        merged = edited  # the merge misplaced something: fall back to ruamel's own text
    if not final:
        merged = merged.removesuffix("\n")
    if crlf:
        merged = merged.replace("\n", "\r\n")
    return bom + merged
