"""Generate a synthetic Claude Code corpus shaped like real transcripts (Claude Code 2.1.x lines).

    .venv/bin/python bench/gen_corpus.py --size 200M   # -> bench/.corpus/200M/claude/projects/...
    .venv/bin/python bench/gen_corpus.py --size 1G

Each session file holds turns of: a typed prompt (`type:"user"`, string content, `promptSource`),
attachment lines, assistant lines (text, `tool_use`, `usage` with cache tokens and
`server_tool_use`), `tool_result` user lines with a `toolUseResult` copy of the output (which makes
them the bulk of the bytes, as in real transcripts), an occasional slash command
(`<command-name>` + `<local-command-stdout>`), `isMeta` caveats, a compact summary, an interrupted
request, Z.ai MCP web searches, and `last-prompt`/`mode` sidecar lines. About one session in eight
has a subagent file (`<session>/subagents/agent-*.jsonl`, every line `isSidechain:true`) and some
older-style sessions interleave sidechain lines in the main file. Timestamps spread over the last
`--days` days (default 30); each file's mtime is its last line's time. `manifest.json` records the
time of every human prompt and MCP call, so a benchmark can check the counts.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORDS = (
    "the",
    "function",
    "returns",
    "a",
    "value",
    "when",
    "called",
    "with",
    "def",
    "class",
    "import",
    "self",
    "test",
    "data",
    "file",
    "path",
    "error",
    "config",
    "user",
    "model",
    "token",
    "prompt",
    "session",
    "window",
    "quota",
    "limit",
    "read",
    "write",
    "parse",
    "json",
    "line",
    "offset",
    "index",
    "cache",
    "refresh",
    "event",
    "tool",
    "search",
    "result",
    "assistant",
    "message",
    "content",
    "text",
    "block",
)
MCP_TOOLS = (
    "mcp__web-search-prime__webSearchPrime",
    "mcp__web-reader__webReader",
    "mcp__zread__search_doc",
)
OTHER_TOOLS = ("Read", "Edit", "Bash", "Grep", "Glob", "Write", "TodoWrite")


class Gen:
    def __init__(self, seed: int, now: float, days: float) -> None:
        self.rng = random.Random(seed)
        self.now, self.days = now, days
        self.pool = " ".join(self.rng.choice(WORDS) for _ in range(400_000))
        self.prompts: list[float] = []
        self.mcp: list[float] = []

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def text(self, low: int, high: int) -> str:
        n = self.rng.randint(low, high)
        start = self.rng.randint(0, len(self.pool) - n - 1)
        return self.pool[start : start + n]

    @staticmethod
    def iso(ts: float) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts % 1 * 1000):03d}Z"


def envelope(g: Gen, kind: str, ts: float, sid: str, side: bool, **extra: Any) -> dict[str, Any]:
    line: dict[str, Any] = {"parentUuid": g.uid(), "isSidechain": side}
    line.update(extra)
    line.update(
        {
            "type": kind,
            "uuid": g.uid(),
            "timestamp": g.iso(ts),
            "userType": "external",
            "entrypoint": "cli",
            "cwd": "/home/dev/project",
            "sessionId": sid,
            "version": "2.1.197",
            "gitBranch": "main",
        }
    )
    return line


def usage(g: Gen) -> dict[str, Any]:
    return {
        "input_tokens": g.rng.randint(5, 4000),
        "cache_creation_input_tokens": g.rng.randint(0, 8000),
        "cache_read_input_tokens": g.rng.randint(0, 120_000),
        "output_tokens": g.rng.randint(20, 3000),
        "server_tool_use": {"web_search_requests": 0, "web_fetch_requests": 0},
        "service_tier": "standard",
        "cache_creation": {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 0},
    }


def assistant(g: Gen, ts: float, sid: str, side: bool, blocks: list[Any], mid: str) -> str:
    message = {
        "id": mid,
        "type": "message",
        "role": "assistant",
        "model": "glm-4.7",
        "content": blocks,
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": usage(g),
    }
    extra = {"message": message, "requestId": "req_" + g.uid()[:18]}
    return dump(envelope(g, "assistant", ts, sid, side, **extra))


def user(g: Gen, ts: float, sid: str, side: bool, content: Any, **extra: Any) -> str:
    body = {"promptId": g.uid(), "message": {"role": "user", "content": content}}
    body.update(extra)
    return dump(envelope(g, "user", ts, sid, side, **body))


def dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False) + "\n"


def tool_round(g: Gen, ts: float, sid: str, side: bool, out: list[str]) -> float:
    mid = "msg_" + g.uid().replace("-", "")[:24]
    out.append(assistant(g, ts, sid, side, [{"type": "text", "text": g.text(80, 900)}], mid))
    use_mcp = g.rng.random() < 0.04
    name = g.rng.choice(MCP_TOOLS) if use_mcp else g.rng.choice(OTHER_TOOLS)
    tid = "toolu_" + g.uid().replace("-", "")[:24]
    block = {"type": "tool_use", "id": tid, "name": name, "input": {"query": g.text(10, 200)}}
    ts += g.rng.uniform(1, 8)
    out.append(assistant(g, ts, sid, side, [block], mid))
    if use_mcp:
        g.mcp.append(int(ts * 1000) / 1000)
    result = g.text(200, 14_000)
    ts += g.rng.uniform(1, 20)
    content = [{"tool_use_id": tid, "type": "tool_result", "content": result}]
    tur = {"type": "text", "file": {"filePath": "/home/dev/project/x.py", "content": result}}
    out.append(user(g, ts, sid, side, content, toolUseResult=tur, sourceToolAssistantUUID=g.uid()))
    return ts + g.rng.uniform(2, 30)


def turn(g: Gen, ts: float, sid: str, out: list[str], interleave: bool) -> float:
    r = g.rng.random()
    if r < 0.04:
        cmd = "<command-name>/compact</command-name>\n<command-message>compact</command-message>"
        out.append(user(g, ts, sid, False, cmd))
        out.append(user(g, ts + 1, sid, False, "<local-command-stdout>ok</local-command-stdout>"))
        out.append(user(g, ts + 2, sid, False, g.text(2000, 8000), isCompactSummary=True))
        return ts + 10
    if r < 0.06:
        caveat = "Caveat: The messages below were generated by the user while running commands."
        out.append(user(g, ts, sid, False, caveat, isMeta=True))
    out.append(user(g, ts, sid, False, g.text(20, 1500), promptSource="typed"))
    g.prompts.append(int(ts * 1000) / 1000)
    ts += g.rng.uniform(2, 15)
    for _ in range(g.rng.randint(1, 12)):
        ts = tool_round(g, ts, sid, False, out)
        if interleave and g.rng.random() < 0.15:
            out.append(user(g, ts, sid, True, g.text(50, 800)))  # sidechain prompt
            ts = tool_round(g, ts, sid, True, out)
    if g.rng.random() < 0.03:
        stop = [{"type": "text", "text": "[Request interrupted by user for tool use]"}]
        out.append(user(g, ts, sid, False, stop))
    mid = "msg_" + g.uid().replace("-", "")[:24]
    out.append(assistant(g, ts, sid, False, [{"type": "text", "text": g.text(100, 2500)}], mid))
    bookmark = {"type": "last-prompt", "lastPrompt": "x", "leafUuid": g.uid(), "sessionId": sid}
    out.append(dump(bookmark))
    return ts + g.rng.uniform(30, 900)


def session(g: Gen, project: Path, target: int) -> int:
    sid = g.uid()
    ts = g.now - g.rng.uniform(0.05, g.days) * 86400
    out: list[str] = []
    interleave = g.rng.random() < 0.2
    size = 0
    while size < target and ts < g.now:
        before = len(out)
        ts = turn(g, ts, sid, out, interleave)
        size += sum(len(line) for line in out[before:])
    out.append(dump({"type": "mode", "mode": "normal", "sessionId": sid}))
    path = project / f"{sid}.jsonl"
    written = write(path, out, min(ts, g.now))
    if g.rng.random() < 0.125:
        sub: list[str] = [user(g, ts, sid, True, g.text(100, 1500))]
        for _ in range(g.rng.randint(2, 10)):
            ts = tool_round(g, ts, sid, True, sub)
        agent = project / sid / "subagents" / f"agent-{g.uid()[:17]}.jsonl"
        written += write(agent, sub, min(ts, g.now))
    return written


def write(path: Path, lines: list[str], mtime: float) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(lines).encode()
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return len(data)


def parse_size(raw: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(raw[:-1]) * units[raw[-1].upper()]) if raw[-1].upper() in units else int(raw)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", default="200M")
    ap.add_argument("--days", type=float, default=30)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    total = parse_size(args.size)
    root = args.out or HERE / ".corpus" / args.size
    projects = root / "claude" / "projects"
    g = Gen(args.seed, time.time(), args.days)
    written, n = 0, 0
    while written < total:
        project = projects / f"-home-dev-project{n % 40}"
        written += session(g, project, int(math.exp(g.rng.uniform(math.log(30e3), math.log(8e6)))))
        n += 1
    manifest = {
        "generated_at": g.now,
        "bytes": written,
        "sessions": n,
        "prompt_times": sorted(g.prompts),
        "mcp_times": sorted(g.mcp),
    }
    (root / "manifest.json").write_text(json.dumps(manifest, indent=1))
    print(f"{root}: {written / 1e6:.0f} MB in {n} sessions")


if __name__ == "__main__":
    main()
