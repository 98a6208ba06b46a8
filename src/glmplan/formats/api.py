"""Dispatch by format. (Contract stub: the formats work fills in the per-format modules.)"""

from __future__ import annotations

from collections.abc import Sequence

from glmplan.errors import GlmplanError
from glmplan.installer.edits import Edit, Format, KeyPath


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


def parse(fmt: Format, text: str, source: str) -> object:
    raise NotImplementedError


def get_value(fmt: Format, text: str, path: KeyPath, source: str) -> object:
    raise NotImplementedError


def apply_edits(fmt: Format, text: str, edits: Sequence[Edit], source: str) -> str:
    raise NotImplementedError
