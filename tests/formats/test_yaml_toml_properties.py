"""Hypothesis properties of the YAML and TOML editors.

Random nested documents are rendered the way people write them (comments, blank lines, quotes of
every kind, 2- or 4-space indent, dash offsets, CRLF, BOM, missing final newline). Random Set/Delete
edits must read back as the old data plus the edits; no edits is the identity; setting one scalar
changes exactly one line and inserting a key removes none.
"""

from __future__ import annotations

import difflib
import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glmplan.errors import GlmplanError
from glmplan.formats import apply_edits, parse
from glmplan.formats.values import apply_to_data, same_value
from glmplan.installer.edits import Delete, Edit, Format, JSONValue, KeyPath, Set

KEYS = st.text(alphabet="abcxz_", min_size=2, max_size=4)
WORDS = st.text(alphabet="abc xé😀'\"#:-", max_size=6) | st.sampled_from(
    ["yes", "0755", "1.10", "on", "~"]
)
NUMBERS = st.integers(-(10**9), 10**9) | st.integers(-(10**6), 10**6).map(lambda i: i / 8)
SCALARS = st.booleans() | NUMBERS | WORDS
YAML_SCALARS = SCALARS | st.none()


def _tree(leaf: st.SearchStrategy[JSONValue]) -> st.SearchStrategy[dict[str, JSONValue]]:
    level2 = st.dictionaries(KEYS, leaf | st.lists(leaf, max_size=3), max_size=3)
    return st.dictionaries(
        KEYS, leaf | level2 | st.dictionaries(KEYS, leaf | level2, max_size=3), max_size=5
    )


