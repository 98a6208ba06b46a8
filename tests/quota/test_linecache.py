"""The status line's few-seconds cache: same paths as `Paths`, invalidated by time and files."""

from __future__ import annotations

from pathlib import Path

import pytest

from glmplan.paths import Paths
from glmplan.quota import linecache


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"XDG_CACHE_HOME": "/x/cache", "XDG_CONFIG_HOME": "/x/config"},
        {"XDG_CACHE_HOME": "relative/ignored"},
        {"GLMPLAN_CACHE_DIR": "/o/c", "GLMPLAN_CONFIG_DIR": "/o/k"},
    ],
)
def test_dirs_match_paths(tmp_path: Path, extra: dict[str, str]) -> None:
    env = {"HOME": str(tmp_path), **extra}
    paths = Paths.from_env(env)
    assert linecache.dirs(env) == {"cache": str(paths.cache_dir), "config": str(paths.config_dir)}


def _env(home: Path) -> dict[str, str]:
    return {"HOME": str(home)}


def test_line_is_reused_until_ttl(tmp_path: Path) -> None:
    env = _env(tmp_path)
    linecache.store(env, "GLM pro · 5h 38%", due=None, now=1000.0)
    assert linecache.lookup(env, now=1001.0) == "GLM pro · 5h 38%"
    assert linecache.lookup(env, now=1000.0 + linecache.TTL) is None


def test_line_expires_when_the_snapshot_is_due(tmp_path: Path) -> None:
    env = _env(tmp_path)
    linecache.store(env, "line", due=1002.0, now=1000.0)
    assert linecache.lookup(env, now=1001.0) == "line"
    assert linecache.lookup(env, now=1002.0) is None


def test_a_changed_snapshot_config_or_key_invalidates(tmp_path: Path) -> None:
    env = _env(tmp_path)
    cache_dir = Path(linecache.dirs(env)["cache"])
    config_dir = Path(linecache.dirs(env)["config"])
    linecache.store(env, "line", due=None, now=1000.0)
    assert linecache.lookup(env, now=1000.5) == "line"
    (cache_dir / "quota-snapshot.json").write_text("{}")
    assert linecache.lookup(env, now=1000.5) is None
    linecache.store(env, "line", due=None, now=1000.0)
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text('plan = "max"\n')
    assert linecache.lookup(env, now=1000.5) is None
    linecache.store(env, "line", due=None, now=1000.0)
    assert linecache.lookup({**env, "ZAI_API_KEY": "sk-x"}, now=1000.5) is None


def test_corrupt_or_missing_cache_is_a_miss(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert linecache.lookup(env) is None
    cache_dir = Path(linecache.dirs(env)["cache"])
    cache_dir.mkdir(parents=True)
    (cache_dir / linecache.NAME).write_text("{not json")
    assert linecache.lookup(env) is None
