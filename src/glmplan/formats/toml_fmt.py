"""TOML: read strictly with stdlib tomllib, edit with tomlkit (comments and layout kept).

tomlkit fails on a UTF-8 BOM, so it is stripped and put back; CRLF is normalised to LF for tomlkit
and restored. The same line merge as for YAML keeps every line the edit did not touch.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import InlineTable, Item

from glmplan.errors import FormatError, GlmplanError
from glmplan.formats.linemerge import merge
from glmplan.formats.values import same_value
from glmplan.formats.yaml_fmt import split_lines
from glmplan.installer.edits import Delete, Edit, JSONValue, KeyPath

_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")


def _normalise(text: str) -> tuple[str, str, bool]:
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    crlf = "\r\n" in body and body.count("\r\n") == body.count("\n")
    return bom, body.replace("\r\n", "\n") if crlf else body, crlf


def _error(exc: tomllib.TOMLDecodeError, body: str, source: str) -> FormatError:
    message = str(exc)
    at = _AT.search(message)
    if at:
        return FormatError(source, int(at.group(1)), int(at.group(2)), message[: at.start()])
    end = _AT_END.search(message)
    lines = body.split("\n")
    line, col = len(lines), len(lines[-1]) + 1
    return FormatError(source, line, col, message[: end.start()] if end else message)


def parse(text: str, source: str) -> object:
    _, body, _ = _normalise(text)
    try:
        return tomllib.loads(body)
    except tomllib.TOMLDecodeError as exc:
        raise _error(exc, body, source) from None


def _plain(value: object) -> object:
    return value.unwrap() if isinstance(value, Item) else value


def _new_item(value: JSONValue, inline: bool) -> Item:
    """A tomlkit item; tables inside an inline table must be inline too."""
    if inline and isinstance(value, dict):
        table = tomlkit.inline_table()
        for key, inner in value.items():
            table[key] = _new_item(inner, inline=True)
        return table
    return tomlkit.item(value)


def _set_leaf(node: dict[str, object], key: str, value: JSONValue, source: str) -> None:
    old = node.get(key)
    if key in node and isinstance(value, dict) and isinstance(old, dict):
        for inner_key, inner in value.items():
            _set_leaf(old, inner_key, inner, source)
    elif key not in node or not same_value(_plain(old), value):
        try:
            node[key] = _new_item(value, isinstance(node, InlineTable))
        except (TOMLKitError, TypeError, ValueError) as exc:
            kind = "null" if value is None else type(value).__name__
            raise GlmplanError(f"{source}: cannot write {key} as TOML (a {kind} value)") from exc


def _apply(doc: dict[str, object], change: Edit, source: str) -> None:
    node = doc
    path: KeyPath = change.path
    for depth, key in enumerate(path[:-1]):
        child = node.get(key)
        if isinstance(change, Delete) and not isinstance(child, dict):
            return
        if not isinstance(change, Delete) and key not in node:
            node[key] = tomlkit.inline_table() if isinstance(node, InlineTable) else tomlkit.table()
            child = node[key]
        if not isinstance(child, dict):
            where = ".".join(path[: depth + 1])
            raise GlmplanError(f"{source}: cannot set {'.'.join(path)}: {where} is not a table")
        node = child
    if isinstance(change, Delete):
        node.pop(path[-1], None)
    else:
        _set_leaf(node, path[-1], change.value, source)


def edit_text(text: str, edits: Sequence[Edit], source: str) -> str:
    """Apply `edits` to TOML `text`, changing only the edited keys' lines."""
    parse(text, source)  # strict first: tomlkit accepts some invalid documents
    bom, body, crlf = _normalise(text)
    doc = tomlkit.parse(body)
    base = doc.as_string()
    for change in edits:
        if not change.path:
            raise GlmplanError(f"{source}: an edit needs a key path")
        _apply(doc, change, source)
    edited = doc.as_string()
    merged = "".join(merge(split_lines(body), split_lines(base), split_lines(edited)))
    try:
        merged_ok = same_value(parse(merged, source), doc.unwrap())
    except FormatError:  # the merge broke the syntax
        merged_ok = False
    if not merged_ok:
        merged = edited
    if body and not body.endswith("\n"):  # keep a missing final newline missing
        merged = merged.removesuffix("\n")
    if crlf:
        merged = merged.replace("\n", "\r\n")
    return bom + merged