class Text:
    """Shared random choices: EOL, BOM, final newline, comments."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        self.eol = rnd.choice(["\n", "\r\n"])

    def comment(self, indent: str) -> list[str]:
        roll = self.rnd.random()
        return [indent + "# note: x"] if roll < 0.2 else [""] if roll < 0.3 else []

    def tail(self) -> str:
        return "  # tail" if self.rnd.random() < 0.2 else ""

    def finish(self, lines: list[str]) -> str:
        bom = "\ufeff" if self.rnd.random() < 0.2 else ""
        final = self.eol if self.rnd.random() < 0.8 or not lines else ""
        return bom + self.eol.join(lines) + final


class YamlText(Text):
    def __init__(self, rnd: random.Random, flow: bool) -> None:
        super().__init__(rnd)
        self.unit = rnd.choice([2, 4])
        self.offset = rnd.choice([0, 2]) if self.unit == 4 else 0
        self.flow = flow

    def scalar(self, value: object) -> str:
        if isinstance(value, str):
            if value.isalpha() and value.isascii() and value not in ("yes", "on"):
                return value
            if self.rnd.random() < 0.5:
                return "'" + value.replace("'", "''") + "'"
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, bool):
            return "true" if value else "false"
        return self.rnd.choice(["null", "~"]) if value is None else repr(value)

    def block(self, data: dict[str, JSONValue], depth: int) -> list[str]:
        pad = " " * (self.unit * depth)
        lines: list[str] = []
        for key, value in data.items():
            lines += self.comment(pad)
            if isinstance(value, dict) and value and self.flow and self.rnd.random() < 0.3:
                parts = [
                    f"{k}: {self.scalar(v)}"
                    for k, v in value.items()
                    if not isinstance(v, dict | list)
                ]
                if len(parts) == len(value):
                    lines.append(f"{pad}{key}: {{ {', '.join(parts)} }}")
                    continue
            if isinstance(value, dict) and value:
                lines += [f"{pad}{key}:", *self.block(value, depth + 1)]
            elif isinstance(value, list) and value:
                dash = " " * (self.unit * depth + self.offset)
                lines += [f"{pad}{key}:", *(f"{dash}- {self.scalar(v)}" for v in value)]
            else:
                empty = (
                    "{}" if isinstance(value, dict) else "[]" if isinstance(value, list) else None
                )
                lines.append(f"{pad}{key}: {empty or self.scalar(value)}{self.tail()}")
        return lines


class TomlText(Text):
    def scalar(self, value: object) -> str:
        if isinstance(value, list):
            return "[" + ", ".join(self.scalar(v) for v in value) + "]"
        if isinstance(value, str) and "'" not in value and self.rnd.random() < 0.5:
            return f"'{value}'"
        return json.dumps(value, ensure_ascii=False)

    def table(self, data: dict[str, JSONValue], prefix: KeyPath) -> list[str]:
        lines: list[str] = []
        for key, value in data.items():
            if not isinstance(value, dict):
                lines += [*self.comment(""), f"{key} = {self.scalar(value)}{self.tail()}"]
        for key, value in data.items():
            if isinstance(value, dict):
                lines += ["", f"[{'.'.join((*prefix, key))}]", *self.table(value, (*prefix, key))]
        return lines


def _paths(value: object, prefix: KeyPath = ()) -> list[KeyPath]:
    found: list[KeyPath] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += [(*prefix, key), *_paths(inner, (*prefix, key))]
    return found


def _edits(
    draw: st.DrawFn, doc: dict[str, JSONValue], leaf: st.SearchStrategy[JSONValue]
) -> list[Edit]:
    path = st.lists(KEYS, min_size=1, max_size=3).map(tuple)
    if _paths(doc):
        path = st.sampled_from(_paths(doc)) | path
    value = leaf | st.dictionaries(KEYS, leaf, max_size=2)
    return draw(st.lists(st.builds(Set, path, value) | st.builds(Delete, path), max_size=4))


@st.composite
def yaml_cases(draw: st.DrawFn, flow: bool = True) -> tuple[str, dict[str, JSONValue], list[Edit]]:
    doc = draw(_tree(YAML_SCALARS))
    text = YamlText(draw(st.randoms(use_true_random=False)), flow)
    return text.finish(text.block(doc, 0)), doc, _edits(draw, doc, YAML_SCALARS)


@st.composite
def toml_cases(draw: st.DrawFn) -> tuple[str, dict[str, JSONValue], list[Edit]]:
    doc = draw(_tree(SCALARS))
    text = TomlText(draw(st.randoms(use_true_random=False)))
    return text.finish(text.table(doc, ())), doc, _edits(draw, doc, SCALARS)


def _check(fmt: Format, text: str, doc: dict[str, JSONValue], edits: list[Edit]) -> None:
    assert same_value(parse(fmt, text, "f"), doc), text
    assert apply_edits(fmt, text, [], "f") == text
    try:
        expected = apply_to_data(doc, edits, "f")
    except GlmplanError:
        return
    out = apply_edits(fmt, text, edits, "f")
    assert same_value(parse(fmt, out, "f"), expected)
    assert out.startswith("\ufeff") == text.startswith("\ufeff")
    if "\r\n" in text:
        assert out.count("\n") == out.count("\r\n")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_cases())
def test_yaml_edits_read_back(case: tuple[str, dict[str, JSONValue], list[Edit]]) -> None:
    _check(Format.YAML, *case)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(toml_cases())
def test_toml_edits_read_back(case: tuple[str, dict[str, JSONValue], list[Edit]]) -> None:
    _check(Format.TOML, *case)


def _diff(old: str, new: str) -> tuple[list[str], list[str]]:
    # appending after a last line that had no EOL gives that line one: not a change of its text
    old, new = (t.removeprefix("\ufeff").replace("\r\n", "\n") for t in (old, new))
    ops = difflib.SequenceMatcher(
        None, old.split("\n"), new.split("\n"), autojunk=False
    ).get_opcodes()
    removed = [
        line for tag, i1, i2, _, _ in ops if tag != "equal" for line in old.split("\n")[i1:i2]
    ]
    added = [line for tag, _, _, j1, j2 in ops if tag != "equal" for line in new.split("\n")[j1:j2]]
    return removed, added


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_cases(flow=False), toml_cases(), SCALARS, st.data())
def test_one_set_changes_one_line(
    ycase: tuple[str, dict[str, JSONValue], list[Edit]],
    tcase: tuple[str, dict[str, JSONValue], list[Edit]],
    value: JSONValue,
    data: st.DataObject,
) -> None:
    for fmt, (text, doc, _) in ((Format.YAML, ycase), (Format.TOML, tcase)):
        leaves = [p for p in _paths(doc) if not isinstance(_get(doc, p), dict | list)]
        if leaves:
            path = data.draw(st.sampled_from(leaves))
            removed, added = _diff(text, apply_edits(fmt, text, [Set(path, value)], "f"))
            assert len(removed) <= 1 and len(added) <= 1, (removed, added)
        new_key = data.draw(KEYS)
        if new_key in doc:
            continue
        removed, added = _diff(text, apply_edits(fmt, text, [Set((new_key,), value)], "f"))
        assert [line for line in removed if line.strip()] == [], removed


def _get(doc: object, path: KeyPath) -> object:
    for key in path:
        assert isinstance(doc, dict)
        doc = doc[key]
    return doc
