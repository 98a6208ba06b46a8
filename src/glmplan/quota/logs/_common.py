"""Shared pieces of the log readers: the compact record they produce, MCP tool classification,
timestamp parsing and the retention horizon.

MCP mapping (the three Z.ai servers that share the plan's monthly MCP quota):

- `search-prime`: a tool named `webSearchPrime` / `web_search_prime`, or any tool of a server whose
  name contains `web-search-prime` / `web_search_prime` (Z.ai's docs name the server that way).
- `web-reader`: a tool named `webReader` / `web_reader`, or a server named like `web-reader`.
- `zread`: any tool of a server whose name contains `zread` (its tools have generic names such as
  `read_file`, so only the server name identifies it).

Tool names arrive in each tool's own spelling: Claude Code `mcp__<server>__<tool>`, OpenCode/Kilo
`<server>_<tool>`, Crush `mcp_<server>_<tool>`, Goose `<server>__<tool>`, Cline/Roo `serverName` +
`toolName`. `classify_mcp` takes the whole lower-cased name, so one substring rule serves all.
Anthropic's own server-side search (`usage.server_tool_use.web_search_requests`, tool `web_search`)
is not Z.ai's MCP and is never counted.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

RETENTION = timedelta(days=8)

PROMPT = "prompt"
WEB_SEARCH = "web_search"


class Hit(NamedTuple):
    """One counted event inside a source, before it becomes a `UsageEvent`. A named tuple: the
    index holds thousands and rebuilds them on every CLI run, where a dataclass costs 3x more."""

    ts: float  # epoch seconds, UTC
    kind: str  # PROMPT | WEB_SEARCH
    mcp: str | None  # search-prime | web-reader | zread (WEB_SEARCH only)
    key: str  # dedupe key, unique per event across every source of the tool


def hits_from_json(raw: object) -> tuple[Hit, ...] | None:
    """The hits saved by `SourceState.to_json`, or None when anything is off."""
    if not isinstance(raw, list):
        return None
    try:
        hits = tuple([Hit(float(t), k, m, key) for t, k, m, key in raw])
    except (TypeError, ValueError):
        return None
    for hit in hits:
        if hit.kind not in _KINDS or type(hit.key) is not str or type(hit.mcp) not in _MCP_TYPES:
            return None
    return hits


_KINDS = frozenset((PROMPT, WEB_SEARCH))
_MCP_TYPES = (str, type(None))


def classify_mcp(name: str) -> str | None:
    """The Z.ai MCP tool behind a tool-call name, or None when it is not one of Z.ai's."""
    low = name.lower()
    if "websearchprime" in low or "web_search_prime" in low or "web-search-prime" in low:
        return "search-prime"
    if "webreader" in low or "web_reader" in low or "web-reader" in low:
        return "web-reader"
    if "zread" in low:
        return "zread"
    return None


def parse_iso(raw: object) -> float | None:
    """Epoch seconds of an ISO-8601 timestamp (`Z` or offset; naive is taken as UTC)."""
    if not isinstance(raw, str) or not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def epoch_any(raw: object) -> float | None:
    """Epoch seconds from seconds or milliseconds (values above 1e11 are taken as ms)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    value = float(raw)
    return value / 1000.0 if value > 1e11 else value
