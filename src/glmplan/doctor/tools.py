"""Per-tool checks: endpoint, model, MCP on lite, vision MCP mode, changed files, restarts."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

from glmplan.doctor.model import Check, Level
from glmplan.installer.journal import FileEntry
from glmplan.plan import (
    MODELS,
    VISION_MCP_PACKAGE,
    EndpointKind,
    PlanName,
    Region,
    classify_endpoint,
)
from glmplan.tool_profiles.base import Detection, ToolState
from glmplan.tool_profiles.mcp import ALL_SERVER_NAMES

UNSUPPORTED = {m.id for m in MODELS if not m.supported}


def endpoint_checks(
    tool: str, name: str, detection: Detection, state: ToolState, configured: bool
) -> list[Check]:
    kind = classify_endpoint(state.endpoint)
    if kind is EndpointKind.GENERAL:
        return [
            Check(
                "endpoint",
                tool,
                Level.FAIL,
                f"{name} uses Z.ai's general API ({state.endpoint})",
                "Calls to the general API are billed to your account balance, not the plan.",
                f"glmplan setup {tool}",
            )
        ]
    if kind is EndpointKind.CODING_PLAN:
        return [Check("endpoint", tool, Level.OK, f"{name} uses the coding plan endpoint")]
    if kind is EndpointKind.OTHER:
        return [
            Check(
                "endpoint",
                tool,
                Level.WARN,
                f"{name} uses another endpoint: {state.endpoint}",
                "Fine for a proxy set with --api-base; otherwise its calls may not use the plan.",
                f"glmplan setup {tool}",
            )
        ]
    if detection.found or configured:
        return [
            Check(
                "endpoint",
                tool,
                Level.WARN,
                f"{name} is installed but not set up for the plan",
                "; ".join(detection.how),
                f"glmplan setup {tool}",
            )
        ]
    return []


def model_checks(tool: str, name: str, state: ToolState) -> list[Check]:
    model = (state.model or "").split("/")[-1].lower()
    if model in UNSUPPORTED:
        return [
            Check(
                "model",
                tool,
                Level.FAIL,
                f"{name} uses {state.model}, which the GLM Coding Plan does not support",
                "GLM-4.5-X, GLM-4.5-AirX and GLM-4.5-Flash are not served by the plan.",
                f"glmplan setup {tool} --model glm-4.5",
            )
        ]
    return []


def mcp_on_lite(tool: str, name: str, state: ToolState, plan: PlanName | None) -> list[Check]:
    ours = [s for s in state.mcp_servers if s in ALL_SERVER_NAMES]
    if plan is PlanName.LITE and ours:
        return [
            Check(
                "mcp-lite",
                tool,
                Level.WARN,
                f"{name} has Z.ai MCP servers ({', '.join(ours)}) on a Lite plan",
                "The Lite plan does not include web search, web reader or vision MCP.",
                f"glmplan setup {tool} --no-mcp",
            )
        ]
    return []


def _walk(node: object) -> Iterator[dict[str, object]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def vision_servers(doc: object) -> list[dict[str, object]]:
    """Every MCP entry (any tool's shape) that runs @z_ai/mcp-server."""
    found = []
    for entry in _walk(doc):
        launch = [entry.get(k) for k in ("command", "cmd", "args")]
        if any(VISION_MCP_PACKAGE in json.dumps(v) for v in launch if v is not None):
            found.append(entry)
    return found


def vision_mode_checks(
    tool: str, name: str, doc: object, region: Region, where: str
) -> list[Check]:
    checks = []
    for entry in vision_servers(doc):
        env = next(
            (entry[k] for k in ("env", "environment", "envs") if isinstance(entry.get(k), dict)), {}
        )
        assert isinstance(env, dict)
        if region is Region.GLOBAL and not (env.get("Z_AI_MODE") or env.get("PLATFORM_MODE")):
            checks.append(
                Check(
                    "vision-mode",
                    tool,
                    Level.FAIL,
                    f"{name}'s vision MCP server in {where} has no Z_AI_MODE",
                    "@z_ai/mcp-server then defaults to the China platform, "
                    "where a global key fails.",
                    f"glmplan setup {tool} (sets Z_AI_MODE=ZAI)",
                )
            )
    return checks


def file_checks(entry: FileEntry, home: Path) -> list[Check]:
    path = Path(entry.resolved)
    try:
        info = path.stat()
    except OSError:
        return [
            Check(
                "file",
                entry.tool,
                Level.WARN,
                f"{entry.path} is gone since setup",
                "",
                f"glmplan setup {entry.tool}",
            )
        ]
    checks = []
    if entry.holds_secret and stat.S_IMODE(info.st_mode) & 0o077:
        checks.append(
            Check(
                "permissions",
                entry.tool,
                Level.FAIL,
                f"{entry.path} holds the API key and is readable by others "
                f"(mode {stat.S_IMODE(info.st_mode):04o})",
                "Other users on this machine could read your key.",
                f"chmod 600 {entry.path}",
            )
        )
    if _sha256(path) != entry.written_sha256:
        checks.append(
            Check(
                "changed",
                entry.tool,
                Level.WARN,
                f"{entry.path} changed since glmplan wrote it",
                "Fine if you or the tool edited it; restore then reverts only glmplan's keys.",
                f"glmplan setup {entry.tool} (to re-apply) or glmplan status",
            )
        )
    return checks


def _sha256(path: Path) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def newest_mtime(entries: list[FileEntry]) -> float | None:
    times = []
    for entry in entries:
        try:
            times.append(Path(entry.resolved).stat().st_mtime)
        except OSError:
            continue
    return max(times) if times else None
