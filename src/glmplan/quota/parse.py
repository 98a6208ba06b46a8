"""The quota API's JSON, parsed defensively into an `ApiSnapshot` (zai-monitor-api.md §A4).

Rows are classified by (type, unit, number), never by position: the order is not stable. Every
field may be missing or of the wrong type; a row we cannot read is skipped and counted.
"""

from __future__ import annotations

import enum
import json
import logging
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from glmplan.errors import GlmplanError
from glmplan.quota.model import ApiSnapshot, McpUsage, Source, Unit, Window

log = logging.getLogger(__name__)

FIVE_HOURS = timedelta(hours=5)
ONE_WEEK = timedelta(days=7)
_OK_CODES = (200, 0)
_MSG_MAX = 200


class ApiErrorKind(enum.StrEnum):
    AUTH = "auth"
    NO_PLAN = "no_plan"
    NO_BALANCE = "no_balance"
    CONCURRENCY = "concurrency"
    WEEKLY_EXHAUSTED = "weekly_exhausted"
    FIVE_HOUR_EXHAUSTED = "five_hour_exhausted"
    API = "api"  # any other body error
    HTTP = "http"  # a non-2xx status
    REDIRECT = "redirect"
    BAD_BODY = "bad_body"  # not JSON, or not the envelope we know
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    REFUSED = "refused"
    RESET = "reset"
    NETWORK = "network"


class QuotaApiError(GlmplanError):
    """The quota API could not give figures. The message never holds the key."""

    def __init__(self, kind: ApiErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class ParseResult:
    snapshot: ApiSnapshot
    skipped: int  # rows (or usageDetails entries) that could not be read
    ignored: int  # well-formed rows of a kind we do not know


def decode_json(body: bytes, status: int, content_type: str) -> object:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        kind = content_type or "no content type"
        raise QuotaApiError(
            ApiErrorKind.BAD_BODY,
            f"The quota API answered with something that is not JSON (HTTP {status}, {kind}, "
            f"{len(body)} bytes). A proxy or captive portal may be in the way.",
        ) from None


def _short(msg: object) -> str:
    text = msg if isinstance(msg, str) else ""
    text = " ".join(text.split())
    return text[:_MSG_MAX] + ("…" if len(text) > _MSG_MAX else "")


def is_auth_failure(doc: object) -> bool:
    return isinstance(doc, dict) and doc.get("code") in (401, "401")


def body_error(doc: object) -> QuotaApiError | None:
    """The error a body carries (HTTP 200 with `code`/`success` saying otherwise), or None."""
    if not isinstance(doc, dict):
        return QuotaApiError(
            ApiErrorKind.BAD_BODY, "The quota API answered with JSON that is not an object."
        )
    code, msg = doc.get("code"), _short(doc.get("msg"))
    if code in _OK_CODES and doc.get("success") is not False:
        return None
    if code is None and doc.get("success") is True:
        return None
    return _classify(code, msg)


def _classify(code: object, msg: str) -> QuotaApiError:
    quoted = f' (server said: "{msg}")' if msg else ""
    if "coding plan" in msg.lower() or "不存在" in msg:
        return QuotaApiError(
            ApiErrorKind.NO_PLAN,
            f"This API key has no GLM Coding Plan{quoted}. Check the key, or subscribe at z.ai.",
        )
    known: dict[object, tuple[ApiErrorKind, str]] = {
        401: (ApiErrorKind.AUTH, "The quota API rejected the API key (token expired or incorrect)"),
        1001: (ApiErrorKind.AUTH, "The quota API did not receive the API key"),
        1113: (ApiErrorKind.NO_BALANCE, "The account has no balance or no active plan (code 1113)"),
        1302: (
            ApiErrorKind.CONCURRENCY,
            "Too many concurrent requests (code 1302); try again shortly",
        ),
        1310: (ApiErrorKind.WEEKLY_EXHAUSTED, "The weekly/monthly limit is exhausted (code 1310)"),
        1316: (ApiErrorKind.FIVE_HOUR_EXHAUSTED, "The 5-hour limit is exhausted (code 1316)"),
    }
    key = int(code) if isinstance(code, str) and code.isdigit() else code
    if key in known:
        kind, text = known[key]
        when = _reset_in(msg)
        extra = f"; it resets at {when}" if when else ""
        hint = ". Check the key (region: a mainland key only works on open.bigmodel.cn)"
        return QuotaApiError(
            kind, text + extra + (hint if kind is ApiErrorKind.AUTH else "") + quoted
        )
    return QuotaApiError(
        ApiErrorKind.API, f"The quota API returned an error (code {code}){quoted}."
    )


_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?")


def _reset_in(msg: str) -> str | None:
    match = _STAMP.search(msg)
    return match.group(0) if match else None


def parse_snapshot(doc: object, fetched_at: datetime) -> ParseResult:
    """A good envelope's `data` → snapshot. Call `body_error` first."""
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, dict):
        raise QuotaApiError(ApiErrorKind.BAD_BODY, "The quota API's answer has no `data` object.")
    rows = data.get("limits")
    if not isinstance(rows, list):
        raise QuotaApiError(
            ApiErrorKind.BAD_BODY, "The quota API's answer has no `limits` list in `data`."
        )
    acc = _Rows()
    for row in rows:
        acc.add(row)
    snapshot = ApiSnapshot(fetched_at, _level(data), acc.five_hour, acc.weekly, acc.mcp)
    if acc.skipped or acc.ignored:
        log.info("quota payload: %d rows skipped, %d of unknown kind", acc.skipped, acc.ignored)
    return ParseResult(snapshot, acc.skipped, acc.ignored)


