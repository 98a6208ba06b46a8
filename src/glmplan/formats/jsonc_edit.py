"""Span edits on JSON / JSONC text, in the manner of Microsoft's jsonc-parser `modify`.

Only the text of the edited property changes: a set replaces the value's exact span, an insert adds
one property after the object's last one (with the file's indent unit, EOL and trailing-comma
style), a delete removes the property's lines. Every edit re-parses the text, so offsets are fresh.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from glmplan.errors import GlmplanError
from glmplan.formats.jsonc_parse import Node, comment_end, parse_tree
from glmplan.formats.values import same_value
from glmplan.installer.edits import Delete, Edit, JSONValue, KeyPath

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Style:
    eol: str
    unit: str
    sep: str
    trailing: bool


def detect_style(text: str, root: Node | None, jsonc: bool) -> Style:
    nl = text.find("\n")
    eol = "\r\n" if nl > 0 and text[nl - 1] == "\r" else "\n"
    unit, sep, trailing = "", "", False
    for node in _walk(root):
        members = [p.start for p in node.props] or [i.start for i in node.items]
        if node.props and not sep:
            first = node.props[0]
            between = text[first.key_end : first.value.start]
            sep = between if between.strip(" \t") == ":" else ""
        if members and not unit and _starts_line(text, members[0]):
            outer, inner = line_indent(text, node.start), line_indent(text, members[0])
            if inner.startswith(outer) and len(inner) > len(outer):
                unit = inner[len(outer) :]
        last_comma = node.props[-1].comma if node.props else -1
        trailing = trailing or (jsonc and last_comma >= 0)
    return Style(eol, unit or "  ", sep or ": ", trailing)


def _walk(node: Node | None) -> list[Node]:
    if node is None or node.kind == "scalar":
        return []
    found = [node]
    for child in [p.value for p in node.props] + list(node.items):
        found.extend(_walk(child))
    return found


def line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def line_indent(text: str, offset: int) -> str:
    start = line_start(text, offset)
    line = text[start:offset]
    return line[: len(line) - len(line.lstrip(" \t"))]


def _starts_line(text: str, offset: int) -> bool:
    return text[line_start(text, offset) : offset].strip(" \t") == ""


def _line_rest(text: str, pos: int) -> int:
    """Where the line ends ("\\n" or EOF) if only blanks and comments follow `pos`, else -1."""
    n = len(text)
    while pos < n:
        ch = text[pos]
        if ch in " \t\r":
            pos += 1
        elif text.startswith("//", pos) or text.startswith("/*", pos):
            end = comment_end(text, pos)
            if "\n" in text[pos:end] and text.startswith("/*", pos):
                return -1
            pos = end
        else:
            return pos if ch == "\n" else -1
    return n


def _before_eol(text: str, nl: int) -> int:
    return nl - 1 if nl > 0 and text[nl - 1] == "\r" else nl


def serialise(value: JSONValue, indent: str, style: Style, *, inline: bool = False) -> str:
    try:
        out = json.dumps(
            value, ensure_ascii=False, allow_nan=False, indent=None if inline else style.unit
        )
    except (ValueError, TypeError) as exc:  # NaN, infinity, a non-JSON type; never echo the value
        raise GlmplanError(f"cannot write the value as JSON: {exc}") from exc
    out = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)
    return out.replace("\n", style.eol + indent)


def _splice(text: str, changes: list[tuple[int, int, str]]) -> str:
    """Apply non-overlapping changes; at equal offsets the earlier-listed text comes first."""
    order = sorted(range(len(changes)), key=lambda i: (changes[i][0], i), reverse=True)
    for i in order:
        start, end, new = changes[i]
        text = text[:start] + new + text[end:]
    return text


def _insert(text: str, obj: Node, key: str, value: JSONValue, style: Style) -> str:
    open_indent = line_indent(text, obj.start)
    if not obj.props:
        return _insert_into_empty(text, obj, key, value, style, open_indent)
    last = obj.props[-1]
    after = last.comma + 1 if last.comma >= 0 else last.value.end
    nl = _line_rest(text, after)
    if nl < 0:  # the object goes on after the last property on the same line: stay inline
        prop = (
            json.dumps(key, ensure_ascii=False)
            + style.sep
            + serialise(value, "", style, inline=True)
        )
        if last.comma >= 0:
            return _splice(text, [(after, after, f" {prop},")])
        return _splice(text, [(after, after, f", {prop}")])
    indent = (
        line_indent(text, last.start)
        if _starts_line(text, last.start)
        else open_indent + style.unit
    )
    prop = json.dumps(key, ensure_ascii=False) + style.sep + serialise(value, indent, style)
    at = _before_eol(text, nl)
    changes = [] if last.comma >= 0 else [(last.value.end, last.value.end, ",")]
    changes.append((at, at, style.eol + indent + prop + ("," if last.comma >= 0 else "")))
    return _splice(text, changes)


def _insert_into_empty(
    text: str, obj: Node, key: str, value: JSONValue, style: Style, open_indent: str
) -> str:
    child = open_indent + style.unit
    prop = json.dumps(key, ensure_ascii=False) + style.sep + serialise(value, child, style)
    prop += "," if style.trailing else ""
    close = obj.end - 1
    if "\n" in text[obj.start : close] and _starts_line(text, close):
        at = line_start(text, close)
        return _splice(text, [(at, at, child + prop + style.eol)])
    start = close
    while start > obj.start + 1 and text[start - 1] in " \t":
        start -= 1
    return _splice(text, [(start, close, style.eol + child + prop + style.eol + open_indent)])


def _delete(text: str, obj: Node, index: int) -> str:
    props = obj.props
    prop = props[index]
    end = prop.comma + 1 if prop.comma >= 0 else prop.value.end
    inside_before = text[obj.start + 1 : prop.start]
    if len(props) == 1 and not inside_before.strip() and not text[end : obj.end - 1].strip():
        return _splice(text, [(obj.start + 1, obj.end - 1, "")])
    nl = _line_rest(text, end)
    if _starts_line(text, prop.start) and nl >= 0:
        changes = [(line_start(text, prop.start), min(nl + 1, len(text)), "")]
        if prop.comma < 0 and index > 0:
            before = props[index - 1].comma
            changes.append((before, before + 1, ""))
        return _splice(text, changes)
    if index + 1 < len(props):
        return _splice(text, [(prop.start, props[index + 1].start, "")])
    if index > 0:
        return _splice(text, [(props[index - 1].value.end, prop.value.end, "")])
    return _splice(text, [(prop.start, end, "")])


def _root(text: str, source: str, jsonc: bool, focus: KeyPath) -> Node | None:
    root = parse_tree(text, source, jsonc=jsonc, focus=focus)
    if root is not None and root.kind != "object":
        raise GlmplanError(f"{source}: the top level is not a JSON object; glmplan cannot edit it")
    return root


def _ensure_root(text: str, path: KeyPath, ctx: _Ctx) -> tuple[str, Node]:
    """The text and its root object; an empty (or comment-only) document becomes `{}`."""
    source, jsonc = ctx.source, ctx.jsonc
    root = _root(text, source, jsonc, path)
    if root is None:
        eol = ctx.style.eol
        head = text.rstrip(" \t\r\n")
        text = (
            (head + eol if head else "") + "{}" + (eol if text.endswith("\n") or not head else "")
        )
        root = _root(text, source, jsonc, path)
    assert root is not None
    return text, root


@dataclass(frozen=True)
class _Ctx:
    source: str
    jsonc: bool
    style: Style


def set_value(text: str, path: KeyPath, value: JSONValue, ctx: _Ctx) -> str:
    if not path:
        raise GlmplanError(f"{ctx.source}: an edit needs a key path")
    text, node = _ensure_root(text, path, ctx)
    for depth, key in enumerate(path):
        found = [p for p in node.props if p.key == key]
        if not found:
            nested: JSONValue = value
            for inner in reversed(path[depth + 1 :]):
                nested = {inner: nested}
            return _insert(text, node, key, nested, ctx.style)
        child = found[0].value
        if depth == len(path) - 1:
            return _set_leaf(text, path, child, value, ctx)
        if child.kind != "object":
            where = ".".join(path[: depth + 1])
            raise GlmplanError(
                f"{ctx.source}: cannot set {'.'.join(path)}: {where} is not an object"
            )
        node = child
    raise AssertionError("unreachable")


def _set_leaf(text: str, path: KeyPath, child: Node, value: JSONValue, ctx: _Ctx) -> str:
    if isinstance(value, dict) and child.kind == "object":
        for key, inner in value.items():
            text = set_value(text, (*path, key), inner, ctx)
        return text
    if same_value(child.value, value):
        return text
    new = serialise(value, line_indent(text, child.start), ctx.style)
    return _splice(text, [(child.start, child.end, new)])


def delete(text: str, path: KeyPath, ctx: _Ctx) -> str:
    node = _root(text, ctx.source, ctx.jsonc, path)
    for depth, key in enumerate(path):
        if node is None or node.kind != "object":
            return text
        index = next((i for i, p in enumerate(node.props) if p.key == key), -1)
        if index < 0:
            return text
        if depth == len(path) - 1:
            return _delete(text, node, index)
        node = node.props[index].value
    return text


def edit_text(text: str, edits: Sequence[Edit], source: str, *, jsonc: bool) -> str:
    """Apply `edits` in order to JSON(C) `text` (a BOM is kept)."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    ctx = _Ctx(source, jsonc, detect_style(body, _root(body, source, jsonc, ()), jsonc))
    for change in edits:
        if isinstance(change, Delete):
            body = delete(body, change.path, ctx)
            continue
        try:
            body = set_value(body, change.path, change.value, ctx)
        except GlmplanError as exc:
            if str(exc).startswith(source):
                raise
            raise GlmplanError(f"{source}: {'.'.join(change.path)}: {exc}") from exc
    return bom + body
