"""`glmplan usage` and `glmplan statusline` end to end, against a real loopback quota server."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from glmplan.cli.main import cli
from glmplan.cli.usage_cmd import statusline
from glmplan.paths import Paths
from glmplan.quota import cache, refresher
from glmplan.quota.claude_stdin import read_claude_input
from glmplan.quota.parse import parse_snapshot
from tests.support.cli import CliRun, run_glmplan
from tests.support.quota_server import (
    LEGACY_PAYLOAD,
    WEEKLY_PAYLOAD,
    QuotaServer,
    Reply,
)

KEY = "sk-CANARY-0123456789abcdef"
USAGE_KEYS = {"plan", "generated_at", "five_hour", "weekly", "mcp", "local", "api"}
WINDOW_KEYS = {
    "used", "limit", "unit", "percent", "window_start", "reset_at", "seconds_to_reset", "source",
}  # fmt: skip
MCP_KEYS = {"used", "limit", "reset_at", "by_tool", "source"}


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def future_legacy(reset: datetime) -> dict[str, object]:
    doc = copy.deepcopy(LEGACY_PAYLOAD)
    doc["data"]["limits"][0]["nextResetTime"] = ms(reset)  # type: ignore[index]
    return doc


def env_for(server_base: str, key: str | None = KEY) -> dict[str, str]:
    env = {"GLMPLAN_API_BASE": server_base}
    if key:
        env["ZAI_API_KEY"] = key
    return env


def run_inproc(*args: str, env: dict[str, str]) -> CliRun:
    """The command in this process (fast); the environment is the test's isolated one plus `env`."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in env.items():
            mp.setenv(name, value)
        result = CliRunner().invoke(cli, list(args), standalone_mode=False)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    code = result.return_value if isinstance(result.return_value, int) else result.exit_code
    run = CliRun(code, result.stdout, result.stderr)
    assert KEY not in run.out + run.err
    return run


def usage_json(*args: str, env: dict[str, str]) -> tuple[CliRun, dict[str, object]]:
    run = run_inproc("usage", "--json", *args, env=env)
    return run, json.loads(run.out)


def write_claude_prompts(home: Path, times: list[datetime]) -> None:
    project = home / ".claude" / "projects" / "-work-demo"
    project.mkdir(parents=True)
    lines = [
        json.dumps(
            {
                "type": "user",
                "uuid": f"u{i}",
                "sessionId": "s1",
                "timestamp": t.isoformat().replace("+00:00", "Z"),
                "message": {"role": "user", "content": f"prompt {i}"},
            },
            separators=(",", ":"),  # compact, as Claude Code (JSON.stringify) writes it
        )
        for i, t in enumerate(times)
    ]
    (project / "s1.jsonl").write_text("\n".join(lines) + "\n")


def test_usage_json_legacy_sample_exact(isolated_home: Path) -> None:
    """Through the real `python -m glmplan` in a subprocess."""
    with QuotaServer(Reply.json(LEGACY_PAYLOAD)) as server:
        run = run_glmplan("usage", "--json", env=env_for(server.base))
        assert KEY not in run.out + run.err
        doc = json.loads(run.out)
    assert run.code == 0, run.err
    assert set(doc) == USAGE_KEYS
    five = doc["five_hour"]
    assert isinstance(five, dict) and set(five) == WINDOW_KEYS
    assert five["percent"] == round(127694464 / 800000000 * 100, 1)
    assert (five["used"], five["limit"], five["unit"]) == (127694464, 800000000, "tokens")
    assert five["reset_at"] == "2026-02-09T14:46:42.389000+00:00"
    assert five["window_start"] == "2026-02-09T09:46:42.389000+00:00"
    assert five["source"] == "api"
    mcp = doc["mcp"]
    assert isinstance(mcp, dict) and set(mcp) == MCP_KEYS
    assert (mcp["used"], mcp["limit"], mcp["source"]) == (1828, 4000, "api")
    assert mcp["by_tool"] == {"search-prime": 1433, "web-reader": 462, "zread": 0}
    assert doc["weekly"] is None
    api = doc["api"]
    assert isinstance(api, dict) and api["ok"] is True and api["error"] is None
    assert [r.authorization for r in server.requests] == [KEY]


