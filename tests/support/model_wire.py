"""Wire formats of the fake model server: Anthropic Messages and OpenAI chat.completions bodies."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

ANSWER = "pong"
INPUT_TOKENS = 12
OUTPUT_TOKENS = 3
CREATED = 1_795_000_000  # fixed so recorded fixtures do not depend on the clock


@dataclass(frozen=True)
class Reply:
    """What the fake model says: text, and optionally a call of one tool with `tool_input`."""

    text: str = ANSWER
    tool_name: str | None = None
    tool_input: Mapping[str, object] = field(default_factory=dict)
    tool_id: str = "toolu_fixture_0001"


def _json(doc: object) -> str:
    return json.dumps(doc, separators=(",", ":"))


# -- Anthropic Messages ------------------------------------------------------------------------


def _anthropic_usage(output_tokens: int) -> dict[str, object]:
    return {
        "input_tokens": INPUT_TOKENS,
        "output_tokens": output_tokens,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
    }


def _anthropic_blocks(reply: Reply) -> list[dict[str, object]]:
    blocks: list[dict[str, object]] = []
    if reply.text:
        blocks.append({"type": "text", "text": reply.text})
    if reply.tool_name:
        blocks.append(
            {
                "type": "tool_use",
                "id": reply.tool_id,
                "name": reply.tool_name,
                "input": dict(reply.tool_input),
            }
        )
    return blocks


def _stop_reason(reply: Reply) -> str:
    return "tool_use" if reply.tool_name else "end_turn"


def anthropic_json(model: str, reply: Reply) -> bytes:
    message = {
        "id": "msg_fixture",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": _anthropic_blocks(reply),
        "stop_reason": _stop_reason(reply),
        "stop_sequence": None,
        "usage": _anthropic_usage(OUTPUT_TOKENS),
    }
    return _json(message).encode()


def _block_events(index: int, block: Mapping[str, object]) -> list[dict[str, object]]:
    if block["type"] == "text":
        start: dict[str, object] = {"type": "text", "text": ""}
        delta: dict[str, object] = {"type": "text_delta", "text": block["text"]}
    else:
        start = {**block, "input": {}}
        delta = {"type": "input_json_delta", "partial_json": _json(block["input"])}
    return [
        {"type": "content_block_start", "index": index, "content_block": start},
        {"type": "content_block_delta", "index": index, "delta": delta},
        {"type": "content_block_stop", "index": index},
    ]


def anthropic_sse(model: str, reply: Reply) -> bytes:
    message: dict[str, object] = {
        "id": "msg_fixture",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": _anthropic_usage(1),
    }
    events: list[dict[str, object]] = [{"type": "message_start", "message": message}]
    for index, block in enumerate(_anthropic_blocks(reply)):
        events.extend(_block_events(index, block))
    events.append(
        {
            "type": "message_delta",
            "delta": {"stop_reason": _stop_reason(reply), "stop_sequence": None},
            "usage": {"output_tokens": OUTPUT_TOKENS},
        }
    )
    events.append({"type": "message_stop"})
    return "".join(f"event: {e['type']}\ndata: {_json(e)}\n\n" for e in events).encode()


# -- OpenAI chat.completions -------------------------------------------------------------------


def _openai_usage() -> dict[str, int]:
    total = INPUT_TOKENS + OUTPUT_TOKENS
    return {
        "prompt_tokens": INPUT_TOKENS,
        "completion_tokens": OUTPUT_TOKENS,
        "total_tokens": total,
    }


def _openai_tool_calls(reply: Reply) -> list[dict[str, object]]:
    if not reply.tool_name:
        return []
    function = {"name": reply.tool_name, "arguments": _json(dict(reply.tool_input))}
    return [{"index": 0, "id": reply.tool_id, "type": "function", "function": function}]


def _finish_reason(reply: Reply) -> str:
    return "tool_calls" if reply.tool_name else "stop"


def _completion(model: str, obj: str, choices: list[dict[str, object]]) -> dict[str, object]:
    return {
        "id": "chatcmpl-fixture",
        "object": obj,
        "created": CREATED,
        "model": model,
        "choices": choices,
    }


def openai_json(model: str, reply: Reply) -> bytes:
    message: dict[str, object] = {"role": "assistant", "content": reply.text or None}
    if calls := _openai_tool_calls(reply):
        message["tool_calls"] = calls
    choice = {"index": 0, "message": message, "finish_reason": _finish_reason(reply)}
    doc = _completion(model, "chat.completion", [choice])
    doc["usage"] = _openai_usage()
    return _json(doc).encode()


def openai_sse(model: str, reply: Reply) -> bytes:
    chunk = "chat.completion.chunk"
    deltas: list[dict[str, object]] = [{"role": "assistant", "content": ""}]
    if reply.text:
        deltas.append({"content": reply.text})
    if calls := _openai_tool_calls(reply):
        deltas.append({"tool_calls": calls})
    docs = [
        _completion(model, chunk, [{"index": 0, "delta": d, "finish_reason": None}]) for d in deltas
    ]
    docs.append(
        _completion(
            model, chunk, [{"index": 0, "delta": {}, "finish_reason": _finish_reason(reply)}]
        )
    )
    usage = _completion(model, chunk, [])
    usage["usage"] = _openai_usage()
    docs.append(usage)
    lines = [f"data: {_json(doc)}\n\n" for doc in docs]
    lines.append("data: [DONE]\n\n")
    return "".join(lines).encode()


def models_list() -> bytes:
    """A model list in both shapes at once (OpenAI `object`/`owned_by`, Anthropic `type`)."""
    ids = ["GLM-4.5", "GLM-4.5-Air", "glm-4.5", "glm-4.5-air", "glm-4.7"]
    data = [
        {"id": i, "object": "model", "type": "model", "owned_by": "z-ai", "display_name": i}
        for i in ids
    ]
    return _json({"object": "list", "data": data, "has_more": False}).encode()
