"""Fixtures for the tests that run the real Claude Code, OpenCode and Cline CLIs.

Every test here is marked `realtools` and skips with a clear reason when its CLI is absent
(install them with scripts/install-realtools.sh). The tool runs with the isolated HOME of
tests/conftest.py, a project directory under tmp_path, and the offline environment of `harness`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.realtools.harness import INSTALL_HINT, find_binary, stop_cline_daemon, tool_env
from tests.support.model_server import ModelServer
from tests.support.model_server import model_server as model_server  # re-exported fixture

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here that runs a real CLI (it asks for `realtools`) carries the marker."""
    for item in items:
        if HERE in item.path.parents and "realtools" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.realtools)


def require_binary(name: str) -> Path:
    binary = find_binary(name)
    if binary is None:
        pytest.skip(f"{name} not found in .realtools/node_modules/.bin or on PATH; {INSTALL_HINT}")
    return binary


@pytest.fixture
def realtools() -> Callable[[str], Path]:
    """`realtools("claude")` returns the CLI's path, or skips the test when it is absent."""
    return require_binary


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "project"
    path.mkdir()
    return path


@pytest.fixture
def rt_env(isolated_home: Path, project: Path) -> dict[str, str]:
    """The environment for the tools and glmplan: isolated HOME/XDG, offline switches."""
    return tool_env(isolated_home, project)


@pytest.fixture
def cline_daemon_guard(isolated_home: Path) -> Iterator[None]:
    """Stops a `cline --cline-hub-daemon` left behind by the test (by the pid in its lock file)."""
    yield
    stop_cline_daemon(isolated_home)


__all__ = ["ModelServer", "model_server"]
