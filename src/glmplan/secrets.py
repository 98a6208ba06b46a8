"""Masking of the API key. Every place that shows a key goes through `mask`."""

from __future__ import annotations

import re
from collections.abc import Iterable

_MIN_VISIBLE = 12  # below this many characters we show nothing of the key


def mask(key: str | None) -> str:
    """`…` plus the last 4 characters; nothing at all for short or empty keys."""
    if not key:
        return "(none)"
    if len(key) < _MIN_VISIBLE:
        return "…"
    return "…" + key[-4:]


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each secret in `text` by its masked form."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, mask(secret))
    return text


_KEYISH = re.compile(r"^[A-Za-z0-9._\-]{8,512}$")


def looks_like_key(value: str) -> bool:
    """A sanity check for keys read from stdin or a prompt (no spaces, printable, sane length)."""
    return bool(_KEYISH.match(value))
