"""The fake model server speaks both wire formats the real CLIs expect (no CLI needed)."""

from __future__ import annotations

import json
import urllib.request

from tests.support.model_server import ANSWER, ModelServer, RecordedRequest, Reply, always

KEY = "sk-test-FIXTURE-0000"
BASH = Reply(text="", tool_name="Bash", tool_input={"command": "echo hi"})


def _call(
    server: ModelServer, path: str, body: object | None = None, method: str = "POST"
) -> tuple[int, str]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.base + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {KEY}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


def _sse_events(text: str) -> list[dict[str, object]]:
    return [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: {")]


def _chat(model: str, stream: bool, content: object = "say pong") -> dict[str, object]:
    return {"model": model, "stream": stream, "messages": [{"role": "user", "content": content}]}


def test_anthropic_stream_has_every_event_in_order(model_server: ModelServer) -> None:
    status, text = _call(
        model_server, "/api/anthropic/v1/messages?beta=true", _chat("GLM-4.5", True)
    )
    events = _sse_events(text)
    assert status == 200
    assert [e["type"] for e in events] == [
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    assert "event: message_start\n" in text
    delta = events[2]["delta"]
    assert isinstance(delta, dict)
    assert delta["text"] == ANSWER
    (request,) = model_server.chat_calls()
    assert (request.kind, request.route, request.path) == (
        "anthropic",
        "/api/anthropic/v1/messages",
        "/api/anthropic/v1/messages?beta=true",
    )
    assert (request.bearer, request.model, request.stream) == (KEY, "GLM-4.5", True)


def test_anthropic_json_and_tool_use(model_server: ModelServer) -> None:
    _, text = _call(model_server, "/v1/messages", _chat("GLM-4.5", False))
    assert json.loads(text)["content"] == [{"type": "text", "text": ANSWER}]
    model_server.responder = always(BASH)
    _, text = _call(model_server, "/v1/messages", _chat("GLM-4.5", True))
    events = _sse_events(text)
    start = events[1]["content_block"]
    assert isinstance(start, dict)
    assert (start["type"], start["name"]) == ("tool_use", "Bash")
    delta = events[2]["delta"]
    assert isinstance(delta, dict)
    assert json.loads(str(delta["partial_json"])) == {"command": "echo hi"}
    stop = events[-2]["delta"]
    assert isinstance(stop, dict)
    assert stop["stop_reason"] == "tool_use"


def test_openai_stream_chunks_usage_and_done(model_server: ModelServer) -> None:
    status, text = _call(
        model_server, "/api/coding/paas/v4/chat/completions", _chat("glm-4.5", True)
    )
    chunks = _sse_events(text)
    assert status == 200
    assert text.rstrip().endswith("data: [DONE]")
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    pieces = [c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"]]  # type: ignore[index]
    assert "".join(pieces) == ANSWER
    finish = [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]]  # type: ignore[index]
    assert finish[-1] == "stop"
    assert chunks[-1]["usage"] == {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}
    assert model_server.chat_calls()[0].kind == "openai"


def test_openai_json_and_tool_calls(model_server: ModelServer) -> None:
    _, text = _call(model_server, "/chat/completions", _chat("glm-4.7", False))
    doc = json.loads(text)
    assert doc["choices"][0]["message"]["content"] == ANSWER
    assert doc["model"] == "glm-4.7"
    model_server.responder = always(BASH)
    _, text = _call(model_server, "/chat/completions", _chat("glm-4.7", True))
    chunks = _sse_events(text)
    calls = [c["choices"][0]["delta"].get("tool_calls") for c in chunks if c["choices"]]  # type: ignore[index]
    (call,) = [c for c in calls if c]
    assert call[0]["function"]["name"] == "Bash"
    assert json.loads(call[0]["function"]["arguments"]) == {"command": "echo hi"}


def test_start_up_probes_are_answered_and_recorded(model_server: ModelServer) -> None:
    assert _call(model_server, "/api/anthropic", method="HEAD")[0] == 200
    _, models = _call(model_server, "/v1/models", method="GET")
    assert "glm-4.5" in [m["id"] for m in json.loads(models)["data"]]
    _, tokens = _call(model_server, "/v1/messages/count_tokens", _chat("GLM-4.5", False))
    assert json.loads(tokens) == {"input_tokens": 12}
    kinds = [r.kind for r in model_server.requests]
    assert kinds == ["other", "models", "count_tokens"]
    assert model_server.chat_calls() == []


def test_request_helpers_read_texts_and_tool_results() -> None:
    blocks = [{"type": "text", "text": "<reminder>"}, {"type": "text", "text": "run it"}]
    anthropic = RecordedRequest("POST", "/v1/messages", {}, _chat("m", True, blocks))
    assert anthropic.user_texts() == ["<reminder>", "run it"]
    assert not anthropic.has_tool_result()
    result = [{"type": "tool_result", "tool_use_id": "t", "content": "hi"}]
    assert RecordedRequest("POST", "/v1/messages", {}, _chat("m", True, result)).has_tool_result()
    openai = {"messages": [{"role": "user", "content": "x"}, {"role": "tool", "content": "hi"}]}
    assert RecordedRequest("POST", "/chat/completions", {}, openai).has_tool_result()
    assert RecordedRequest("GET", "/", {"authorization": "Basic x"}, {}).bearer is None
