"""A real HTTP server on 127.0.0.1 that plays an LLM API for the real coding-tool CLIs.

    with ModelServer() as server:          # answers "pong" to every chat call
        env["ANTHROPIC_BASE_URL"] = server.base + "/api/anthropic"
        subprocess.run(["claude", "-p", "say pong"], env=env)
        call = server.chat_calls()[0]
        assert call.path.startswith("/api/anthropic/v1/messages")
        assert call.bearer == KEY and call.model == "GLM-4.5"

It speaks the Anthropic Messages API (streaming SSE and plain JSON), OpenAI chat.completions
(streaming chunks and plain JSON) and answers whatever else the clients probe at start-up (HEAD /,
model lists, count_tokens) with something harmless. Every request is recorded. `server.responder`
decides the answer of each chat call (text, or a tool call: see `Reply`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

import pytest

from tests.support.model_wire import (
    ANSWER,
    Reply,
    anthropic_json,
    anthropic_sse,
    models_list,
    openai_json,
    openai_sse,
)

__all__ = [
    "ANSWER",
    "ModelServer",
    "RecordedRequest",
    "Reply",
    "Responder",
    "always",
    "model_server",
]


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # with the query string, as sent
    headers: Mapping[str, str]  # lower-case names
    body: Mapping[str, object]  # the JSON object sent, {} when none or not an object
    raw_body: bytes = b""

    @property
    def route(self) -> str:
        """The path without its query string."""
        return urlsplit(self.path).path

    @property
    def bearer(self) -> str | None:
        value = self.headers.get("authorization", "")
        return value[len("Bearer ") :] if value.startswith("Bearer ") else None

    @property
    def model(self) -> str | None:
        value = self.body.get("model")
        return value if isinstance(value, str) else None

    @property
    def stream(self) -> bool:
        return self.body.get("stream") is True

    @property
    def kind(self) -> str:
        """ "anthropic", "openai" (chat calls), "count_tokens", "models" or "other"."""
        route = self.route.rstrip("/")
        if self.method == "POST" and route.endswith("/messages/count_tokens"):
            return "count_tokens"
        if self.method == "POST" and route.endswith("/v1/messages"):
            return "anthropic"
        if self.method == "POST" and route.endswith("/chat/completions"):
            return "openai"
        if self.method == "GET" and route.endswith("/models"):
            return "models"
        return "other"

    def has_tool_result(self) -> bool:
        """Whether the conversation already carries a tool's result (Anthropic or OpenAI shape)."""
        messages = self.body.get("messages")
        for message in messages if isinstance(messages, list) else []:
            if not isinstance(message, dict):
                continue
            if message.get("role") == "tool":
                return True
            content = message.get("content")
            if isinstance(content, list) and any(
                isinstance(block, dict) and block.get("type") == "tool_result" for block in content
            ):
                return True
        return False

    def user_texts(self) -> list[str]:
        """Text of every user message in the body, in order (string or text-block content)."""
        texts: list[str] = []
        messages = self.body.get("messages")
        for message in messages if isinstance(messages, list) else []:
            if not isinstance(message, dict) or message.get("role") != "user":
                continue
            content = message.get("content")
            if isinstance(content, str):
                texts.append(content)
            elif isinstance(content, list):
                texts.extend(
                    str(block.get("text", ""))
                    for block in content
                    if isinstance(block, dict) and block.get("type") == "text"
                )
        return texts


Responder = Callable[[RecordedRequest], Reply]


def always(reply: Reply) -> Responder:
    return lambda _request: reply


class ModelServer:
    def __init__(self, responder: Responder | None = None) -> None:
        self.responder: Responder = responder or always(Reply())
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def chat_calls(self) -> list[RecordedRequest]:
        """The Anthropic and OpenAI chat calls, in arrival order."""
        return [r for r in self.requests if r.kind in ("anthropic", "openai")]

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def start(self) -> ModelServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ModelServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: ModelServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        request = self._read_request()
        self.server.owner.record(request)
        status, content_type, body = self._answer(request)
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("request-id", "req_fixture")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = _handle

    def _read_request(self) -> RecordedRequest:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            parsed: object = json.loads(raw) if raw else {}
        except ValueError:
            parsed = {}
        body = parsed if isinstance(parsed, dict) else {}
        headers = {name.lower(): value for name, value in self.headers.items()}
        return RecordedRequest(self.command, self.path, headers, body, raw)

    def _answer(self, request: RecordedRequest) -> tuple[int, str, bytes]:
        kind = request.kind
        if kind in ("anthropic", "openai"):
            reply = self.server.owner.responder(request)
            model = request.model or "unknown"
            if kind == "anthropic":
                if request.stream:
                    return 200, "text/event-stream", anthropic_sse(model, reply)
                return 200, "application/json", anthropic_json(model, reply)
            if request.stream:
                return 200, "text/event-stream", openai_sse(model, reply)
            return 200, "application/json", openai_json(model, reply)
        if kind == "count_tokens":
            return 200, "application/json", b'{"input_tokens": 12}'
        if kind == "models":
            return 200, "application/json", models_list()
        return 200, "application/json", b"{}"

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default stderr access log."""


@pytest.fixture
def model_server() -> Iterator[ModelServer]:
    """A started fake model server answering "pong"; stopped after the test."""
    with ModelServer() as server:
        yield server
