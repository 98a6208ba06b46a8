"""Golden tests for the JSON / JSONC span editor: input text, edits, exact expected text.

The cases marked "jsonc-parser" were checked against Microsoft's jsonc-parser 3.3.1
(`npm install jsonc-parser` in /tmp, then `modify(text, path, value, {formattingOptions:
{insertSpaces, tabSize, eol}})` + `applyEdits` under node 20): our output is byte-identical. Where
jsonc-parser would move or drop a user's comment (deleting the last property removes the previous
property's trailing comment; inserting after `1, // note` moves the note), we keep the comment and
the expected text says so. Deleting the only property of a nested object gives `"x": {}` here;
jsonc-parser gives `{\n"x": {\n  }\n}` (its formatter loses the indent).
"""

from __future__ import annotations

import json

import pytest

from glmplan.errors import FormatError, GlmplanError
from glmplan.formats import MISSING, GuardError, apply_edits, get_value, parse
from glmplan.formats.api import check_guard
from glmplan.formats.jsonc_edit import edit_text
from glmplan.installer.edits import Delete, Edit, Format, Set

J, JC = Format.JSON, Format.JSONC

GOLDEN: list[tuple[str, Format, str, list[Edit], str]] = [
    # --- jsonc-parser identical ---
    ("empty-object", J, "{}", [Set(("a",), 1)], '{\n  "a": 1\n}'),
    (
        "insert-dict-2sp",
        J,
        '{\n  "a": 1\n}',
        [Set(("b",), {"c": [1, 2], "d": "x"})],
        '{\n  "a": 1,\n  "b": {\n    "c": [\n      1,\n      2\n    ],\n    "d": "x"\n  }\n}',
    ),
    (
        "nested-insert",
        J,
        '{\n  "a": 1,\n  "b": {\n    "c": true\n  }\n}\n',
        [Set(("b", "d"), "x")],
        '{\n  "a": 1,\n  "b": {\n    "c": true,\n    "d": "x"\n  }\n}\n',
    ),
    (
        "create-parents-4sp",
        J,
        '{\n    "a": 1\n}\n',
        [Set(("x", "y", "z"), 2)],
        '{\n    "a": 1,\n    "x": {\n        "y": {\n            "z": 2\n        }\n    }\n}\n',
    ),
    (
        "tab-indent",
        J,
        '{\n\t"a": 1\n}',
        [Set(("z",), {"q": 1})],
        '{\n\t"a": 1,\n\t"z": {\n\t\t"q": 1\n\t}\n}',
    ),
    (
        "replace-commented",
        JC,
        '{\n  // c\n  "a": 1\n}\n',
        [Set(("a",), "new")],
        '{\n  // c\n  "a": "new"\n}\n',
    ),
    (
        "delete-middle",
        J,
        '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}\n',
        [Delete(("b",))],
        '{\n  "a": 1,\n  "c": 3\n}\n',
    ),
    ("delete-last", J, '{\n  "a": 1,\n  "b": 2\n}\n', [Delete(("b",))], '{\n  "a": 1\n}\n'),
    (
        "into-nested-empty",
        J,
        '{\n  "a": {}\n}\n',
        [Set(("a", "k"), False)],
        '{\n  "a": {\n    "k": false\n  }\n}\n',
    ),
    (
        "crlf",
        J,
        '{\r\n  "a": 1\r\n}\r\n',
        [Set(("b",), 2.5)],
        '{\r\n  "a": 1,\r\n  "b": 2.5\r\n}\r\n',
    ),
    (
        "crlf-tab-nested",
        J,
        '{\r\n\t"a": {\r\n\t\t"b": 1\r\n\t}\r\n}',
        [Set(("a", "c"), {"d": None})],
        '{\r\n\t"a": {\r\n\t\t"b": 1,\r\n\t\t"c": {\r\n\t\t\t"d": null\r\n\t\t}\r\n\t}\r\n}',
    ),
    (
        "trailing-comma-insert",
        JC,
        '{\n  "a": 1,\n  "b": 2,\n}\n',
        [Set(("c",), 3)],
        '{\n  "a": 1,\n  "b": 2,\n  "c": 3,\n}\n',
    ),
    ("delete-first", J, '{\n  "a": 1,\n  "b": 2\n}\n', [Delete(("a",))], '{\n  "b": 2\n}\n'),
    (
        "replace-array-with-object",
        J,
        '{\n  "a": [1, 2],\n  "b": "x"\n}\n',
        [Set(("a",), {"k": "v"})],
        '{\n  "a": {\n    "k": "v"\n  },\n  "b": "x"\n}\n',
    ),
    (
        "replace-object-with-scalar",
        J,
        '{\n  "x": {\n    "y": 1\n  }\n}\n',
        [Set(("x",), "s")],
        '{\n  "x": "s"\n}\n',
    ),
    (
        "unicode-key",
        J,
        '{\n  "a": "é"\n}\n',
        [Set(("ü",), "😀")],
        '{\n  "a": "é",\n  "ü": "😀"\n}\n',
    ),
    # --- our own goldens (comment-preserving where jsonc-parser is not) ---
    (
        "comments-everywhere",
        JC,
        '/* head */\n{\n  // hello\n  "a": 1, // one\n  "b": {\n    "c": true, /* c */\n'
        "  },\n}\n// tail\n",
        [Set(("b", "d"), "x"), Set(("e",), {"f": 1})],
        '/* head */\n{\n  // hello\n  "a": 1, // one\n  "b": {\n    "c": true, /* c */\n'
        '    "d": "x",\n  },\n  "e": {\n    "f": 1\n  },\n}\n// tail\n',
    ),
    (
        "delete-last-keeps-previous-comment",
        JC,
        '{\n  "a": 1, // about a\n  "b": 2 // two\n}\n',
        [Delete(("b",))],
        '{\n  "a": 1 // about a\n}\n',
    ),
    (
        "insert-after-trailing-comment",
        JC,
        '{\n  "a": 1 // note\n}',
        [Set(("b",), 2)],
        '{\n  "a": 1, // note\n  "b": 2\n}',
    ),
    ("delete-only", J, '{\n  "a": 1\n}\n', [Delete(("a",))], "{}\n"),
    (
        "delete-only-nested",
        J,
        '{\n  "x": {\n    "a": 1\n  },\n  "y": 2\n}',
        [Delete(("x", "a"))],
        '{\n  "x": {},\n  "y": 2\n}',
    ),
    (
        "delete-only-keeps-comment",
        JC,
        '{\n  // keep me\n  "a": 1\n}\n',
        [Delete(("a",))],
        "{\n  // keep me\n}\n",
    ),
    ("delete-first-inline", J, '{"a": 1, "b": 2}', [Delete(("a",))], '{"b": 2}'),
    ("delete-last-inline", J, '{"a": 1, "b": 2}', [Delete(("b",))], '{"a": 1}'),
    ("delete-missing", J, '{"a": 1}', [Delete(("zz",)), Delete(("a", "q"))], '{"a": 1}'),
    ("inline-insert", J, '{"a": 1}', [Set(("b",), {"c": [1]})], '{"a": 1, "b": {"c": [1]}}'),
    ("inline-trailing", JC, '{"a": 1,}', [Set(("b",), 2)], '{"a": 1, "b": 2,}'),
    ("empty-file", J, "", [Set(("a",), 1)], '{\n  "a": 1\n}\n'),
    ("whitespace-file", J, " \n", [Set(("a",), "x")], '{\n  "a": "x"\n}\n'),
    ("bom", J, '\ufeff{\n  "a": 1\n}\n', [Set(("a",), 2)], '\ufeff{\n  "a": 2\n}\n'),
    ("no-final-newline", J, '{\n  "a": 1\n}', [Set(("b",), None)], '{\n  "a": 1,\n  "b": null\n}'),
    (
        "merge-dict-keeps-siblings",
        JC,
        '{\n  "env": {\n    // mine\n    "MINE": "1",\n    "X": "old"\n  }\n}\n',
        [Set(("env",), {"X": "new", "Y": "y"})],
        '{\n  "env": {\n    // mine\n    "MINE": "1",\n    "X": "new",\n    "Y": "y"\n  }\n}\n',
    ),
    (
        "unicode-kept",
        J,
        '{\n  "e": "\\ud83d\\ude00",\n  "raw": "😀é"\n}\n',
        [Set(("n",), "ü😀")],
        '{\n  "e": "\\ud83d\\ude00",\n  "raw": "😀é",\n  "n": "ü😀"\n}\n',
    ),
    (
        "replace-object-value-with-scalar",
        JC,
        '{\n  "a": {\n    // gone with the object\n    "b": 1\n  },\n  "c": 2\n}',
        [Set(("a",), "flat")],
        '{\n  "a": "flat",\n  "c": 2\n}',
    ),
    (
        "trailing-comma-style-on-empty",
        JC,
        '{\n  "a": {},\n}\n',
        [Set(("a", "k"), 1)],
        '{\n  "a": {\n    "k": 1,\n  },\n}\n',
    ),
    ("key-separator-kept", J, '{\n  "a":1\n}', [Set(("b",), 2)], '{\n  "a":1,\n  "b":2\n}'),
    (
        "numbers-untouched",
        J,
        '{\n  "f": 1.10,\n  "e": 1E+2,\n  "big": 12345678901234567890\n}',
        [Set(("g",), 0.1)],
        '{\n  "f": 1.10,\n  "e": 1E+2,\n  "big": 12345678901234567890,\n  "g": 0.1\n}',
    ),
]


