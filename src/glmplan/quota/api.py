"""The quota API client: one GET, stdlib only, defensive about everything the network can do.

- `Authorization: <key>` first (what Z.ai's own script sends), `Bearer <key>` once on a 401.
- Explicit connect and read timeouts and an overall deadline; the body is capped.
- Redirects are never followed (the key must not reach another host); they are reported.
- The key never appears in logs or exception text.
"""

from __future__ import annotations

import http.client
import logging
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from glmplan.plan import QUOTA_PATH, validate_api_base
from glmplan.quota.model import ApiSnapshot
from glmplan.quota.parse import (
    ApiErrorKind,
    ParseResult,
    QuotaApiError,
    body_error,
    decode_json,
    is_auth_failure,
    parse_snapshot,
)

__all__ = ["ApiErrorKind", "QuotaApiError", "QuotaClient", "Timeouts"]

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
_READ_CHUNK = 64 * 1024
_USER_AGENT = "glmplan"


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    read: float = 10.0
    total: float = 20.0  # a server dribbling bytes must not hold us longer than this


@dataclass(frozen=True)
class _Answer:
    status: int
    content_type: str
    location: str | None
    body: bytes


class QuotaClient:
    def __init__(
        self, base: str, timeouts: Timeouts | None = None, max_body: int = MAX_BODY
    ) -> None:
        self.base = validate_api_base(base)
        self.url = self.base + QUOTA_PATH
        self.timeouts = timeouts or Timeouts()
        self.max_body = max_body

    def fetch(self, key: str, now: datetime | None = None) -> ParseResult:
        """The parsed snapshot, or a `QuotaApiError` that says what went wrong."""
        if not key.isascii() or not key.isprintable() or not key.strip():
            raise QuotaApiError(
                ApiErrorKind.AUTH,
                "The API key has characters that cannot be sent in an HTTP header "
                "(spaces, line breaks or non-ASCII); check ZAI_API_KEY or run `glmplan setup`.",
            )
        key = key.strip()
        try:
            return self._fetch(key, now)
        except QuotaApiError as exc:
            raise QuotaApiError(exc.kind, _redact(str(exc), key)) from None

    def fetch_snapshot(self, key: str, now: datetime | None = None) -> ApiSnapshot:
        return self.fetch(key, now).snapshot

    def _fetch(self, key: str, now: datetime | None) -> ParseResult:
        answer, doc = self._attempt(key)
        if _auth_rejected(answer, doc):
            log.info("quota API: raw key rejected, retrying with the Bearer scheme")
            answer, doc = self._attempt(f"Bearer {key}")
        if answer.status >= 400 or _auth_rejected(answer, doc):
            raise _status_error(answer, doc)
        error = body_error(doc)
        if error is not None:
            raise error
        return parse_snapshot(doc, now or datetime.now(UTC))

    def _attempt(self, authorization: str) -> tuple[_Answer, object]:
        answer = self._get(authorization)
        if 300 <= answer.status < 400:
            target = urlsplit(answer.location or "").netloc or "(no location)"
            raise QuotaApiError(
                ApiErrorKind.REDIRECT,
                f"The quota API at {self.base} answered with a redirect (HTTP {answer.status}) to "
                f"{target}; glmplan never follows redirects so the key stays with that host. "
                "Check --api-base / GLMPLAN_API_BASE.",
            )
        if answer.status >= 500:
            raise QuotaApiError(
                ApiErrorKind.HTTP,
                f"The quota API had a server error (HTTP {answer.status}); try again later.",
            )
        try:
            doc = decode_json(answer.body, answer.status, answer.content_type)
        except QuotaApiError:
            if answer.status >= 400:
                return answer, None
            raise
        return answer, doc

    def _get(self, authorization: str) -> _Answer:
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        try:
            conn = self._connection(parts.scheme, host, parts.port)
            try:
                conn.connect()
                if conn.sock is not None:
                    conn.sock.settimeout(self.timeouts.read)
                conn.request("GET", parts.path, headers=self._headers(authorization))
                return self._read(conn.getresponse(), time.monotonic() + self.timeouts.total)
            finally:
                conn.close()
        except QuotaApiError:
            raise
        except TimeoutError:
            raise QuotaApiError(
                ApiErrorKind.TIMEOUT, f"The quota API at {host} did not answer in time."
            ) from None
        except ConnectionRefusedError:
            raise QuotaApiError(
                ApiErrorKind.REFUSED, f"Could not connect to the quota API at {host} (refused)."
            ) from None
        except (ConnectionResetError, http.client.RemoteDisconnected, http.client.IncompleteRead):
            raise QuotaApiError(
                ApiErrorKind.RESET,
                f"The connection to the quota API at {host} was closed before a full answer.",
            ) from None
        except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
            raise QuotaApiError(
                ApiErrorKind.NETWORK,
                f"Could not reach the quota API at {host}: {type(exc).__name__}. "
                "Check the network (or run `glmplan usage --source local`).",
            ) from None

    def _connection(self, scheme: str, host: str, port: int | None) -> http.client.HTTPConnection:
        if scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=self.timeouts.connect)
        return http.client.HTTPConnection(host, port, timeout=self.timeouts.connect)

    @staticmethod
    def _headers(authorization: str) -> dict[str, str]:
        return {
            "Authorization": authorization,
            "Accept": "application/json",
            "Accept-Language": "en-US,en",
            "Content-Type": "application/json",
            "User-Agent": _USER_AGENT,
        }

    def _read(self, response: http.client.HTTPResponse, deadline: float) -> _Answer:
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > self.max_body:
            raise self._too_large(int(length))
        chunks: list[bytes] = []
        size = 0
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError
            chunk = response.read1(_READ_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > self.max_body:
                raise self._too_large(None)
            chunks.append(chunk)
        if length and length.isdigit() and size < int(length):
            raise http.client.IncompleteRead(b"".join(chunks), int(length) - size)
        return _Answer(
            response.status,
            response.getheader("Content-Type") or "",
            response.getheader("Location"),
            b"".join(chunks),
        )

    def _too_large(self, length: int | None) -> QuotaApiError:
        said = f" ({length} bytes announced)" if length is not None else ""
        return QuotaApiError(
            ApiErrorKind.TOO_LARGE,
            f"The quota API's answer is larger than {self.max_body} bytes{said}; not read.",
        )


def _auth_rejected(answer: _Answer, doc: object) -> bool:
    return answer.status in (401, 403) or is_auth_failure(doc)


def _status_error(answer: _Answer, doc: object) -> QuotaApiError:
    if _auth_rejected(answer, doc):
        error = body_error(doc) if is_auth_failure(doc) else None
        if error is not None:
            return error
        return QuotaApiError(
            ApiErrorKind.AUTH,
            f"The quota API rejected the API key (HTTP {answer.status}), with and without "
            "'Bearer'. Check the key and the region "
            "(a mainland key only works on open.bigmodel.cn).",
        )
    error = body_error(doc) if doc is not None else None
    if error is not None and error.kind is not ApiErrorKind.API:
        return error
    return QuotaApiError(ApiErrorKind.HTTP, f"The quota API answered HTTP {answer.status}.")


def _redact(text: str, key: str) -> str:
    return text.replace(key, "…") if key else text
