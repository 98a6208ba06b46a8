"""Claude Code transcripts: `<cfg>/projects/<slug>/<session>.jsonl` and
`<cfg>/projects/<slug>/<session>/subagents/*.jsonl`, for every `<cfg>` in `~/.claude`,
`$CLAUDE_CONFIG_DIR` and `~/.config/claude` (deduplicated by resolved path).

Prompt rule — a line is one human prompt when all of these hold:
- `type == "user"`, and neither `isMeta`, `isSidechain` nor `isCompactSummary` is true;
- `message.content` is a string, or an array with no `tool_result` block (tool results are user
  lines too, always made only of `tool_result` blocks);
- no `toolUseResult`, not `isVirtual`, `promptSource` is not `system` and `origin` is absent or
  `{kind: "human"}`. This mirrors Claude Code's own predicates (2.1.197 binary: a message is the
  human's when `origin === undefined || origin.kind === "human"`; queued input gets
  `promptSource: "system"` when it is meta or not human; other values seen: `typed`, `sdk` for
  `claude -p`, `suggestion_accepted`, `queued`); `task-notification`, `scheduled`,
  `auto-continuation` origins are Claude Code talking to itself;
- the text does not start with a local-command or meta marker (`<command-name>`,
  `<local-command-…>`, `<bash-input>`/`<bash-stdout>`/`<bash-stderr>`, `Caveat:`,
  `<task-notification>`, `[Request interrupted by user`). A slash command the model answers
  (custom or prompt-type: `/hello world`) is written `<command-message>hello</command-message>
  <command-name>/hello</command-name>…` and counts (its expansion is a separate `isMeta` line); a
  local command (`/usage`, `/clear`) is written `<command-name>…` first, gets no model call and
  does not count. Claude Code 2.1.197 makes the same distinction itself (when it looks for the
  start of a turn, a `<command-message>` line counts and other marker lines do not), and the
  real-client fixtures in tests/fixtures/realtools show both shapes.
`userType` is not used: it is the build flavour (`external`), written on every line.
Evidence: lines written by Claude Code 2.1.197 (`claude -p`, tool-facts "Verified"); a published
field survey of 2.1.16x transcripts (`promptSource` typed|system|sdk, `origin.kind`,
`isCompactSummary`); cc-switch's and ccusage's readers. Prompts are deduplicated by `uuid` (a
resumed or forked session copies earlier lines into its new file).

MCP rule: every `tool_use` block of an assistant line (sidechains and subagent files included: their
searches spend the same quota) whose `mcp__<server>__<tool>` name maps to a Z.ai MCP tool
(`_common.classify_mcp`), deduplicated by the block `id` (one response is written as several lines).

Speed: files are read in 4 MiB binary chunks from the saved offset. Only lines containing
`"type":"user"` or `mcp__` (found with `bytes.find` over the chunk) are looked at, and user lines
holding `"isSidechain":true`, `"isMeta":true`, `"isCompactSummary":true` or `"type":"tool_result"`
are dropped before `json.loads`. Claude Code writes compact JSON (`JSON.stringify`, no spaces),
and those bytes cannot occur unescaped inside a string, so the filter never drops a prompt; a
line spelled with spaces (not something Claude Code writes) would not be seen. A file last
modified before the retention horizon cannot hold a recent event, so on first sight only its end
is located.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

from glmplan.paths import Paths
from glmplan.quota.logs._common import PROMPT, WEB_SEARCH, Hit, classify_mcp, parse_iso
from glmplan.quota.logs.index import Refresh, SourceState

TOOL = "claude-code"
CHUNK = 4 << 20
TAIL = 16

_USER = b'"type":"user"'
_MCP = b"mcp__"
_TOOL_USE = b'"type":"tool_use"'
_NOT_PROMPT = (b'"isSidechain":true', b'"isMeta":true', b'"isCompactSummary":true')
_TOOL_RESULT = b'"type":"tool_result"'
_META_PREFIXES = (
    "<command-name>",
    "<command-args>",
    "<local-command-",
    "<bash-input>",
    "<bash-stdout>",
    "<bash-stderr>",
    "<task-notification>",
    "Caveat:",
    "[Request interrupted by user",
)


def config_dirs(paths: Paths) -> list[Path]:
    """Every Claude Code config dir that exists, each once."""
    candidates = [paths.home / ".claude"]
    env = paths.get("CLAUDE_CONFIG_DIR")
    if env:
        candidates.extend(paths.expand(part.strip()) for part in env.split(",") if part.strip())
    candidates.append(paths.xdg_config / "claude")
    seen: set[str] = set()
    found: list[Path] = []
    for cand in candidates:
        real = os.path.realpath(cand)
        if real not in seen and Path(real).is_dir():
            seen.add(real)
            found.append(Path(real))
    return found


def watch_dirs(paths: Paths) -> list[Path]:
    """`projects/` of every existing config dir, else of the one Claude Code will create (so a
    watcher sees the first transcript appear)."""
    found = [d / "projects" for d in config_dirs(paths)]
    if found:
        return found
    env = paths.get("CLAUDE_CONFIG_DIR")
    first = env.split(",")[0].strip() if env else ""
    return [(paths.expand(first) if first else paths.home / ".claude") / "projects"]


def discover(paths: Paths) -> list[str]:
    """Every transcript, main and subagent, under every config dir (plain strings: building
    thousands of `Path` objects was a third of a warm refresh)."""
    found: list[str] = []
    for projects in watch_dirs(paths):
        if not projects.is_dir():
            continue
        for slug in _scan(str(projects)):
            if not slug.is_dir(follow_symlinks=False):
                continue
            for entry in _scan(slug.path):
                if entry.name.endswith(".jsonl") and entry.is_file():
                    found.append(entry.path)
                elif entry.is_dir(follow_symlinks=False):
                    sub = f"{entry.path}{os.sep}subagents"
                    found.extend(e.path for e in _scan(sub) if e.name.endswith(".jsonl"))
    return found


def _scan(directory: str) -> Iterator[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as it:
            yield from it
    except OSError:
        return


def refresh(path: str, prev: SourceState | None, cutoff: float) -> Refresh:
    """Read what is new in one transcript since `prev`."""
    try:
        st = os.stat(path)  # noqa: PTH116  a str path: no Path object per file
        if prev is not None and (prev.ino, prev.size, prev.mtime_ns) == (
            st.st_ino,
            st.st_size,
            st.st_mtime_ns,
        ):
            return Refresh(prev)
        fh = open(path, "rb", buffering=0)  # noqa: PTH123, SIM115  closed below; str path
    except OSError:
        return Refresh(None)
    with fh:
        st = os.fstat(fh.fileno())
        if prev is not None and not _continues(fh, prev, st):
            prev = None
        if prev is None and st.st_mtime < cutoff:
            offset, tail, nread = _end_of_last_line(fh, st.st_size)
            return Refresh(
                SourceState(TOOL, st.st_ino, st.st_size, st.st_mtime_ns, offset, tail), nread
            )
        start = 0 if prev is None else prev.offset
        old = () if prev is None else prev.hits
        hits, end, tail, nread, skipped = _read_from(fh, start, cutoff)
        state = SourceState(
            TOOL,
            st.st_ino,
            st.st_size,
            st.st_mtime_ns,
            end,
            tail or (prev.tail if prev else ""),
            hits=tuple(h for h in old if h.ts >= cutoff) + tuple(hits),
        )
        return Refresh(state, nread, skipped)


def _pread(fh: io.FileIO, size: int, pos: int) -> bytes:
    fh.seek(pos)
    return fh.read(size)


def _continues(fh: io.FileIO, prev: SourceState, st: os.stat_result) -> bool:
    """The file is the one we read before, grown (not replaced, truncated or rewritten)."""
    if st.st_ino != prev.ino or st.st_size < prev.offset:
        return False
    if not prev.tail:
        return prev.offset == 0
    want = bytes.fromhex(prev.tail)
    return _pread(fh, len(want), prev.offset - len(want)) == want


def _end_of_last_line(fh: io.FileIO, size: int) -> tuple[int, str, int]:
    """Offset just past the last newline (searching backwards), its tail, bytes read."""
    pos, nread = size, 0
    while pos > 0:
        step = min(65536, pos)
        block = _pread(fh, step, pos - step)
        nread += len(block)
        cut = block.rfind(b"\n")
        if cut >= 0:
            end = pos - step + cut + 1
            return end, _pread(fh, min(TAIL, end), end - min(TAIL, end)).hex(), nread
        pos -= step
    return 0, "", nread


def _read_from(fh: io.FileIO, start: int, cutoff: float) -> tuple[list[Hit], int, str, int, int]:
    """Scan complete lines from `start`: (hits, new offset, tail hex, bytes read, skipped).

    One reused buffer, filled with `readinto`: a fresh 4 MiB `bytes` per read spent more time in
    page faults than the scan itself. A line longer than the buffer doubles it."""
    hits: list[Hit] = []
    skipped = nread = filled = 0
    buf, offset, tail = bytearray(CHUNK), start, b""
    fh.seek(start)
    while True:
        if filled == len(buf):
            buf.extend(bytes(len(buf)))
        got = fh.readinto(memoryview(buf)[filled:])
        if not got:
            break
        nread += got
        filled += got
        cut = buf.rfind(b"\n", 0, filled) + 1
        if cut == 0:
            continue
        skipped += _scan_block(buf, cut, cutoff, hits)
        tail = bytes(buf[max(0, cut - TAIL) : cut])
        offset += cut
        buf[: filled - cut] = buf[cut:filled]
        filled -= cut
    return hits, offset, tail.hex(), nread, skipped


def _scan_block(buf: bytearray, end: int, cutoff: float, hits: list[Hit]) -> int:
    """Find candidate lines in `buf[:end]` and collect their hits; returns malformed lines.

    `bytes.find` runs at memory speed (a regex alternation was ten times slower), and a user
    line is dropped as soon as `"type":"tool_result"` shows up before its end: tool results are
    most of the bytes, and that marker sits near the start of their lines."""
    users, mcps = _line_starts(buf, _USER, end), _line_starts(buf, _MCP, end)
    skipped = 0
    for start in sorted(users | mcps):
        user = start in users and not _before_eol(buf, _TOOL_RESULT, start, end)
        mcp = start in mcps
        if (user or mcp) and not _line_hits(
            buf[start : buf.find(b"\n", start, end)], cutoff, hits, user, mcp
        ):
            skipped += 1
    return skipped


def _line_starts(buf: bytearray, marker: bytes, end: int) -> set[int]:
    starts: set[int] = set()
    pos = buf.find(marker, 0, end)
    while pos >= 0:
        starts.add(buf.rfind(b"\n", 0, pos) + 1)
        pos = buf.find(marker, pos + len(marker), end)
    return starts


def _before_eol(buf: bytearray, marker: bytes, start: int, end: int) -> bool:
    found = buf.find(marker, start, end)
    return found >= 0 and buf.find(b"\n", start, found) < 0


def _line_hits(line: bytearray, cutoff: float, hits: list[Hit], user: bool, mcp: bool) -> bool:
    """Add the line's hits; False when the line had to be parsed and was not valid JSON."""
    is_user = user and not any(m in line for m in _NOT_PROMPT)
    is_mcp = mcp and _TOOL_USE in line
    if not (is_user or is_mcp):
        return True
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    if not isinstance(obj, dict):
        return False
    ts = parse_iso(obj.get("timestamp"))
    if ts is None or ts < cutoff:
        return True
    if is_user and _is_prompt(obj):
        hits.append(Hit(ts, PROMPT, None, "u:" + str(obj.get("uuid") or f"{ts}")))
    if is_mcp and obj.get("type") == "assistant":
        hits.extend(_mcp_hits(obj, ts))
    return True


