"""Claude Code transcript lines shaped like what Claude Code 2.1.x writes (compact JSON)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def iso(minutes_ago: float) -> str:
    return (NOW - timedelta(minutes=minutes_ago)).isoformat().replace("+00:00", "Z")


def _envelope(kind: str, uuid: str, minutes_ago: float, **extra: object) -> dict[str, object]:
    line: dict[str, object] = {
        "parentUuid": None,
        "isSidechain": False,
        "type": kind,
        "uuid": uuid,
        "timestamp": iso(minutes_ago),
        "userType": "external",
        "entrypoint": "cli",
        "cwd": "/home/u/proj",
        "sessionId": "s-1",
        "version": "2.1.197",
        "gitBranch": "main",
    }
    line.update(extra)
    return line


def dump(obj: dict[str, object]) -> str:
    return json.dumps(obj, separators=(",", ":")) + "\n"


def user(uuid: str, content: object, minutes_ago: float = 10, **extra: object) -> str:
    extra.setdefault("promptSource", "typed")
    extra.setdefault("permissionMode", "default")
    msg = {"role": "user", "content": content}
    return dump(_envelope("user", uuid, minutes_ago, message=msg, **extra))


def tool_result(uuid: str, tool_use_id: str, minutes_ago: float = 9, **extra: object) -> str:
    content = [{"tool_use_id": tool_use_id, "type": "tool_result", "content": "ok"}]
    msg = {"role": "user", "content": content}
    return dump(
        _envelope(
            "user",
            uuid,
            minutes_ago,
            message=msg,
            toolUseResult={"stdout": "ok"},
            sourceToolAssistantUUID="a",
            **extra,
        )
    )


def assistant(
    uuid: str,
    msg_id: str,
    blocks: list[dict[str, object]],
    minutes_ago: float = 9,
    web_search_requests: int = 0,
    **extra: object,
) -> str:
    usage = {
        "input_tokens": 1200,
        "output_tokens": 80,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 4000,
        "server_tool_use": {"web_search_requests": web_search_requests},
    }
    msg = {
        "id": msg_id,
        "type": "message",
        "role": "assistant",
        "model": "glm-4.7",
        "content": blocks,
        "stop_reason": None,
        "usage": usage,
    }
    return dump(_envelope("assistant", uuid, minutes_ago, message=msg, requestId="req", **extra))


def tool_use(block_id: str, name: str) -> dict[str, object]:
    return {"type": "tool_use", "id": block_id, "name": name, "input": {"query": "x"}}


def text(value: str) -> dict[str, object]:
    return {"type": "text", "text": value}
