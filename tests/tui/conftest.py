"""The dashboard's colours are part of what its snapshots check, so NO_COLOR is lifted here."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
