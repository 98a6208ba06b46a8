"""Golden tests for TOML edits (strict tomllib read, tomlkit edit, line merge)."""

from __future__ import annotations

import pytest

from glmplan.errors import FormatError, GlmplanError
from glmplan.formats import MISSING, apply_edits, get_value, parse
from glmplan.installer.edits import Delete, Edit, Format, Set

T = Format.TOML

CONFIG = """\
# glmplan config
plan = "pro"   # lite / pro / max
region = "international"

[models]
default = "glm-4.7"
fast = 'glm-4.5-air'

[thresholds]
warn = 0.8
# critical level
crit = 0.95

[[servers]]
name = "a"
"""

CONFIG_EXPECTED = """\
# glmplan config
plan = "max"   # lite / pro / max
region = "international"

[models]
default = "glm-4.7"
fast = 'glm-4.5-air'
vision = "glm-4.6v"

[thresholds]
# critical level
crit = 0.99

[[servers]]
name = "a"

[new.deep]
k = 1
"""

GOLDEN: list[tuple[str, str, list[Edit], str]] = [
    (
        "config",
        CONFIG,
        [
            Set(("plan",), "max"),
            Set(("models", "vision"), "glm-4.6v"),
            Delete(("thresholds", "warn")),
            Set(("new", "deep", "k"), 1),
            Set(("thresholds", "crit"), 0.99),
        ],
        CONFIG_EXPECTED,
    ),
    ("empty-file", "", [Set(("a",), 1)], "a = 1\n"),
    (
        "top-level-key-before-tables",
        "a = 1\n\n[t]\nb = 2\n",
        [Set(("top",), "x")],
        'a = 1\ntop = "x"\n\n[t]\nb = 2\n',
    ),
    (
        "inline-table",
        "x = {a = 1, b = 2}\n",
        [Set(("x", "c"), 3), Set(("x", "a"), 5)],
        "x = {a = 5, b = 2, c = 3}\n",
    ),
    ("bom-crlf", "\ufeffa = 1\r\nb = 2\r\n", [Set(("a",), 3)], "\ufeffa = 3\r\nb = 2\r\n"),
    ("no-final-newline", "a = 1\nb = 2", [Set(("a",), 3)], "a = 3\nb = 2"),
    ("delete-only", "[t]\nb = 2\n", [Delete(("t", "b"))], "[t]\n"),
    ("delete-missing", "a = 1\n", [Delete(("b",)), Delete(("a", "x"))], "a = 1\n"),
    ("unicode", 'a = "é😀"\n', [Set(("b",), "ü😀")], 'a = "é😀"\nb = "ü😀"\n'),
    ("floats-untouched", "a = 1.10\nb = 1e3\n", [Set(("c",), 0.1)], "a = 1.10\nb = 1e3\nc = 0.1\n"),
    (
        "merge-dict",
        "[env]\n# mine\nMINE = 1\nX = 2\n",
        [Set(("env",), {"X": 3})],
        "[env]\n# mine\nMINE = 1\nX = 3\n",
    ),
]


@pytest.mark.parametrize(
    ("text", "edits", "expected"), [c[1:] for c in GOLDEN], ids=[c[0] for c in GOLDEN]
)
def test_golden(text: str, edits: list[Edit], expected: str) -> None:
    assert apply_edits(T, text, edits, "config.toml") == expected


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a = 1\na = 2\n", (2, 6), "Cannot overwrite a value"),
        ("a = \n", (1, 5), "Invalid value"),
        ('x = "abc', (1, 9), "Unterminated string"),
        ("[t]\nb=1\n[t]\n", (3, 3), "Cannot declare ('t',) twice"),
        ("a = [1,\n", (2, 1), "Invalid value"),
    ],
)
def test_malformed(text: str, where: tuple[int, int], message: str) -> None:
    with pytest.raises(FormatError) as info:
        parse(T, text, "config.toml")
    assert (info.value.line, info.value.col, info.value.reason) == (*where, message)
    with pytest.raises(FormatError):
        apply_edits(T, text, [Set(("k",), 1)], "config.toml")


def test_get_value_and_refusals() -> None:
    assert get_value(T, "[a]\nb = 1\n", ("a", "b"), "c") == 1
    assert get_value(T, "[a]\nb = 1\n", ("a", "z"), "c") is MISSING
    with pytest.raises(GlmplanError, match=r"cannot set a\.b: a is not an object"):
        apply_edits(T, 'a = "s"\n', [Set(("a", "b"), 1)], "c")
    with pytest.raises(GlmplanError, match=r"cannot write n as TOML \(a null value\)"):
        apply_edits(T, "a = 1\n", [Set(("n",), None)], "c")


def test_unchanged_value_keeps_bytes() -> None:
    text = "a = 'x'  # c\nb = 1.10\n"
    assert apply_edits(T, text, [Set(("a",), "x"), Set(("b",), 1.1)], "c") == text


def test_inline_table_gets_inline_sub_tables() -> None:
    out = apply_edits(T, "x = {a = 1}\n", [Set(("x", "b"), {"c": 1}), Set(("x", "p", "q"), 2)], "c")
    assert parse(T, out, "c") == {"x": {"a": 1, "b": {"c": 1}, "p": {"q": 2}}}
    assert out.count("\n") == 1


def test_replacing_a_table_with_a_value() -> None:
    out = apply_edits(T, "a = 1\n[t]\nx = 1\n[u]\ny = 2\n", [Set(("t",), 5)], "c")
    assert out == "a = 1\nt = 5\n[u]\ny = 2\n"


def test_new_key_goes_above_the_comment_that_introduces_the_next_table() -> None:
    text = "[a]\nx = 1\n\n# next\n[b]\ny = 1\n"
    assert (
        apply_edits(T, text, [Set(("a", "z"), 2)], "c")
        == "[a]\nx = 1\nz = 2\n\n# next\n[b]\ny = 1\n"
    )


def test_missing_final_newline_stays_missing_when_a_key_is_added() -> None:
    out = apply_edits(Format.TOML, 'a = 1\r\nb = "x"', [Set(("c",), 2)], "f")
    assert not out.endswith("\n")
    assert "\r\n" in out and parse(Format.TOML, out, "f") == {"a": 1, "b": "x", "c": 2}
