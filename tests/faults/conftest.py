"""Fixtures of the fault suite: a fork server for real CLI runs in the test's isolated HOME."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import Zygote


@pytest.fixture
def zygote(tmp_path: Path) -> Iterator[Zygote]:
    with Zygote(tmp_path / "zygote") as server:
        yield server