def test_usage_json_live_window_with_local_split(isolated_home: Path) -> None:
    now = datetime.now(UTC)
    reset = now + timedelta(hours=2, minutes=13)
    write_claude_prompts(isolated_home, [now - timedelta(minutes=30), now - timedelta(minutes=5)])
    with QuotaServer(Reply.json(future_legacy(reset))) as server:
        run, doc = usage_json(env=env_for(server.base))
    assert run.code == 0, run.err
    five = doc["five_hour"]
    assert isinstance(five, dict)
    assert five["reset_at"] == datetime.fromtimestamp(ms(reset) / 1000, tz=UTC).isoformat()
    assert isinstance(five["seconds_to_reset"], int)
    assert 2 * 3600 <= five["seconds_to_reset"] <= 2 * 3600 + 13 * 60
    local = doc["local"]
    assert isinstance(local, dict)
    assert local["by_tool"] == {"claude-code": 2} and local["prompts"] == 2
    assert local["window_start"] == five["window_start"]


def test_usage_json_weekly_payload(isolated_home: Path) -> None:
    with QuotaServer(Reply.json(WEEKLY_PAYLOAD)) as server:
        run, doc = usage_json(env=env_for(server.base))
    assert run.code == 0, run.err
    assert doc["plan"] == "pro"
    weekly = doc["weekly"]
    assert isinstance(weekly, dict) and set(weekly) == WINDOW_KEYS
    assert weekly["percent"] == 12 and weekly["reset_at"] == "2026-05-26T10:42:49.974000+00:00"
    mcp = doc["mcp"]
    assert isinstance(mcp, dict) and (mcp["used"], mcp["limit"]) == (132, 1000)


def test_bearer_fallback_end_to_end(isolated_home: Path) -> None:
    with QuotaServer() as server:
        server.queue(Reply.json({"code": 401, "msg": "token expired or incorrect"}))
        run, doc = usage_json(env=env_for(server.base))
    assert run.code == 0
    assert [r.authorization for r in server.requests] == [KEY, f"Bearer {KEY}"]
    assert isinstance(doc["api"], dict) and doc["api"]["ok"] is True


def test_offline_uses_stale_cache_exit_0(isolated_home: Path) -> None:
    with QuotaServer(Reply.json(WEEKLY_PAYLOAD)) as server:
        first, _ = usage_json(env=env_for(server.base))
        base = server.base
    assert first.code == 0
    run, doc = usage_json(env=env_for(base))
    assert run.code == 0, run.err
    api = doc["api"]
    assert isinstance(api, dict) and api["ok"] is False and api["fetched_at"] is not None
    assert isinstance(api["error"], str) and "refused" in api["error"]
    mcp = doc["mcp"]
    assert isinstance(mcp, dict) and mcp["used"] == 132 and mcp["source"] == "api"
    text = run_inproc("usage", env=env_for(base))
    assert text.code == 0 and "stale" in text.out and "refused" in text.out
    assert KEY not in text.out + text.err


def test_offline_without_cache_is_local_only(isolated_home: Path) -> None:
    with QuotaServer() as server:
        base = server.base
    run, doc = usage_json(env=env_for(base))
    assert run.code == 0
    five = doc["five_hour"]
    assert isinstance(five, dict) and five["source"] == "local" and five["unit"] == "prompts"


def test_source_api_failure_exits_1(isolated_home: Path) -> None:
    with QuotaServer(Reply.json({"code": 1113, "msg": "余额不足", "success": False})) as server:
        run, doc = usage_json("--source", "api", env=env_for(server.base))
    assert run.code == 1
    assert isinstance(doc["api"], dict) and "1113" in str(doc["api"]["error"])
    assert doc["five_hour"] is None


def test_source_local_never_calls_the_api(isolated_home: Path) -> None:
    with QuotaServer() as server:
        run, _doc = usage_json("--source", "local", env=env_for(server.base))
    assert run.code == 0 and server.requests == []


def test_human_text_has_countdown_and_sources(isolated_home: Path) -> None:
    reset = datetime.now(UTC) + timedelta(hours=2, minutes=13, seconds=30)
    with QuotaServer(Reply.json(future_legacy(reset))) as server:
        run = run_inproc("usage", env=env_for(server.base))
    assert run.code == 0, run.err
    assert "resets in 2h13m" in run.out or "resets in 2h12m" in run.out
    assert "[api, 0s ago]" in run.out or "[api, 1s ago]" in run.out
    assert "search-prime 1,433" in run.out


def test_api_base_option_wins_over_env(isolated_home: Path) -> None:
    with QuotaServer(Reply.json(WEEKLY_PAYLOAD)) as server:
        env = env_for("http://127.0.0.1:9")  # the discard port: nothing listens there
        run, doc = usage_json("--api-base", server.base, env=env)
    assert run.code == 0 and isinstance(doc["api"], dict) and doc["api"]["ok"] is True


def test_remote_http_base_refused(isolated_home: Path) -> None:
    run = run_glmplan("usage", env={"GLMPLAN_API_BASE": "http://example.com", "ZAI_API_KEY": KEY})
    assert run.code == 2 and "loopback" in run.err


