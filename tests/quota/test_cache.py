"""The last-good snapshot cache: round trip, mode, atomicity, corrupt files."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime

import pytest

from glmplan.paths import Paths
from glmplan.quota import cache
from glmplan.quota.parse import parse_snapshot
from tests.support.quota_server import CREDIT_PAYLOAD, LEGACY_PAYLOAD, WEEKLY_PAYLOAD

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize("payload", [LEGACY_PAYLOAD, WEEKLY_PAYLOAD, CREDIT_PAYLOAD])
def test_round_trip(paths: Paths, payload: object) -> None:
    snapshot = parse_snapshot(payload, NOW).snapshot
    cache.save(paths, snapshot)
    assert cache.load(paths) == snapshot


def test_file_mode_and_no_temp_left(paths: Paths) -> None:
    cache.save(paths, parse_snapshot(LEGACY_PAYLOAD, NOW).snapshot)
    target = cache.cache_path(paths)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_absent_is_none(paths: Paths) -> None:
    assert cache.load(paths) is None


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[]",
        '{"version": 99}',
        '{"version": 1, "fetched_at": "2026-05-01T12:00:00", "level": null, '
        '"five_hour": null, "weekly": null, "mcp": null}',
        '{"version": 1, "fetched_at": "2026-05-01T12:00:00+00:00", "level": null, '
        '"five_hour": {"used": "x"}, "weekly": null, "mcp": null}',
        '{"version": 1, "fetched_at": "2026-05-01T12:00:00+00:00", "level": 3, '
        '"five_hour": null, "weekly": null, "mcp": null}',
    ],
)
def test_corrupt_is_absent(paths: Paths, text: str) -> None:
    target = cache.cache_path(paths)
    target.parent.mkdir(parents=True)
    target.write_text(text)
    assert cache.load(paths) is None


def test_unwritable_dir_does_not_raise(paths: Paths) -> None:
    paths.cache_dir.parent.mkdir(parents=True, exist_ok=True)
    paths.cache_dir.write_text("a file where the directory should be")
    cache.save(paths, parse_snapshot(LEGACY_PAYLOAD, NOW).snapshot)
    assert cache.load(paths) is None


def test_json_shape(paths: Paths) -> None:
    cache.save(paths, parse_snapshot(WEEKLY_PAYLOAD, NOW).snapshot)
    doc = json.loads(cache.cache_path(paths).read_text())
    assert doc["version"] == 1 and doc["fetched_at"] == NOW.isoformat()
    assert doc["mcp"]["by_tool"] == {"search-prime": 120, "web-reader": 12, "zread": 0}


def test_failure_marker(paths: Paths) -> None:
    assert cache.load_failure(paths) is None
    cache.save_failure(paths, "auth", NOW)
    assert cache.load_failure(paths) == "auth"
    assert stat.S_IMODE((paths.cache_dir / cache.FAILURE_NAME).stat().st_mode) == 0o600
    cache.clear_failure(paths)
    assert cache.load_failure(paths) is None
    cache.clear_failure(paths)  # absent: no error


def test_stale_temp_files_of_ours_are_swept(paths: Paths) -> None:
    import os

    paths.cache_dir.mkdir(parents=True)
    old = paths.cache_dir / ".quota-snapshot.json.abc123.tmp"
    fresh = paths.cache_dir / ".quota-snapshot.json.def456.tmp"
    foreign = paths.cache_dir / "someone-else.tmp"
    for path in (old, fresh, foreign):
        path.write_text("x")
    os.utime(old, (0, 0))
    os.utime(foreign, (0, 0))
    cache.save(paths, parse_snapshot(LEGACY_PAYLOAD, NOW).snapshot)
    assert not old.exists() and fresh.exists() and foreign.exists()