def _level(data: dict[str, object]) -> str | None:
    for name in ("level", "planName", "plan", "plan_type", "packageName"):
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip().lower()
    return None


class _BadRow(Exception):
    pass


def _num(row: dict[str, object], name: str) -> float | None:
    value = row.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _BadRow(name)
    return float(value)


def _reset(row: dict[str, object]) -> datetime | None:
    ms = _num(row, "nextResetTime")
    if ms is None:
        return None
    try:
        return datetime.fromtimestamp(ms / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise _BadRow("nextResetTime") from None


def _percent(used: float | None, limit: float | None, given: float | None) -> float | None:
    if used is not None and limit:
        return used / limit * 100
    return given


_WINDOW_UNITS = {"TOKENS_LIMIT": Unit.TOKENS, "CREDIT_LIMIT": Unit.CREDITS}
_FIVE_HOUR = {(3, 5)}
_WEEKLY = {(6, 1), (6, 7)}
_MCP = {("TIME_LIMIT", 5, 1)}


class _Rows:
    def __init__(self) -> None:
        self.five_hour: Window | None = None
        self.weekly: Window | None = None
        self.mcp: McpUsage | None = None
        self.skipped = 0
        self.ignored = 0

    def add(self, row: object) -> None:
        try:
            self._add(row)
        except _BadRow as exc:
            log.info("quota row skipped: bad field %s", exc)
            self.skipped += 1

    def _add(self, row: object) -> None:
        if not isinstance(row, dict):
            raise _BadRow("row")
        kind, unit, number = row.get("type"), row.get("unit"), row.get("number")
        if not isinstance(kind, str) or not _is_int(unit) or not _is_int(number):
            raise _BadRow("type/unit/number")
        pair = (unit, number)
        if kind in _WINDOW_UNITS and pair in _FIVE_HOUR | _WEEKLY:
            window = _window(
                row, _WINDOW_UNITS[kind], FIVE_HOURS if pair in _FIVE_HOUR else ONE_WEEK
            )
            if pair in _FIVE_HOUR and self.five_hour is None:
                self.five_hour = window
            elif pair in _WEEKLY and self.weekly is None:
                self.weekly = window
        elif (kind, unit, number) in _MCP and self.mcp is None:
            self.mcp = self._mcp(row)
        else:
            self.ignored += 1

    def _mcp(self, row: dict[str, object]) -> McpUsage:
        used, limit = _num(row, "currentValue"), _num(row, "usage")
        by_tool: dict[str, int] = {}
        details = row.get("usageDetails")
        for item in details if isinstance(details, list) else []:
            code = item.get("modelCode") if isinstance(item, dict) else None
            count = item.get("usage") if isinstance(item, dict) else None
            if isinstance(code, str) and _is_int(count):
                by_tool[code] = int(count)  # type: ignore[arg-type]
            else:
                self.skipped += 1
        return McpUsage(_int_or_none(used), _int_or_none(limit), _reset(row), by_tool, Source.API)


def _int_or_none(value: float | None) -> int | None:
    return None if value is None else int(value)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _window(row: dict[str, object], unit: Unit, length: timedelta) -> Window:
    used, limit = _num(row, "currentValue"), _num(row, "usage")
    reset = _reset(row)
    percent = _percent(used, limit, _num(row, "percentage"))
    start = reset - length if reset else None
    return Window(used, limit, unit, percent, start, reset, Source.API)