def _is_prompt(obj: dict[str, object]) -> bool:
    if obj.get("type") != "user" or obj.get("isMeta") or obj.get("isSidechain"):
        return False
    if obj.get("isCompactSummary") or obj.get("isVirtual") or "toolUseResult" in obj:
        return False
    origin = obj.get("origin")
    if origin is not None and not (isinstance(origin, dict) and origin.get("kind") == "human"):
        return False
    if obj.get("promptSource") == "system":
        return False
    message = obj.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, str):
        text = content
    elif isinstance(content, list) and content:
        blocks = [b for b in content if isinstance(b, dict)]
        if any(b.get("type") == "tool_result" for b in blocks):
            return False
        texts = [b.get("text") for b in blocks if b.get("type") == "text"]
        text = next((t for t in texts if isinstance(t, str)), "")
    else:
        return False
    return not text.lstrip().startswith(_META_PREFIXES)


def _mcp_hits(obj: dict[str, object], ts: float) -> Iterator[Hit]:
    message = obj.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, list):
        return
    for block in content:
        if not isinstance(block, dict) or block.get("type") != "tool_use":
            continue
        name = block.get("name")
        if isinstance(name, str) and name.startswith("mcp__"):
            mcp = classify_mcp(name)
            if mcp is not None:
                yield Hit(ts, WEB_SEARCH, mcp, "t:" + str(block.get("id") or f"{ts}:{name}"))
