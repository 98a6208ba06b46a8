"""Golden tests for YAML edits (ruamel.yaml round-trip plus the line merge)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from glmplan.errors import FormatError, GlmplanError
from glmplan.formats import MISSING, GuardError, apply_edits, get_value, parse
from glmplan.installer.edits import Delete, Edit, Format, Set

Y = Format.YAML
GOLDEN_DIR = Path(__file__).parent / "golden"

GOOSE_EDITS: list[Edit] = [
    Set(("GOOSE_PROVIDER",), "custom_glm"),
    Set(("GOOSE_MODEL",), "glm-4.7"),
    Set(("GOOSE_MODE",), "chat"),
    Set(("extensions", "web-search", "timeout"), 600),
    Delete(("extensions", "memory")),
    Set(
        ("extensions", "zai"),
        {
            "enabled": True,
            "type": "streamable_http",
            "uri": "https://api.z.ai/mcp",
            "args": ["-y", "yes"],
        },
    ),
    Set(("GOOSE_DISABLE_KEYRING",), True),
]


def _changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.ndiff(old.split("\n"), new.split("\n")))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


def test_goose_config_golden() -> None:
    text = (GOLDEN_DIR / "goose_config.yaml").read_text(encoding="utf-8")
    expected = (GOLDEN_DIR / "goose_config.expected.yaml").read_text(encoding="utf-8")
    out = apply_edits(Y, text, GOOSE_EDITS, "config.yaml")
    assert out == expected
    removed, added = _changed_lines(text, out)
    assert removed == [
        "GOOSE_PROVIDER: anthropic   # the default provider",
        "GOOSE_MODEL: claude-sonnet-4",
        "GOOSE_MODE: 'auto'",
        '  web-search: { enabled: true, type: streamable_http, name: web-search, uri: "https://example.com/mcp",'
        ' headers: { Authorization: "Bearer x" }, timeout: 300 }',
        "  memory:",
        "    - '@modelcontextprotocol/server-memory'",
        "    cmd: npx",
        "    enabled: false   # off for now",
        "    envs: {}",
        "    type: stdio",
    ]
    assert added == [
        "GOOSE_PROVIDER: custom_glm  # the default provider",
        "GOOSE_MODEL: glm-4.7",
        "GOOSE_MODE: 'chat'",
        '  web-search: {enabled: true, type: streamable_http, name: web-search, uri: "https://example.com/mcp",'
        ' headers: {Authorization: "Bearer x"}, timeout: 600}',
        "  zai:",
        "    enabled: true",
        "    type: streamable_http",
        "    uri: https://api.z.ai/mcp",
        "    - 'yes'",
        "GOOSE_DISABLE_KEYRING: true",
    ]


def test_goose_config_values_survive() -> None:
    text = (GOLDEN_DIR / "goose_config.yaml").read_text(encoding="utf-8")
    out = apply_edits(Y, text, [Set(("GOOSE_MODEL",), "glm-4.7")], "config.yaml")
    assert [line for line in out.split("\n") if line not in text.split("\n")] == [
        "GOOSE_MODEL: glm-4.7"
    ]
    data = parse(Y, out, "config.yaml")
    assert isinstance(data, dict)
    assert data["GOOSE_TELEMETRY"] == "yes"
    assert data["version"] == 1.1
    assert type(data["umask"]) is int


GOLDEN: list[tuple[str, str, list[Edit], str]] = [
    ("empty-file", "", [Set(("a",), {"b": [1, "yes"]})], "a:\n  b:\n  - 1\n  - 'yes'\n"),
    ("comment-only", "# mine\n", [Set(("a",), 1)], "# mine\na: 1\n"),
    ("crlf-bom-no-final-newline", "\ufeffa: 1\r\nb: 2", [Set(("b",), 3)], "\ufeffa: 1\r\nb: 3"),
    ("crlf-delete-first", "a: 1\r\nb: 2\r\n", [Delete(("a",))], "b: 2\r\n"),
    (
        "four-space-indent",
        "a:\n    b:\n        - x\n",
        [Set(("a", "c"), ["p"])],
        "a:\n    b:\n        - x\n    c:\n        - p\n",
    ),
    (
        "flow-map-untouched-line-kept",
        "x: { a: 1 }\ny: 2\n",
        [Set(("y",), 3)],
        "x: { a: 1 }\ny: 3\n",
    ),
    (
        "quotes-kept-on-replace",
        "a: \"old\"\nb: 'old'\n",
        [Set(("a",), "new"), Set(("b",), "new")],
        "a: \"new\"\nb: 'new'\n",
    ),
    (
        "ambiguous-strings-quoted",
        "a: 1\n",
        [Set(("b",), "on"), Set(("c",), "0755")],
        "a: 1\nb: 'on'\nc: '0755'\n",
    ),
    (
        "delete-middle-keeps-next-comment",
        "a: 1\nb: 2\n# about c\nc: 3\n",
        [Delete(("b",))],
        "a: 1\n# about c\nc: 3\n",
    ),
    ("delete-last", "a: 1  # one\nb: 2\n", [Delete(("b",))], "a: 1  # one\n"),
    ("delete-only-nested", "x:\n  a: 1\ny: 2\n", [Delete(("x", "a"))], "x: {}\ny: 2\n"),
    ("delete-missing", "a: 1\n", [Delete(("b",)), Delete(("a", "c"))], "a: 1\n"),
    ("nested-creation", "a: 1\n", [Set(("p", "q", "r"), "s")], "a: 1\np:\n  q:\n    r: s\n"),
    (
        "merge-keeps-siblings-and-comments",
        "env:\n  # mine\n  MINE: '1'\n  X: old\n",
        [Set(("env",), {"X": "new", "Y": "y"})],
        "env:\n  # mine\n  MINE: '1'\n  X: new\n  Y: 'y'\n",  # y is a YAML 1.1 bool
    ),
    ("unicode", "name: é😀\n", [Set(("other",), "ü😀")], "name: é😀\nother: ü😀\n"),
    (
        "long-line-not-wrapped",
        "a: 1\n",
        [Set(("b",), "w " * 100)],
        "a: 1\nb: '" + "w " * 100 + "'\n",
    ),
]


@pytest.mark.parametrize(
    ("text", "edits", "expected"), [c[1:] for c in GOLDEN], ids=[c[0] for c in GOLDEN]
)
def test_golden(text: str, edits: list[Edit], expected: str) -> None:
    assert apply_edits(Y, text, edits, "c.yaml") == expected


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", (3, 1), "duplicate key 'a'"),
        ("a: 'sk-secret'\na: 'other'\n", (2, 1), "duplicate key 'a'"),
        ("a:\n  b: 1\n c: 2\n", (3, 2), "expected <block end>, but found '<block mapping start>'"),
        ("key: value: other\n", (1, 11), "mapping values are not allowed here"),
        ("a: [1, 2\n", (2, 1), "expected ',' or ']', but got '<stream end>'"),
        ("\ta: 1\n", (1, 1), "found character '\\t' that cannot start any token"),
        (
            "a: 1\n---\nb: 2\n",
            (2, 1),
            "expected a single document in the stream, but found another document",
        ),
    ],
)
def test_malformed(text: str, where: tuple[int, int], message: str) -> None:
    with pytest.raises(FormatError) as info:
        parse(Y, text, "config.yaml")
    assert (info.value.line, info.value.col, info.value.reason) == (*where, message)
    assert "sk-secret" not in str(info.value)
    with pytest.raises(FormatError):
        apply_edits(Y, text, [Set(("k",), 1)], "config.yaml")


def test_parse_returns_plain_python() -> None:
    data = parse(Y, "a: {b: [1, 2.5, true, null, 'x']}\nc: 0x10\n", "c")
    assert data == {"a": {"b": [1, 2.5, True, None, "x"]}, "c": 16}
    assert isinstance(data, dict)
    inner = data["a"]
    assert type(inner) is dict
    assert [type(v) for v in inner["b"]] == [int, float, bool, type(None), str]
    assert parse(Y, "", "c") == {}


def test_get_value_and_errors() -> None:
    assert get_value(Y, "a:\n  b: 1\n", ("a", "b"), "c") == 1
    assert get_value(Y, "a:\n  b: 1\n", ("a", "z"), "c") is MISSING
    with pytest.raises(GlmplanError, match=r"cannot set a\.b: a is not an object"):
        apply_edits(Y, "a: text\n", [Set(("a", "b"), 1)], "c")
    with pytest.raises(GlmplanError, match="top level is not"):
        apply_edits(Y, "- 1\n", [Set(("a",), 1)], "c")


def test_unchanged_value_keeps_bytes() -> None:
    text = "a: 'x'   # c\nb: 1.10\nc: { p: 1 }\n"
    assert (
        apply_edits(Y, text, [Set(("a",), "x"), Set(("b",), 1.1), Set(("c",), {"p": 1})], "c")
        == text
    )


@pytest.mark.parametrize(
    ("text", "edits", "expected"),
    [
        ("---\na: 1\n", [Set(("b",), 2)], "---\na: 1\nb: 2\n"),
        ("%YAML 1.2\n---\na: 1\n...\n", [Set(("a",), 2)], "%YAML 1.2\n---\na: 2\n...\n"),
        ("a: |\n  line1\n  line2\nb: 1\n", [Set(("b",), 2)], "a: |\n  line1\n  line2\nb: 2\n"),
        ("a: !!str 123\n", [Set(("b",), 1)], "a: !!str 123\nb: 1\n"),
        ("a: 2024-01-01\n", [Set(("b",), 1)], "a: 2024-01-01\nb: 1\n"),
        ("\n_a: null  # tail\n", [Set(("_a",), False)], "\n_a: false # tail\n"),
        (
            "base: &b\n  x: 1\nuse:\n  <<: *b\n  z: 2\n",
            [Set(("use", "z"), 3)],
            "base: &b\n  x: 1\nuse:\n  <<: *b\n  z: 3\n",
        ),
    ],
)
def test_document_markers_tags_and_anchors(text: str, edits: list[Edit], expected: str) -> None:
    assert apply_edits(Y, text, edits, "c.yaml") == expected


def test_editing_through_an_alias_is_refused_by_the_guard() -> None:
    with pytest.raises(GuardError, match=r"c\.yaml: .*differs at base\.y"):
        apply_edits(Y, "base: &b {x: 1}\nuse: *b\n", [Set(("use", "y"), 2)], "c.yaml")


@pytest.mark.parametrize(
    ("text", "edits", "expected"),
    [
        (
            "extensions:\n  a:\n    enabled: true\n\n# Provider settings\nGOOSE_PROVIDER: x\n",
            [Set(("extensions", "b"), {"enabled": False})],
            "extensions:\n  a:\n    enabled: true\n  b:\n    enabled: false\n"
            "\n# Provider settings\nGOOSE_PROVIDER: x\n",
        ),
        (
            "a:\n  x: 1\n  # y: 2\nb: 2\n",
            [Set(("a", "z"), 3)],
            "a:\n  x: 1\n  # y: 2\n  z: 3\nb: 2\n",
        ),
    ],
)
def test_new_key_goes_above_the_comment_that_introduces_the_next_key(
    text: str, edits: list[Edit], expected: str
) -> None:
    assert apply_edits(Y, text, edits, "c.yaml") == expected


@pytest.mark.parametrize("tail", ["", "  # tail"])
def test_replacing_a_null_with_a_mapping_reads_back(tail: str) -> None:
    """Found by hypothesis in CI: the line merge produced invalid YAML; ruamel's text is used."""
    text = f"\ufeff# note: x\n__: null{tail}\n"
    out = apply_edits(Format.YAML, text, [Set(("__",), {"__": None})], "f")
    assert out.startswith("\ufeff# note: x\n")
    assert parse(Format.YAML, out, "f") == {"__": {"__": None}}
