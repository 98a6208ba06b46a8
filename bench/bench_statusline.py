"""Latency of `glmplan statusline` (Claude Code runs it every few seconds).

    .venv/bin/python bench/bench_statusline.py [RUNS]      # default 30

Seeds a fresh snapshot cache (so no background refresh is started) in a temp HOME with a key,
then times RUNS fresh processes of the installed `glmplan statusline`, stdin closed: with the
few-seconds line cache (what Claude Code's repeated calls hit) and with it deleted before each
run (a full render from the snapshot). `python -c pass` is the floor.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

from glmplan.paths import Paths
from glmplan.quota import cache, linecache
from glmplan.quota.parse import parse_snapshot
from tests.support.quota_server import LEGACY_PAYLOAD


def _time(argv: list[str], env: dict[str, str], runs: int, drop: Path | None = None) -> list[float]:
    times = []
    for _ in range(runs):
        if drop is not None:
            drop.unlink(missing_ok=True)
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    home = tempfile.mkdtemp()
    env = {**os.environ, "HOME": home, "ZAI_API_KEY": "sk-bench-000000000000"}
    for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        env.pop(var, None)
    cache.save(Paths.from_env(env), parse_snapshot(LEGACY_PAYLOAD, datetime.now(UTC)).snapshot)
    glmplan = str(Path(sys.executable).parent / "glmplan")
    line = subprocess.run([glmplan, "statusline"], env=env, capture_output=True, text=True).stdout
    line_cache = Path(linecache.dirs(env)["cache"]) / linecache.NAME
    series = (
        ("statusline (line cached)", [glmplan, "statusline"], None),
        ("statusline (rendered)", [glmplan, "statusline"], line_cache),
        ("python -c pass", [sys.executable, "-c", "pass"], None),
    )
    for name, argv, drop in series:
        times = _time(argv, env, runs, drop)
        print(f"{name:<26} median {statistics.median(times) * 1000:6.1f} ms  "
              f"min {min(times) * 1000:6.1f} ms  ({runs} runs)")  # fmt: skip
    print("line:", line.strip())


if __name__ == "__main__":
    main()