@pytest.mark.parametrize(
    ("fmt", "text", "edits", "expected"), [c[1:] for c in GOLDEN], ids=[c[0] for c in GOLDEN]
)
def test_golden(fmt: Format, text: str, edits: list[Edit], expected: str) -> None:
    assert apply_edits(fmt, text, edits, "f.json") == expected


@pytest.mark.parametrize(
    ("fmt", "text", "where", "message"),
    [
        (JC, '{\n  "a": 1 /* open\n}', (2, 10), "unterminated block comment"),
        (J, '{\n  "a": 1,\n  "a": 2\n}', (3, 3), "duplicate key 'a'"),
        (JC, '{"x": {"a": 1, "a": 2}}', (1, 16), "duplicate key 'a'"),
        (J, '{\n  "a": 1,\n}', (2, 9), "trailing comma is not allowed in JSON"),
        (J, '{"a": [1,]}', (1, 9), "trailing comma is not allowed in JSON"),
        (J, '{\n  // hi\n  "a": 1\n}', (2, 3), "comments are not allowed in JSON"),
        (JC, '{\n  "a": "abc\n}', (2, 8), "unterminated string"),
        (JC, '{"a": tru}', (1, 7), "unexpected character 't', expected a value"),
        (JC, '{"a": 1} x', (1, 10), "unexpected content after the top-level value"),
        (JC, '{"a": 1', (1, 8), "unexpected end of file, expected ',' or '}'"),
        (JC, '{"a" 1}', (1, 6), "unexpected character '1', expected ':'"),
        (
            JC,
            "{'a': 1}",
            (1, 2),
            "unexpected character \"'\", expected a property name in double quotes or '}'",
        ),
        (JC, '{"a": "\\x"}', (1, 8), "invalid escape sequence in string"),
        (J, '{"a": 01}', (1, 8), "unexpected character '1', expected ',' or '}'"),
        (J, '{"a": NaN}', (1, 7), "unexpected character 'N', expected a value"),
        (J, '\ufeff{"a":\n\t"b\tc"}', (2, 4), "control character in string (escape it)"),
    ],
)
def test_malformed(fmt: Format, text: str, where: tuple[int, int], message: str) -> None:
    with pytest.raises(FormatError) as info:
        parse(fmt, text, "/home/u/settings.json")
    assert (info.value.line, info.value.col, info.value.reason) == (*where, message)
    assert str(info.value).startswith(f"/home/u/settings.json:{where[0]}:{where[1]}: ")
    with pytest.raises(FormatError):
        apply_edits(fmt, text, [Set(("k",), 1)], "/home/u/settings.json")


