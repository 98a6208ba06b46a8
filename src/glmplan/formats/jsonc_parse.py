"""A strict JSON / JSONC parser that keeps offsets, so edits can replace exact spans.

JSON forbids comments and trailing commas; JSONC (VS Code, OpenCode, Kilo) allows `//` and `/* */`
comments and trailing commas. Both refuse duplicate keys. Offsets index the text *without* a BOM.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from glmplan.errors import FormatError
from glmplan.installer.edits import KeyPath

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_LITERALS: dict[str, object] = {"true": True, "false": False, "null": None}
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_TRIVIA_START = frozenset(" \t\r\n/")
_SPACE = re.compile(r"[ \t\r\n]*")
_TRIVIA = re.compile(r"(?:[ \t\r\n]+|//[^\n]*|/\*[^*]*\*+(?:[^/*][^*]*\*+)*/)*")
_STRING = re.compile(r'"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"')


@dataclass(frozen=True)
class Node:
    """A value: `start`/`end` delimit its text; `value` is the plain Python value of the subtree."""

    kind: str  # "object", "array" or "scalar"
    start: int
    end: int
    value: object
    props: tuple[Prop, ...] = ()
    items: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Prop:
    """`"key": value` inside an object; `comma` is the offset of the comma after it, or -1."""

    key: str
    start: int
    key_end: int
    value: Node
    comma: int


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset`; lines split on "\\n" only."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class _Parser:
    def __init__(self, text: str, source: str, jsonc: bool, focus: KeyPath | None) -> None:
        self.text = text
        self.source = source
        self.jsonc = jsonc
        self.focus = focus
        self.pos = 0

    def fail(self, offset: int, message: str) -> FormatError:
        line, col = line_col(self.text, offset)
        return FormatError(self.source, line, col, message)

    def skip(self) -> None:
        """Skip whitespace and (in JSONC) comments."""
        if self.text[self.pos : self.pos + 1] not in _TRIVIA_START:
            return
        match = (_TRIVIA if self.jsonc else _SPACE).match(self.text, self.pos)
        self.pos = match.end() if match else self.pos
        if self.text.startswith("/*", self.pos) or self.text.startswith("//", self.pos):
            if not self.jsonc:
                raise self.fail(self.pos, "comments are not allowed in JSON")
            raise self.fail(self.pos, "unterminated block comment")

    def _comment_end(self, at: int) -> int:
        if self.text.startswith("//", at):
            nl = self.text.find("\n", at)
            return len(self.text) if nl < 0 else nl
        close = self.text.find("*/", at + 2)
        if close < 0:
            raise self.fail(at, "unterminated block comment")
        return close + 2

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def value(self, depth: int = -1) -> Node:
        """Parse a value; with a focus, objects off the focus path (depth -1) are opaque."""
        self.skip()
        ch = self.peek()
        if ch in ("{", "[") and self.focus is not None and depth < 0:
            opaque = self._opaque(ch)
            if opaque is not None:
                return opaque
        if ch == "{":
            return self.obj(depth)
        if ch == "[":
            return self.array()
        start = self.pos
        if ch == '"':
            text = self.string()
            return Node("scalar", start, self.pos, text)
        match = _NUMBER.match(self.text, start)
        if match and ch in "-0123456789":
            self.pos = match.end()
            token = match.group()
            number = float(token) if any(c in token for c in ".eE") else int(token)
            return Node("scalar", start, self.pos, number)
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, start):
                self.pos += len(word)
                return Node("scalar", start, self.pos, literal)
        raise self._unexpected("a value")

    def _opaque(self, ch: str) -> Node | None:
        """A subtree nobody edits: value and span only, decoded by the C json module when it can
        (big files such as ~/.claude.json); anything unusual is parsed here instead."""
        try:
            value, end = _DECODER.raw_decode(self.text, self.pos)
        except (ValueError, RecursionError):
            return None
        node = Node("object" if ch == "{" else "array", self.pos, end, value)
        self.pos = end
        return node

    def _unexpected(self, wanted: str) -> FormatError:
        if self.pos >= len(self.text):
            return self.fail(self.pos, f"unexpected end of file, expected {wanted}")
        return self.fail(
            self.pos, f"unexpected character {self.text[self.pos]!r}, expected {wanted}"
        )

    def string(self) -> str:
        token = _STRING.match(self.text, self.pos)
        if token:  # the common case, decoded by the C json module (surrogate pairs joined)
            self.pos = token.end()
            raw = token.group()
            return raw[1:-1] if "\\" not in raw else str(json.loads(raw))
        return self._string_slow()

    def _string_slow(self) -> str:
        """Scan a string character by character, to report where it is malformed."""
        text, start = self.text, self.pos
        out: list[str] = []
        i = start + 1
        while True:
            if i >= len(text):
                raise self.fail(start, "unterminated string")
            ch = text[i]
            if ch == '"':
                self.pos = i + 1
                return _join_surrogates("".join(out))
            if ch == "\\":
                decoded, i = self._escape(i)
                out.append(decoded)
                continue
            if ch == "\n":
                raise self.fail(start, "unterminated string")
            if ord(ch) < 0x20:
                raise self.fail(i, "control character in string (escape it)")
            out.append(ch)
            i += 1

    def _escape(self, at: int) -> tuple[str, int]:
        kind = self.text[at + 1 : at + 2]
        if kind in _ESCAPES:
            return _ESCAPES[kind], at + 2
        if kind == "u" and _HEX4.fullmatch(self.text, at + 2, at + 6):
            return chr(int(self.text[at + 2 : at + 6], 16)), at + 6
        raise self.fail(at, "invalid escape sequence in string")

    def obj(self, depth: int) -> Node:
        start = self.pos
        self.pos += 1
        props: list[Prop] = []
        seen: set[str] = set()
        while True:
            self.skip()
            if self.peek() == "}":
                break
            if self.peek() != '"':
                raise self._unexpected("a property name in double quotes or '}'")
            key_start = self.pos
            key = self.string()
            key_end = self.pos
            if key in seen:
                raise self.fail(key_start, f"duplicate key {key!r}")
            seen.add(key)
            self.skip()
            if self.peek() != ":":
                raise self._unexpected("':'")
            self.pos += 1
            focus = self.focus
            on_path = focus is not None and 0 <= depth < len(focus) and focus[depth] == key
            node = self.value(depth + 1 if on_path else -1)
            comma = self._comma("}")
            props.append(Prop(key, key_start, key_end, node, comma))
            if comma < 0:
                break
        self.skip()
        if self.peek() != "}":
            raise self._unexpected("',' or '}'")
        self.pos += 1
        value = {p.key: p.value.value for p in props}
        return Node("object", start, self.pos, value, props=tuple(props))

    def _comma(self, close: str) -> int:
        """Consume a comma if present; refuse a trailing one in strict JSON."""
        self.skip()
        if self.peek() != ",":
            return -1
        comma = self.pos
        self.pos += 1
        self.skip()
        if self.peek() == close and not self.jsonc:
            raise self.fail(comma, "trailing comma is not allowed in JSON")
        return comma

    def array(self) -> Node:
        start = self.pos
        self.pos += 1
        items: list[Node] = []
        while True:
            self.skip()
            if self.peek() == "]":
                break
            items.append(self.value())
            if self._comma("]") < 0:
                break
        self.skip()
        if self.peek() != "]":
            raise self._unexpected("',' or ']'")
        self.pos += 1
        return Node("array", start, self.pos, [n.value for n in items], items=tuple(items))


def _join_surrogates(s: str) -> str:
    """Combine escaped surrogate pairs ("\\ud83d\\ude00") into one character, as json.loads does."""
    if not any("\ud800" <= c <= "\udfff" for c in s):
        return s
    return s.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")


def parse_tree(text: str, source: str, *, jsonc: bool, focus: KeyPath | None = None) -> Node | None:
    """Parse BOM-less `text`; None for an empty (whitespace/comment-only) document.

    With `focus`, only the objects along that key path get their properties as nodes; other
    subtrees keep just their span and value (that is all an edit at `focus` needs).
    """
    parser = _Parser(text, source, jsonc, focus)
    parser.skip()
    if parser.pos >= len(text):
        return None
    root = parser.value(0)
    parser.skip()
    if parser.pos < len(text):
        raise parser.fail(parser.pos, "unexpected content after the top-level value")
    return root


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


def _refuse_constant(name: str) -> object:
    raise ValueError(name)


def parse_value(text: str, source: str, *, jsonc: bool) -> object:
    """The plain value of BOM-less `text` (`{}` when empty). Strict JSON takes the C json module's
    fast path; anything it refuses is re-parsed here for the exact line, column and reason."""
    if not jsonc and text.strip(" \t\r\n"):
        try:
            return json.loads(
                text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant
            )
        except ValueError:
            pass
    root = parse_tree(text, source, jsonc=jsonc)
    return {} if root is None else root.value


def comment_end(text: str, at: int) -> int:
    """End offset of the (well-formed) comment starting at `at`."""
    return _Parser(text, "", True, None)._comment_end(at)


_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
