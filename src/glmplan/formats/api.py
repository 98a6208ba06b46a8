"""Dispatch by format, and the semantic guard every edit passes before anything is written."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from glmplan.errors import GlmplanError
from glmplan.formats import jsonc_edit, jsonc_parse
from glmplan.formats.values import apply_to_data, first_difference, lookup, same_value
from glmplan.installer.edits import Edit, Format, KeyPath

log = logging.getLogger(__name__)


class _Missing:
    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = _Missing()


class GuardError(GlmplanError):
    """The re-parse of an edited text differs from what was intended: the write is aborted."""


def _parse_json(text: str, source: str, jsonc: bool) -> object:
    return jsonc_parse.parse_value(text.removeprefix("\ufeff"), source, jsonc=jsonc)


def _parse_yaml(text: str, source: str) -> object:
    from glmplan.formats import yaml_fmt  # ruamel.yaml costs ~100 ms to import

    return yaml_fmt.parse(text, source)


def _parse_toml(text: str, source: str) -> object:
    from glmplan.formats import toml_fmt

    return toml_fmt.parse(text, source)


def parse(fmt: Format, text: str, source: str) -> object:
    """Strict parse to plain Python; an empty document is `{}`. Raises FormatError."""
    if fmt in (Format.JSON, Format.JSONC):
        return _parse_json(text, source, jsonc=fmt is Format.JSONC)
    if fmt is Format.YAML:
        return _parse_yaml(text, source)
    return _parse_toml(text, source)


def get_value(fmt: Format, text: str, path: KeyPath, source: str) -> object:
    """The value at `path`, or MISSING."""
    return lookup(parse(fmt, text, source), path, MISSING)


def _editor(fmt: Format) -> Callable[[str, Sequence[Edit], str], str]:
    if fmt in (Format.JSON, Format.JSONC):
        jsonc = fmt is Format.JSONC
        return lambda text, edits, source: jsonc_edit.edit_text(text, edits, source, jsonc=jsonc)
    if fmt is Format.YAML:
        from glmplan.formats import yaml_fmt

        return yaml_fmt.edit_text
    from glmplan.formats import toml_fmt

    return toml_fmt.edit_text


def apply_edits(fmt: Format, text: str, edits: Sequence[Edit], source: str) -> str:
    """The new text with only the edited keys changed, checked by re-parsing it strictly."""
    old = parse(fmt, text, source)
    expected = apply_to_data(old, edits, source)
    if same_value(expected, old):
        return text  # nothing to change: keep the bytes (idempotent re-runs)
    new_text = _editor(fmt)(text, edits, source)
    check_guard(fmt, new_text, expected, source)
    return new_text


def check_guard(fmt: Format, new_text: str, expected: object, source: str) -> None:
    """Raise GuardError unless `new_text` parses to exactly `expected`."""
    try:
        actual = parse(fmt, new_text, source)
    except GlmplanError as exc:
        log.debug("guard: re-parse failed for %s: %s", source, exc)
        raise GuardError(
            f"{source}: the edited text would not parse ({exc}); nothing was written"
        ) from exc
    if not same_value(actual, expected):
        where = first_difference(actual, expected)
        key = ".".join(where) if where else "(top level)"
        raise GuardError(
            f"{source}: the edited text does not read back as intended (differs at {key}); "
            "nothing was written"
        )
