"""Hypothesis properties of the JSON / JSONC editor.

Random documents are rendered with a random indent unit, EOL, BOM, final newline, key escaping
(`ensure_ascii` turns "😀" into an escaped surrogate pair) and, for JSONC, random comments and
trailing commas. Random Set/Delete edits must read back as the old data plus the edits, keep the
EOL/BOM/final-newline state, and change only the lines of the key that was set.
"""

from __future__ import annotations

import difflib
import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glmplan.errors import GlmplanError
from glmplan.formats import apply_edits, parse
from glmplan.formats.jsonc_edit import line_start
from glmplan.formats.jsonc_parse import Node, parse_tree
from glmplan.formats.values import apply_to_data, same_value
from glmplan.installer.edits import Delete, Edit, Format, JSONValue, KeyPath, Set

KEYS = st.text(alphabet='ab"\\é😀 /*', max_size=3)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet='xy"\\\n\t/*é😀\u2028', max_size=4)
)
VALUES: st.SearchStrategy[JSONValue] = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=10,
)
DOCS = st.dictionaries(KEYS, VALUES, max_size=5)
COMMENTS = ["// note", "/* block */", '// {"k": 1,}', "/* multi\n   line */"]


class Render:
    """Renders JSON-like data the way a person might have typed it."""

    def __init__(self, rnd: random.Random, jsonc: bool) -> None:
        self.rnd, self.jsonc = rnd, jsonc
        self.unit = rnd.choice(["  ", "    ", "\t"])
        self.eol = rnd.choice(["\n", "\r\n"])
        self.trailing = jsonc and rnd.random() < 0.5

    def comment(self, indent: str) -> str:
        if not self.jsonc or self.rnd.random() > 0.3:
            return ""
        return indent + self.rnd.choice(COMMENTS).replace("\n", self.eol) + self.eol

    def scalar(self, value: object) -> str:
        return json.dumps(value, ensure_ascii=self.rnd.random() < 0.5)

    def value(self, value: object, depth: int) -> str:
        if isinstance(value, dict) and value:
            inner = self.unit * (depth + 1)
            parts = []
            for i, (key, item) in enumerate(value.items()):
                last = i == len(value) - 1
                comma = "," if not last or self.trailing else ""
                tail = " // tail" if self.jsonc and self.rnd.random() < 0.3 else ""
                body = f"{self.scalar(key)}: {self.value(item, depth + 1)}"
                parts.append(self.comment(inner) + inner + body + comma + tail)
            close = self.eol + self.unit * depth + "}"
            return "{" + self.eol + self.eol.join(parts) + close
        if isinstance(value, list) and value:
            items = [self.value(item, depth + 1) for item in value]
            return "[" + ", ".join(items) + ("," if self.trailing else "") + "]"
        return (
            "{}"
            if isinstance(value, dict)
            else "[]"
            if isinstance(value, list)
            else self.scalar(value)
        )

    def document(self, doc: dict[str, JSONValue]) -> str:
        bom = "\ufeff" if self.rnd.random() < 0.2 else ""
        final = self.eol if self.rnd.random() < 0.7 else ""
        return bom + self.comment("") + self.value(doc, 0) + final


def _paths(value: object, prefix: KeyPath = ()) -> list[KeyPath]:
    if not isinstance(value, dict):
        return []
    found: list[KeyPath] = []
    for key, inner in value.items():
        found.append((*prefix, key))
        found.extend(_paths(inner, (*prefix, key)))
    return found


@st.composite
def edited_documents(draw: st.DrawFn, jsonc: bool) -> tuple[str, dict[str, JSONValue], list[Edit]]:
    doc = draw(DOCS)
    text = Render(draw(st.randoms(use_true_random=False)), jsonc).document(doc)
    existing = _paths(doc)
    path_strategy = st.lists(KEYS, min_size=1, max_size=3).map(tuple)
    if existing:
        path_strategy = st.sampled_from(existing) | path_strategy
    edit = st.builds(Set, path_strategy, VALUES) | st.builds(Delete, path_strategy)
    return text, doc, draw(st.lists(edit, max_size=4))


def _check(fmt: Format, text: str, doc: dict[str, JSONValue], edits: list[Edit]) -> None:
    assert same_value(parse(fmt, text, "f"), doc)
    assert apply_edits(fmt, text, [], "f") == text
    try:
        expected = apply_to_data(doc, edits, "f")
    except GlmplanError:
        try:
            apply_edits(fmt, text, edits, "f")
        except GlmplanError:
            return
        raise AssertionError("the editor accepted an edit the data model refuses") from None
    out = apply_edits(fmt, text, edits, "f")
    assert same_value(parse(fmt, out, "f"), expected)
    assert out.startswith("\ufeff") == text.startswith("\ufeff")
    assert out.endswith("\n") == text.endswith("\n")
    if "\r\n" in text:
        assert out.count("\n") == out.count("\r\n")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_documents(jsonc=True))
def test_jsonc_edits_read_back(case: tuple[str, dict[str, JSONValue], list[Edit]]) -> None:
    _check(Format.JSONC, *case)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_documents(jsonc=False))
def test_json_edits_read_back(case: tuple[str, dict[str, JSONValue], list[Edit]]) -> None:
    _check(Format.JSON, *case)


def _prop_lines(text: str, root: Node, path: KeyPath) -> tuple[int, int]:
    """First and last 0-based line of the property at `path` (or of the object it goes into)."""
    node = root
    for key in path:
        found = [p for p in node.props if p.key == key]
        if not found:
            return text.count("\n", 0, node.start), text.count("\n", 0, node.end)
        start = line_start(text, found[0].start)
        node = found[0].value
    return text.count("\n", 0, start), text.count("\n", 0, node.end)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_documents(jsonc=True), SCALARS, st.data())
def test_setting_one_key_changes_only_its_lines(
    case: tuple[str, dict[str, JSONValue], list[Edit]], value: JSONValue, data: st.DataObject
) -> None:
    text, doc, _ = case
    new_path = data.draw(st.lists(KEYS, min_size=1, max_size=2).map(tuple))
    path = data.draw(st.sampled_from([*_paths(doc), new_path]))
    if apply_to_data_fails(doc, path):
        return
    body = text.removeprefix("\ufeff")
    root = parse_tree(body, "f", jsonc=True)
    assert root is not None
    first, last = _prop_lines(body, root, path)
    out = apply_edits(Format.JSONC, text, [Set(path, value)], "f").removeprefix("\ufeff")
    matcher = difflib.SequenceMatcher(None, body.split("\n"), out.split("\n"), autojunk=False)
    removed = [
        i
        for tag, i1, i2, _, _ in matcher.get_opcodes()
        if tag in ("replace", "delete")
        for i in range(i1, i2)
    ]
    assert all(first <= i <= last for i in removed), (removed, first, last)


def apply_to_data_fails(doc: dict[str, JSONValue], path: KeyPath) -> bool:
    try:
        apply_to_data(doc, [Set(path, 1)], "f")
    except GlmplanError:
        return True
    return False
