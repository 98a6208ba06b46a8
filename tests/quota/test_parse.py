"""Payload parsing: the three generations, body errors, bad rows."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glmplan.quota.model import Source, Unit
from glmplan.quota.parse import (
    ApiErrorKind,
    QuotaApiError,
    body_error,
    decode_json,
    parse_snapshot,
)
from tests.support.quota_server import CREDIT_PAYLOAD, LEGACY_PAYLOAD, WEEKLY_PAYLOAD

NOW = datetime(2026, 2, 9, 12, 0, tzinfo=UTC)


def ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def test_legacy_payload() -> None:
    result = parse_snapshot(LEGACY_PAYLOAD, NOW)
    snap = result.snapshot
    assert snap.fetched_at == NOW and snap.level is None
    five = snap.five_hour
    assert five is not None
    assert five.unit is Unit.TOKENS and five.source is Source.API
    assert five.used == 127694464 and five.limit == 800000000
    assert five.percent == pytest.approx(127694464 / 800000000 * 100)
    assert five.reset_at == ms(1770648402389)
    assert five.window_start == ms(1770648402389) - timedelta(hours=5)
    assert snap.weekly is None
    mcp = snap.mcp
    assert mcp is not None
    assert (mcp.used, mcp.limit, mcp.reset_at) == (1828, 4000, None)
    assert mcp.by_tool == {"search-prime": 1433, "web-reader": 462, "zread": 0}
    assert result.skipped == 0


def test_weekly_payload_idle_five_hour_row_has_no_reset() -> None:
    snap = parse_snapshot(WEEKLY_PAYLOAD, NOW).snapshot
    assert snap.level == "pro"
    assert snap.five_hour is not None
    assert snap.five_hour.percent == 0 and snap.five_hour.reset_at is None
    assert snap.five_hour.window_start is None
    assert snap.weekly is not None and snap.weekly.reset_at == ms(1779792169974)
    assert snap.weekly.percent == 12
    assert snap.mcp is not None and snap.mcp.reset_at == ms(1779964969979)
    assert (snap.mcp.used, snap.mcp.limit) == (132, 1000)


def test_credit_payload_and_weekly_6_7() -> None:
    doc = copy.deepcopy(CREDIT_PAYLOAD)
    snap = parse_snapshot(doc, NOW).snapshot
    assert snap.level == "max"
    assert snap.five_hour is not None and snap.five_hour.unit is Unit.CREDITS
    assert snap.five_hour.used == 5184 and snap.five_hour.limit == 28000
    assert snap.weekly is not None and snap.weekly.limit == 140000
    assert snap.mcp is None
    doc["data"]["limits"][1]["number"] = 7  # type: ignore[index]
    assert parse_snapshot(doc, NOW).snapshot.weekly is not None


def test_rows_classified_by_unit_not_position() -> None:
    doc = copy.deepcopy(CREDIT_PAYLOAD)
    doc["data"]["limits"].reverse()  # type: ignore[index]
    snap = parse_snapshot(doc, NOW).snapshot
    assert snap.five_hour is not None and snap.five_hour.limit == 28000
    assert snap.weekly is not None and snap.weekly.limit == 140000


def test_percentage_used_when_values_missing() -> None:
    doc = {"data": {"limits": [{"type": "TOKENS_LIMIT", "unit": 3, "number": 5, "percentage": 42}]}}
    five = parse_snapshot(doc, NOW).snapshot.five_hour
    assert five is not None and five.percent == 42 and five.used is None


def test_bad_rows_skipped_and_counted_unknown_ignored() -> None:
    rows: list[object] = [
        "not a row",
        {"type": "TOKENS_LIMIT", "unit": "3", "number": 5},
        {"type": "TOKENS_LIMIT", "unit": 3, "number": 5, "usage": "lots"},
        {"type": "TOKENS_LIMIT", "unit": 3, "number": 5, "nextResetTime": True},
        {"type": "TOKENS_LIMIT", "unit": 3, "number": 5, "usage": 10, "currentValue": 5},
        {"type": "FUTURE_LIMIT", "unit": 9, "number": 9},
        {
            "type": "TIME_LIMIT",
            "unit": 5,
            "number": 1,
            "usageDetails": [{"modelCode": "zread", "usage": 3}, {"modelCode": 5}],
        },
    ]
    result = parse_snapshot({"data": {"limits": rows, "level": 7}}, NOW)
    assert result.snapshot.five_hour is not None and result.snapshot.five_hour.percent == 50
    assert result.snapshot.level is None
    assert result.snapshot.mcp is not None and result.snapshot.mcp.by_tool == {"zread": 3}
    assert result.skipped == 5
    assert result.ignored == 1


def test_empty_limits_team_key() -> None:
    snap = parse_snapshot({"data": {"limits": [], "level": "pro"}}, NOW).snapshot
    assert (snap.five_hour, snap.weekly, snap.mcp, snap.level) == (None, None, None, "pro")


def test_missing_data_is_bad_body() -> None:
    with pytest.raises(QuotaApiError) as info:
        parse_snapshot({"code": 200}, NOW)
    assert info.value.kind is ApiErrorKind.BAD_BODY


@pytest.mark.parametrize("limits", [7, None, "x", {"type": "TOKENS_LIMIT"}])
def test_limits_that_are_not_a_list_are_a_bad_body(limits: object) -> None:
    """Found by the hostile-server suite: `{"data": {"limits": 7}}` was reported as ok."""
    with pytest.raises(QuotaApiError) as info:
        parse_snapshot({"data": {"limits": limits, "level": "pro"}}, NOW)
    assert info.value.kind is ApiErrorKind.BAD_BODY


@pytest.mark.parametrize(
    ("doc", "kind", "fragment"),
    [
        ({"code": 401, "msg": "token expired or incorrect", "success": False}, "auth", "rejected"),
        ({"code": 500, "msg": "当前用户不存在coding plan", "success": False}, "no_plan", "no GLM"),
        ({"code": 1113, "msg": "余额不足", "success": False}, "no_balance", "1113"),
        ({"code": 1302, "msg": "concurrency", "success": False}, "concurrency", "1302"),
        (
            {
                "code": 1310,
                "msg": "Weekly/Monthly Limit Exhausted. Your limit will reset at "
                "2026-06-25 02:06:16",
                "success": False,
            },
            "weekly_exhausted",
            "resets at 2026-06-25 02:06:16",
        ),
        (
            {"code": "1316", "msg": "5-hour limit reached, reset at 2026-06-25T02:06:16+08:00"},
            "five_hour_exhausted",
            "resets at 2026-06-25T02:06:16",
        ),
        ({"code": 1001, "msg": "Authentication parameter not received"}, "auth", "did not"),
        ({"code": 9999, "msg": "odd"}, "api", "code 9999"),
        ([1, 2], "bad_body", "not an object"),
    ],
)
def test_body_errors(doc: object, kind: str, fragment: str) -> None:
    error = body_error(doc)
    assert error is not None
    assert error.kind == kind
    assert fragment in str(error)


def test_success_bodies_are_not_errors() -> None:
    assert body_error(LEGACY_PAYLOAD) is None
    assert body_error({"success": True, "data": {}}) is None
    assert body_error({"code": 200, "success": False}) is not None


def test_decode_json_rejects_garbage() -> None:
    with pytest.raises(QuotaApiError) as info:
        decode_json(b"<html>captive portal</html>", 200, "text/html")
    assert info.value.kind is ApiErrorKind.BAD_BODY
    assert "text/html" in str(info.value)
    with pytest.raises(QuotaApiError):
        decode_json(b"\xff\xfe", 200, "")


def test_non_finite_numbers_skip_the_row() -> None:
    doc = json.loads(
        '{"data": {"limits": [{"type": "TOKENS_LIMIT", "unit": 3, "number": 5, "usage": NaN},'
        '{"type": "TIME_LIMIT", "unit": 5, "number": 1, "currentValue": Infinity}]}}'
    )
    result = parse_snapshot(doc, NOW)
    assert result.snapshot.five_hour is None and result.snapshot.mcp is None
    assert result.skipped == 2


def test_reset_out_of_range_skips_the_row() -> None:
    row = {"type": "TOKENS_LIMIT", "unit": 3, "number": 5, "nextResetTime": 10**30}
    assert parse_snapshot({"data": {"limits": [row]}}, NOW).skipped == 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=6,
)
row_like = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["TOKENS_LIMIT", "CREDIT_LIMIT", "TIME_LIMIT", "X"]) | json_values,
        "unit": st.sampled_from([3, 5, 6]) | json_values,
        "number": st.sampled_from([1, 5, 7]) | json_values,
    },
    optional={
        "usage": json_values,
        "currentValue": json_values,
        "percentage": json_values,
        "nextResetTime": json_values | st.integers(),
        "usageDetails": json_values,
    },
)


@settings(max_examples=100, deadline=None)
@given(st.lists(row_like | json_values, max_size=4), json_values)
def test_any_rows_never_crash(rows: list[object], level: object) -> None:
    try:
        result = parse_snapshot({"data": {"limits": rows, "level": level}}, NOW)
    except QuotaApiError:
        return
    assert result.skipped >= 0
    for window in (result.snapshot.five_hour, result.snapshot.weekly):
        assert window is None or window.percent is None or window.percent == window.percent
