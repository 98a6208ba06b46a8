"""Run every doctor check. I/O lives here; the check builders in `tools`/`env` take data."""

from __future__ import annotations

import re
import stat
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

from glmplan import config
from glmplan.doctor import tools as tc
from glmplan.doctor.env import env_override_checks
from glmplan.doctor.model import Check, Level
from glmplan.errors import GlmplanError
from glmplan.formats import parse
from glmplan.installer import journal
from glmplan.installer.fs import RealFileView
from glmplan.paths import Paths
from glmplan.plan import Endpoints, Region
from glmplan.quota.api import ApiErrorKind, QuotaApiError, QuotaClient
from glmplan.tool_profiles import PROFILES

_UNREACHABLE = {
    ApiErrorKind.TIMEOUT,
    ApiErrorKind.REFUSED,
    ApiErrorKind.RESET,
    ApiErrorKind.NETWORK,
    ApiErrorKind.HTTP,
    ApiErrorKind.REDIRECT,
    ApiErrorKind.BAD_BODY,
    ApiErrorKind.TOO_LARGE,
}
_FAIL_KINDS = {ApiErrorKind.AUTH, ApiErrorKind.NO_PLAN}


def key_check(key: str | None, endpoints: Endpoints) -> Check:
    if not key:
        return Check(
            "key",
            None,
            Level.WARN,
            "No API key stored",
            "glmplan has no key to check (ZAI_API_KEY unset, no stored key).",
            'echo "$KEY" | glmplan setup --api-key-stdin',
        )
    try:
        result = QuotaClient(endpoints.base).fetch(key)
    except QuotaApiError as exc:
        if exc.kind in _UNREACHABLE:
            return Check(
                "key", None, Level.WARN, "Quota API unreachable: the key was not checked", str(exc)
            )
        level = Level.FAIL if exc.kind in _FAIL_KINDS else Level.WARN
        return Check(
            "key",
            None,
            level,
            "The quota API did not accept the key",
            str(exc),
            "Check the key and the region (--region china for bigmodel.cn keys)",
        )
    plan = f" (plan: {result.snapshot.level})" if result.snapshot.level else ""
    return Check("key", None, Level.OK, f"Key accepted by the quota API{plan}")


def node_check(fs: RealFileView) -> Check:
    node = fs.which("node")
    fix = "Install Node.js 22 or newer (the vision MCP server runs with npx)"
    if node is None:
        return Check(
            "node", None, Level.WARN, "Vision MCP is configured but Node.js is missing", "", fix
        )
    try:
        out = subprocess.run(
            [str(node), "--version"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    match = re.match(r"v(\d+)", out.strip())
    major = int(match.group(1)) if match else 0
    if major < 22:
        return Check(
            "node", None, Level.WARN, f"Node.js {out.strip() or '?'} is older than 22", "", fix
        )
    return Check("node", None, Level.OK, f"Node.js {out.strip()} can run the vision MCP server")


def credentials_check(paths: Paths) -> list[Check]:
    try:
        mode = stat.S_IMODE(paths.credentials_file.stat().st_mode)
    except OSError:
        return []
    if mode & 0o077:
        return [
            Check(
                "permissions",
                None,
                Level.FAIL,
                f"{paths.credentials_file} is readable by others (mode {mode:04o})",
                "",
                f"chmod 600 {paths.credentials_file}",
            )
        ]
    return []


def run_doctor(
    paths: Paths,
    env: Mapping[str, str],
    running: Callable[[dict[str, tuple[str, ...]]], Mapping[str, list[float]]] | None = None,
) -> list[Check]:
    """All checks. `running` maps tool → start times of its processes (psutil by default)."""
    settings = config.load_settings(paths)
    api_base = env.get("GLMPLAN_API_BASE") or settings.api_base
    endpoints = Endpoints.for_region(settings.region, api_base)
    fs = RealFileView(paths)
    checks = [key_check(config.load_key(paths, env), endpoints)]
    entries = list(journal.load(paths).entries)
    vision_seen = False
    for tool, profile in PROFILES.items():
        mine = [e for e in entries if tool in e.tools]
        state = profile.inspect(paths, fs)
        name = profile.DISPLAY_NAME
        checks += tc.endpoint_checks(tool, name, profile.detect(paths, fs), state, bool(mine))
        checks += tc.model_checks(tool, name, state)
        checks += tc.mcp_on_lite(tool, name, state, settings.plan)
        for entry in mine:
            checks += tc.file_checks(entry, paths.home)
            doc = _parse_quietly(entry)
            vision_seen = vision_seen or bool(tc.vision_servers(doc))
            checks += tc.vision_mode_checks(
                tool, name, doc, settings.region or Region.GLOBAL, entry.path
            )
    checks += credentials_check(paths)
    checks += env_override_checks(paths, env, (endpoints.anthropic, endpoints.coding))
    checks += _restart_checks(entries, running or _psutil_start_times)
    if vision_seen:
        checks.append(node_check(fs))
    return _dedupe(checks)


def _parse_quietly(entry: journal.FileEntry) -> object:
    try:
        text = Path(entry.resolved).read_text(encoding="utf-8-sig")
        return parse(entry.format, text, entry.path)
    except (OSError, GlmplanError, UnicodeDecodeError):
        return None


def _restart_checks(
    entries: list[journal.FileEntry],
    running: Callable[[dict[str, tuple[str, ...]]], Mapping[str, list[float]]],
) -> list[Check]:
    names = {t: p.PROCESS_NAMES for t, p in PROFILES.items() if any(t in e.tools for e in entries)}
    if not names:
        return []
    checks = []
    for tool, starts in running(names).items():
        newest = tc.newest_mtime([e for e in entries if tool in e.tools])
        stale = [s for s in starts if newest is not None and s < newest]
        if stale:
            checks.append(
                Check(
                    "restart",
                    tool,
                    Level.WARN,
                    f"{PROFILES[tool].DISPLAY_NAME}: {len(stale)} session(s) started before "
                    "its config changed",
                    "Running sessions keep the old settings until restarted.",
                    f"Restart {PROFILES[tool].DISPLAY_NAME}",
                )
            )
    return checks


def _psutil_start_times(names: dict[str, tuple[str, ...]]) -> Mapping[str, list[float]]:
    import psutil  # heavy: only when doctor runs

    from glmplan.installer.detect import running_processes

    found = running_processes(names)
    times: dict[str, list[float]] = {}
    for tool, procs in found.items():
        for proc in procs:
            try:
                times.setdefault(tool, []).append(psutil.Process(proc.pid).create_time())
            except psutil.Error:
                continue
    return times


def _dedupe(checks: list[Check]) -> list[Check]:
    return list(dict.fromkeys(checks))
