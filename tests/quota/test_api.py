"""The client against a real loopback server: payloads, errors, auth order, hostile answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from glmplan.errors import UsageError
from glmplan.plan import QUOTA_PATH
from glmplan.quota.api import ApiErrorKind, QuotaApiError, QuotaClient, Timeouts
from tests.support.quota_server import (
    AUTH_ERROR,
    CREDIT_PAYLOAD,
    LEGACY_PAYLOAD,
    WEEKLY_PAYLOAD,
    QuotaServer,
    RecordedRequest,
    Reply,
    require_auth,
)

KEY = "sk-CANARY-0123456789abcdef"
FAST = Timeouts(connect=2.0, read=0.5, total=5.0)


def fetch_error(server: QuotaServer, timeouts: Timeouts = FAST) -> QuotaApiError:
    with pytest.raises(QuotaApiError) as info:
        QuotaClient(server.base, timeouts).fetch(KEY)
    assert KEY not in str(info.value)
    return info.value


@pytest.mark.parametrize("payload", [LEGACY_PAYLOAD, WEEKLY_PAYLOAD, CREDIT_PAYLOAD])
def test_each_generation_parses(payload: object) -> None:
    with QuotaServer(Reply.json(payload)) as server:
        snap = QuotaClient(server.base, FAST).fetch_snapshot(KEY)
    assert snap.five_hour is not None
    request = server.requests[0]
    assert request.method == "GET" and request.path == QUOTA_PATH
    assert request.authorization == KEY
    assert request.headers["Accept-Language"] == "en-US,en"
    assert len(server.requests) == 1


def test_raw_key_first_then_bearer_on_body_401() -> None:
    with QuotaServer() as server:
        server.handler = require_auth(KEY, CREDIT_PAYLOAD, scheme="bearer")
        snap = QuotaClient(server.base, FAST).fetch_snapshot(KEY)
    assert snap.level == "max"
    assert [r.authorization for r in server.requests] == [KEY, f"Bearer {KEY}"]


def test_bearer_retry_on_http_401_status() -> None:
    with QuotaServer() as server:
        server.queue(Reply.text("unauthorized", status=401), Reply.json(LEGACY_PAYLOAD))
        QuotaClient(server.base, FAST).fetch(KEY)
    assert [r.authorization for r in server.requests] == [KEY, f"Bearer {KEY}"]


def test_no_bearer_retry_when_raw_key_accepted() -> None:
    with QuotaServer() as server:
        server.handler = require_auth(KEY, LEGACY_PAYLOAD, scheme="raw")
        QuotaClient(server.base, FAST).fetch(KEY)
    assert [r.authorization for r in server.requests] == [KEY]


def test_rejected_both_ways_is_auth_error() -> None:
    with QuotaServer(Reply.json(AUTH_ERROR)) as server:
        error = fetch_error(server)
    assert error.kind is ApiErrorKind.AUTH
    assert "token expired or incorrect" in str(error)
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ({"code": 500, "msg": "当前用户不存在coding plan", "success": False}, ApiErrorKind.NO_PLAN),
        ({"code": 1113, "msg": "no balance", "success": False}, ApiErrorKind.NO_BALANCE),
        ({"code": 1302, "msg": "busy", "success": False}, ApiErrorKind.CONCURRENCY),
        (
            {"code": 1310, "msg": "Weekly/Monthly Limit Exhausted", "success": False},
            ApiErrorKind.WEEKLY_EXHAUSTED,
        ),
        (
            {"code": 1316, "msg": "reset at 2026-06-25 02:06:16", "success": False},
            ApiErrorKind.FIVE_HOUR_EXHAUSTED,
        ),
    ],
)
def test_body_errors_with_http_200(body: object, kind: ApiErrorKind) -> None:
    with QuotaServer(Reply.json(body)) as server:
        assert fetch_error(server).kind is kind
    assert len(server.requests) == 1


def test_server_error() -> None:
    with QuotaServer(Reply.text("<h1>Bad gateway</h1>", status=502)) as server:
        error = fetch_error(server)
    assert error.kind is ApiErrorKind.HTTP and "502" in str(error)


def test_http_404_page() -> None:
    with QuotaServer(Reply.text("not found", status=404)) as server:
        error = fetch_error(server)
    assert error.kind is ApiErrorKind.HTTP and "404" in str(error)


def test_garbage_body() -> None:
    with QuotaServer(Reply.text("<html>please log in to the wifi</html>")) as server:
        assert fetch_error(server).kind is ApiErrorKind.BAD_BODY


def test_slow_answer_times_out() -> None:
    with QuotaServer(Reply.json(LEGACY_PAYLOAD, delay=30.0)) as server:
        error = fetch_error(server, Timeouts(connect=2.0, read=0.3, total=5.0))
    assert error.kind is ApiErrorKind.TIMEOUT


def test_dropped_connection() -> None:
    with QuotaServer(Reply(drop=True)) as server:
        assert fetch_error(server).kind is ApiErrorKind.RESET


def test_refused() -> None:
    server = QuotaServer().start()
    base = server.base
    server.stop()
    with pytest.raises(QuotaApiError) as info:
        QuotaClient(base, FAST).fetch(KEY)
    assert info.value.kind is ApiErrorKind.REFUSED


def test_redirect_to_other_host_not_followed() -> None:
    with QuotaServer(Reply.redirect("https://evil.example/steal")) as server:
        error = fetch_error(server)
    assert error.kind is ApiErrorKind.REDIRECT
    assert "evil.example" in str(error)
    assert len(server.requests) == 1  # neither followed nor retried


def test_huge_body_is_capped() -> None:
    with QuotaServer(Reply.huge(50 * 1024 * 1024)) as server:
        error = fetch_error(server)
    assert error.kind is ApiErrorKind.TOO_LARGE


def test_announced_huge_body_refused_before_reading() -> None:
    with QuotaServer(Reply(body=b"x" * 5000)) as server, pytest.raises(QuotaApiError) as info:
        QuotaClient(server.base, FAST, max_body=1000).fetch(KEY)
    assert info.value.kind is ApiErrorKind.TOO_LARGE
    assert "5000 bytes announced" in str(info.value)


def test_fetched_at_from_now() -> None:
    now = datetime(2026, 5, 1, tzinfo=UTC) + timedelta(seconds=1)
    with QuotaServer() as server:
        assert QuotaClient(server.base, FAST).fetch_snapshot(KEY, now).fetched_at == now


def test_plain_http_to_remote_host_refused() -> None:
    with pytest.raises(UsageError):
        QuotaClient("http://api.z.ai")


def test_truncated_body_is_reset() -> None:
    with QuotaServer(Reply(body=b'{"code": 200', announce=5000)) as server:
        assert fetch_error(server).kind is ApiErrorKind.RESET


def test_http_401_both_ways() -> None:
    with QuotaServer(Reply.text("no", status=401)) as server:
        error = fetch_error(server)
    assert error.kind is ApiErrorKind.AUTH and "HTTP 401" in str(error)
    assert [r.authorization for r in server.requests] == [KEY, f"Bearer {KEY}"]


def test_key_echoed_by_server_is_redacted() -> None:
    def echo(request: RecordedRequest) -> Reply:
        return Reply.json({"code": 9999, "msg": f"bad header {request.authorization}"})

    with QuotaServer() as server:
        server.handler = echo
        error = fetch_error(server)  # asserts the key is not in the message
    assert "bad header" in str(error)


@pytest.mark.parametrize("bad", ["sk-abc\ndef", "ключ-0123456789", "   "])
def test_unsendable_key_is_refused_without_a_request(bad: str) -> None:
    with QuotaServer() as server, pytest.raises(QuotaApiError) as info:
        QuotaClient(server.base, FAST).fetch(bad)
    assert info.value.kind is ApiErrorKind.AUTH
    assert (not bad.strip() or bad.strip() not in str(info.value)) and server.requests == []


def test_deeply_nested_json_is_bad_body() -> None:
    with QuotaServer(Reply(body=b"[" * 200_000)) as server:
        assert fetch_error(server).kind is ApiErrorKind.BAD_BODY