def test_jsonc_allows_comments_and_trailing_commas() -> None:
    text = '// top\n{\n  /* a */ "a": [1, 2,], // x\n  "b": {"c": null,},\n}\n'
    assert parse(JC, text, "f") == {"a": [1, 2], "b": {"c": None}}


def test_parse_values() -> None:
    text = '{"i": 1, "f": 1.0, "e": 2e3, "t": true, "n": null, "s": "\\ud83d\\ude00\\n", '
    text += '"l": [], "o": {}}'
    data = parse(J, text, "f")
    assert data == {
        "i": 1,
        "f": 1.0,
        "e": 2000.0,
        "t": True,
        "n": None,
        "s": "😀\n",
        "l": [],
        "o": {},
    }
    assert isinstance(data, dict)
    assert [type(data[k]) for k in ("i", "f", "e")] == [int, float, float]


def test_empty_documents_are_empty_objects() -> None:
    assert parse(J, "", "f") == {}
    assert parse(J, "\ufeff \n", "f") == {}
    assert parse(JC, "// nothing yet\n", "f") == {}


def test_get_value() -> None:
    text = '{"env": {"X": 1, "N": null}, "s": "str"}'
    assert get_value(J, text, ("env", "X"), "f") == 1
    assert get_value(J, text, ("env", "N"), "f") is None
    assert get_value(J, text, ("env", "Y"), "f") is MISSING
    assert get_value(J, text, ("s", "deeper"), "f") is MISSING
    assert get_value(J, text, ("env",), "f") == {"X": 1, "N": None}


