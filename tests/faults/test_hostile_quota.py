"""RELIABILITY 22 end to end: `glmplan usage --json --source api` against a hostile loopback
quota server. Every answer gives a clear error (or a report) and never a crash; the key goes
nowhere but the configured server, and a redirect's target (a second server) hears nothing."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from tests.support.cli import CliRun, run_glmplan
from tests.support.quota_server import QuotaServer, Reply

from .harness import KEY


def _usage(base: str, timeout: float = 60) -> tuple[CliRun, dict[str, object]]:
    run = run_glmplan(
        "usage", "--json", "--source", "api",
        env={"GLMPLAN_API_BASE": base, "ZAI_API_KEY": KEY},
        timeout=timeout,
    )  # fmt: skip
    assert KEY not in run.out + run.err
    assert "Traceback" not in run.err and run.code in (0, 1), (run.code, run.err)
    doc = json.loads(run.out)
    assert isinstance(doc, dict)
    return run, doc


def _api_error(doc: dict[str, object]) -> str:
    api = doc["api"]
    assert isinstance(api, dict)
    error = api.get("error")
    assert isinstance(error, str) and error
    return error


HOSTILE = {
    "reset": (Reply(drop=True), ""),
    "http-500": (Reply.text("<h1>Internal Server Error</h1>", status=500), "500"),
    "http-503-json": (Reply.json({"error": "overloaded"}, status=503), "503"),
    "200-with-error": (Reply.json({"code": 500, "msg": "系统繁忙", "success": False}), "500"),
    "200-auth-error": (Reply.json({"code": 401, "msg": "令牌已过期", "success": False}), ""),
    "non-json": (Reply.text("<html>maintenance</html>"), ""),
    "truncated": (Reply(200, b'{"code": 200, "da', announce=10_000), ""),
    "50-MB-body": (Reply.huge(50 * 1024 * 1024), ""),
}
SHAPES = {
    "top-level-list": [1, 2, 3],
    "data-null": {"code": 200, "success": True, "data": None},
    "limits-wrong-type": {"code": 200, "success": True, "data": {"limits": 7}},
}
WRONG_FIELDS = {
    "code": 200,
    "success": True,
    "data": {
        "limits": [
            {"type": "TOKENS_LIMIT", "percentage": "lots", "nextResetTime": "soon"},
            {"type": 5, "usage": None, "currentValue": [], "remaining": {}},
            "not an object",
        ],
        "level": 3,
    },
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_answer_is_a_clear_error(isolated_home: Path, case: str) -> None:
    reply, needle = HOSTILE[case]
    with QuotaServer(reply) as server:
        run, doc = _usage(server.base)
    assert run.code == 1
    assert needle in _api_error(doc)
    assert doc["five_hour"] is None


@pytest.mark.parametrize("case", [*SHAPES, "wrong-fields"])
def test_documents_of_the_wrong_shape_never_invent_numbers(isolated_home: Path, case: str) -> None:
    with QuotaServer(Reply.json(SHAPES.get(case, WRONG_FIELDS))) as server:
        run, doc = _usage(server.base)
    if run.code == 1:
        assert _api_error(doc)
    elif case != "wrong-fields":
        assert doc["five_hour"] is None and doc["weekly"] is None


def test_connection_refused(isolated_home: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the CLI connects
    run, doc = _usage(f"http://127.0.0.1:{port}")
    assert run.code == 1 and _api_error(doc)


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirect_to_another_host_is_not_followed(isolated_home: Path, status: int) -> None:
    with QuotaServer(Reply.json({"code": 200})) as elsewhere, QuotaServer() as server:
        target = f"http://localhost:{elsewhere.port}/api/monitor/usage/quota/limit"
        server.set(Reply.redirect(target, status=status))
        run, doc = _usage(server.base)
    assert elsewhere.requests == []  # the key never reached the other host
    assert run.code == 1 and "redirect" in _api_error(doc).lower()
    assert len(server.requests) >= 1


@pytest.mark.slow
def test_server_that_never_answers_times_out(isolated_home: Path) -> None:
    with QuotaServer(Reply.json({"code": 200}, delay=40.0)) as server:
        run, doc = _usage(server.base, timeout=45)
    assert run.code == 1 and "tim" in _api_error(doc).lower()