# -- statusline ----------------------------------------------------------------------------------


def seed_cache(paths: Paths, payload: object, fetched: datetime) -> None:
    cache.save(paths, parse_snapshot(payload, fetched).snapshot)


def test_statusline_from_cache(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    now = datetime.now(UTC)
    doc = copy.deepcopy(WEEKLY_PAYLOAD)
    limits = doc["data"]["limits"]  # type: ignore[index]
    limits[0].update(
        usage=600,
        currentValue=228,
        nextResetTime=ms(now + timedelta(hours=2, minutes=13, seconds=30)),
    )
    limits[1]["nextResetTime"] = ms(now + timedelta(days=2))
    limits[2]["nextResetTime"] = ms(now + timedelta(days=9))
    seed_cache(paths, doc, now)
    monkeypatch.setenv("ZAI_API_KEY", KEY)
    result = CliRunner().invoke(statusline, input='{"model": {"id": "glm-4.6"}}')
    assert result.exit_code == 0
    line = result.output.strip()
    assert line in {
        "GLM pro · 5h 38% · resets 2h13m · wk 12% · MCP 132/1000",
        "GLM pro · 5h 38% · resets 2h12m · wk 12% · MCP 132/1000",
    }
    assert not refresher.pid_path(paths).exists()  # fresh cache: no refresh


def test_statusline_without_key_or_cache(paths: Paths) -> None:
    result = CliRunner().invoke(statusline, input="")
    assert result.output.strip() == "GLM · no API key (glmplan setup)"
    assert not refresher.pid_path(paths).exists()


def test_statusline_old_cache_says_age(paths: Paths) -> None:
    seed_cache(paths, LEGACY_PAYLOAD, datetime.now(UTC) - timedelta(hours=3))
    result = CliRunner().invoke(statusline, input="")
    assert result.output.strip().endswith("· 3h00m old")


def wait_for(predicate: object, timeout: float = 30.0) -> bool:
    assert callable(predicate)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_statusline_spawns_one_background_refresh(paths: Paths) -> None:
    old = datetime.now(UTC) - timedelta(minutes=5)
    seed_cache(paths, LEGACY_PAYLOAD, old)
    with QuotaServer(Reply.json(WEEKLY_PAYLOAD, delay=1.0)) as server:
        env = env_for(server.base)
        first = run_glmplan("statusline", env=env)
        second = run_glmplan("statusline", env=env)
        assert first.code == 0 and second.code == 0
        assert first.out.startswith("GLM ") and "5m old" not in first.out
        pid = int(refresher.pid_path(paths).read_text())
        cmdline = Path(f"/proc/{pid}/cmdline")
        if cmdline.exists():
            argv = cmdline.read_bytes().split(b"\0")
            assert KEY.encode() not in b" ".join(argv)
        assert wait_for(lambda: (c := cache.load(paths)) is not None and c.fetched_at > old)
    assert len(server.requests) == 1  # the second statusline did not start another
    snapshot = cache.load(paths)
    assert snapshot is not None and snapshot.level == "pro"


def test_statusline_does_not_block_on_open_stdin(isolated_home: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "glmplan", "statusline"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=dict(os.environ),
    )
    try:
        assert proc.wait(timeout=20) == 0  # stdin left open and empty
    finally:
        if proc.poll() is None:
            proc.kill()
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.close()
        out = proc.stdout.read().decode()
        proc.stdout.close()
    assert out.startswith("GLM")


def test_read_claude_input_from_memory_stream() -> None:
    import io

    assert read_claude_input(io.StringIO('{"a": 1}')) == b'{"a": 1}'


def test_statusline_imports_stay_small(isolated_home: Path) -> None:
    code = (
        "import sys, runpy\n"
        "sys.argv = ['glmplan', 'statusline']\n"
        "try:\n"
        "    runpy.run_module('glmplan', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "names = ('textual', 'psutil', 'watchdog', 'http.client', 'glmplan.quota.logs',\n"
        "         'click', 'tomlkit', 'glmplan.formats', 'filelock')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "HEAVY []" in proc.stderr, proc.stderr


def test_statusline_reports_a_rejected_key_after_its_refresh(paths: Paths) -> None:
    with QuotaServer(Reply.json({"code": 401, "msg": "token expired or incorrect"})) as server:
        env = env_for(server.base)
        first = run_glmplan("statusline", env=env)
        assert first.out.strip() == "GLM · quota: fetching…"
        assert wait_for(lambda: cache.load_failure(paths) == "auth")
        second = run_inproc("statusline", env=env)
    assert second.out.strip() == "GLM · API key rejected (glmplan usage)"
    assert len(server.requests) == 2  # raw, then Bearer: one refresh only
