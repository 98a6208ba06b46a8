"""A real HTTP server on 127.0.0.1 that plays Z.ai's quota API for tests.

    with QuotaServer(Reply.json(LEGACY_PAYLOAD)) as server:
        client = QuotaClient(server.base)          # http://127.0.0.1:<port>
        ...
        server.requests[0].headers["Authorization"]

Each request takes the next queued reply (`server.queue(...)`), else the result of `server.handler`
(if set), else `server.default`. A reply can be delayed, dropped (socket closed without an answer),
a redirect, or a stream of many bytes. Every request's path and headers are recorded.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import pytest

_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (interrupted when the server stops)
    drop: bool = False  # close the connection without any answer
    stream_bytes: int = 0  # send this many filler bytes as the body (no Content-Length)
    announce: int | None = None  # a Content-Length larger than the body, then close (truncated)

    @classmethod
    def json(cls, doc: object, status: int = 200, **kwargs: float | bool) -> Reply:
        body = json.dumps(doc, ensure_ascii=False).encode()
        return cls(status, body, {"Content-Type": "application/json"}, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def text(cls, text: str, status: int = 200) -> Reply:
        return cls(status, text.encode(), {"Content-Type": "text/html; charset=utf-8"})

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        return cls(status, b"", {"Location": location})

    @classmethod
    def huge(cls, size: int) -> Reply:
        return cls(200, b"", {"Content-Type": "application/json"}, stream_bytes=size)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]

    @property
    def authorization(self) -> str | None:
        return self.headers.get("Authorization")


AUTH_ERROR = {"code": 401, "msg": "token expired or incorrect", "success": False}


def require_auth(
    key: str, payload: object, scheme: str = "raw"
) -> Callable[[RecordedRequest], Reply]:
    """A handler that answers `payload` only to `Authorization: <key>` (raw) or `Bearer <key>`,
    and Z.ai's HTTP-200 auth error body to anything else."""
    wanted = key if scheme == "raw" else f"Bearer {key}"

    def handler(request: RecordedRequest) -> Reply:
        if request.authorization == wanted:
            return Reply.json(payload)
        return Reply.json(AUTH_ERROR)

    return handler


class QuotaServer:
    def __init__(self, default: Reply | None = None) -> None:
        self.default = default or Reply.json(LEGACY_PAYLOAD)
        self.handler: Callable[[RecordedRequest], Reply] | None = None
        self.requests: list[RecordedRequest] = []
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def set(self, reply: Reply) -> None:
        """Answer every further request with `reply` (drops queued replies and the handler)."""
        with self._lock:
            self._queue.clear()
            self.handler = None
            self.default = reply

    def next_reply(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self._queue:
                return self._queue.popleft()
            handler = self.handler
        return handler(request) if handler else self.default

    def _serve(self) -> None:
        self._httpd.serve_forever(poll_interval=0.02)

    def start(self) -> QuotaServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving (idempotent); the port then refuses connections."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def wait(self, seconds: float) -> None:
        self._stopping.wait(seconds)

    def __enter__(self) -> QuotaServer:
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
    owner: QuotaServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        owner = self.server.owner
        request = RecordedRequest(self.command, self.path, dict(self.headers.items()))
        reply = owner.next_reply(request)
        if reply.delay:
            owner.wait(reply.delay)
        if reply.drop:
            self.close_connection = True
            return
        try:
            self._answer(reply)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_POST = do_GET

    def _answer(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.stream_bytes:
            self.send_header("Connection", "close")
            self.end_headers()
            self._stream(reply.stream_bytes)
            self.close_connection = True
            return
        self.send_header("Content-Length", str(reply.announce or len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)
        if reply.announce:
            self.close_connection = True

    def _stream(self, size: int) -> None:
        chunk = b"[" + b" " * (_CHUNK - 1)
        sent = 0
        while sent < size and not self.server.owner._stopping.is_set():
            self.wfile.write(chunk[: min(_CHUNK, size - sent)])
            sent += _CHUNK

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default stderr access log."""


@pytest.fixture
def quota_server() -> Iterator[QuotaServer]:
    """A started server (default: the legacy payload); stopped after the test."""
    with QuotaServer() as server:
        yield server


# -- sample payloads, exactly as quoted in zai-monitor-api.md --------------------------------------

LEGACY_PAYLOAD: dict[str, object] = {
    "code": 200,
    "success": True,
    "data": {
        "limits": [
            {
                "type": "TOKENS_LIMIT",
                "unit": 3,
                "number": 5,
                "usage": 800000000,
                "currentValue": 127694464,
                "remaining": 672305536,
                "percentage": 15,
                "nextResetTime": 1770648402389,
            },
            {
                "type": "TIME_LIMIT",
                "unit": 5,
                "number": 1,
                "usage": 4000,
                "currentValue": 1828,
                "remaining": 2172,
                "percentage": 45,
                "usageDetails": [
                    {"modelCode": "search-prime", "usage": 1433},
                    {"modelCode": "web-reader", "usage": 462},
                    {"modelCode": "zread", "usage": 0},
                ],
            },
        ]
    },
}

# Built from the ai-usagebar description (no full sample quoted): idle 5 h row without a reset,
# a weekly token row and a monthly MCP row with a reset.
WEEKLY_PAYLOAD: dict[str, object] = {
    "code": 200,
    "msg": "Operation successful",
    "success": True,
    "data": {
        "limits": [
            {"type": "TOKENS_LIMIT", "unit": 3, "number": 5, "percentage": 0},
            {
                "type": "TOKENS_LIMIT",
                "unit": 6,
                "number": 1,
                "percentage": 12,
                "nextResetTime": 1779792169974,
            },
            {
                "type": "TIME_LIMIT",
                "unit": 5,
                "number": 1,
                "usage": 1000,
                "currentValue": 132,
                "remaining": 868,
                "percentage": 13,
                "nextResetTime": 1779964969979,
                "usageDetails": [
                    {"modelCode": "search-prime", "usage": 120},
                    {"modelCode": "web-reader", "usage": 12},
                    {"modelCode": "zread", "usage": 0},
                ],
            },
        ],
        "level": "pro",
    },
}

CREDIT_PAYLOAD: dict[str, object] = {
    "code": 200,
    "msg": "Operation successful",
    "data": {
        "limits": [
            {
                "type": "CREDIT_LIMIT",
                "unit": 3,
                "number": 5,
                "usage": 28000,
                "currentValue": 5184,
                "remaining": 22815,
                "percentage": 18,
                "nextResetTime": 1788371521831,
            },
            {
                "type": "CREDIT_LIMIT",
                "unit": 6,
                "number": 1,
                "usage": 140000,
                "currentValue": 36192,
                "remaining": 103807,
                "percentage": 25,
                "nextResetTime": 1788875329996,
            },
        ],
        "level": "max",
    },
    "success": True,
}