def test_set_through_non_object_refused() -> None:
    with pytest.raises(GlmplanError, match=r"f\.json: cannot set env\.X: env is not an object"):
        apply_edits(J, '{"env": "x"}', [Set(("env", "X"), 1)], "f.json")


def test_top_level_array_refused_for_edits() -> None:
    assert parse(J, "[1, 2]", "f") == [1, 2]
    with pytest.raises(GlmplanError, match="top level is not an object"):
        apply_edits(J, "[1, 2]", [Set(("a",), 1)], "f.json")


def test_unchanged_value_keeps_bytes() -> None:
    text = '{\n  "a": "\\u00e9",  "b": 1.50\n}'
    assert apply_edits(J, text, [Set(("a",), "é"), Set(("b",), 1.5)], "f") == text
    assert apply_edits(J, text, [], "f") == text


def test_type_change_is_an_edit() -> None:
    assert apply_edits(J, '{"a": 1}', [Set(("a",), 1.0)], "f") == '{"a": 1.0}'
    assert apply_edits(J, '{"a": 1}', [Set(("a",), True)], "f") == '{"a": true}'


def test_guard_refuses_a_text_that_reads_back_differently() -> None:
    with pytest.raises(GuardError, match=r"f\.json: .*differs at a\.b"):
        check_guard(J, '{"a": {"b": 2}}', {"a": {"b": 2.0}}, "f.json")
    with pytest.raises(GuardError, match="would not parse"):
        check_guard(J, '{"a": 1,}', {"a": 1}, "f.json")


def test_lone_surrogate_is_escaped_when_written() -> None:
    out = apply_edits(J, "{}", [Set(("a",), "x\ud800")], "f")
    assert out == '{\n  "a": "x\\ud800"\n}'
    out.encode("utf-8")


def test_big_file_edit_changes_only_its_line() -> None:
    doc = {
        "projects": {
            f"/home/u/p{i}": {"history": [{"display": "fix " * 20}] * 20} for i in range(300)
        },
        "numStartups": 5,
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    out = apply_edits(J, text, [Set(("numStartups",), 6), Set(("env", "A"), "1")], "big.json")
    assert out == text.replace(
        '"numStartups": 5\n}', '"numStartups": 6,\n  "env": {\n    "A": "1"\n  }\n}'
    )


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('{\n  "other": {"x": 1, "x": 2},\n  "k": 0\n}', (2, 21), "duplicate key 'x'"),
        ('{\n  "other": [1, /* c */ 2],\n  "k": 0\n}', (2, 16), "comments are not allowed in JSON"),
    ],
)
def test_errors_inside_subtrees_off_the_edit_path(
    text: str, where: tuple[int, int], message: str
) -> None:
    with pytest.raises(FormatError) as info:
        apply_edits(J, text, [Set(("k",), 1)], "f.json")
    assert (info.value.line, info.value.col, info.value.reason) == (*where, message)
    with pytest.raises(FormatError) as info:
        edit_text(text, [Set(("k",), 1)], "f.json", jsonc=False)
    assert (info.value.line, info.value.col) == where


def test_jsonc_comments_inside_subtrees_off_the_edit_path() -> None:
    text = '{\n  "other": {"x": [1, /* c */ 2,],},\n  "k": 0\n}'
    out = apply_edits(JC, text, [Set(("k",), 1)], "f.jsonc")
    assert out == text.replace('"k": 0', '"k": 1')


def test_unwritable_values_are_refused_without_echoing_them() -> None:
    with pytest.raises(GlmplanError) as info:
        apply_edits(
            J,
            "{}",
            [Set(("env",), {"KEY": "sk-CANARY-1", "n": float("nan")}, secret=True)],
            "f.json",
        )
    assert str(info.value).startswith("f.json: env: cannot write the value as JSON")
    assert "sk-CANARY" not in str(info.value)
