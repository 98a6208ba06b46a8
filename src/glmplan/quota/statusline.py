"""`glmplan statusline`: one line for Claude Code's statusLine, from cached figures only.

Claude Code runs this command every few seconds, so it must start fast: `glmplan.entry` calls
`main` directly, before click is imported, and everything here reads with the standard library.
When the cache is older than the poll interval it starts one detached refresh (never waits).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime

from glmplan import config
from glmplan.errors import GlmplanError
from glmplan.paths import Paths
from glmplan.quota import cache, linecache
from glmplan.quota import report as rep
from glmplan.quota.claude_stdin import read_claude_input
from glmplan.secrets import redact

log = logging.getLogger(__name__)


def main(environ: Mapping[str, str] | None = None, *, stdin_read: bool = False) -> int:
    env = os.environ if environ is None else environ
    if not stdin_read:
        read_claude_input(sys.stdin)
    key = env.get("ZAI_API_KEY") or ""
    try:
        paths = Paths.from_env(env)
        key = config.load_key(paths, env) or key
        line, due = status_line(paths, env)
        line = redact(line, [key])
        linecache.store(env, line, due)
    except Exception as exc:  # a status line must never fail Claude Code's prompt
        log.debug("statusline failed: %s", exc)
        line = "GLM ?"
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    return 0


def status_line(paths: Paths, environ: Mapping[str, str]) -> tuple[str, float | None]:
    """The line, and when (epoch seconds) the snapshot behind it is due for a refresh."""
    try:
        stored = config.load_settings(paths)
    except GlmplanError:
        stored = config.StoredSettings()
    has_key = bool(config.load_key(paths, environ))
    snapshot = cache.load(paths)
    now = datetime.now(UTC)
    stale = snapshot is None or (now - snapshot.fetched_at).total_seconds() >= stored.interval
    if stale and has_key:
        from glmplan.quota import refresher  # filelock, subprocess: only when a refresh is due

        refresher.spawn_refresh(paths, environ, float(stored.interval))
    plan = stored.plan.value if stored.plan else None
    failure = cache.load_failure(paths) if snapshot is None else None
    due = snapshot.fetched_at.timestamp() + stored.interval if snapshot else None
    return rep.status_line(snapshot, plan, now, has_key, failure), due
