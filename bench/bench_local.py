"""Benchmark glmplan's local log reading against ccusage and claude-monitor, on one corpus.

    .venv/bin/python bench/gen_corpus.py --size 200M        # once (bench/.corpus/, git-ignored)
    .venv/bin/python bench/bench_local.py --size 200M --runs 5

Measured, each command a fresh process, the page cache warmed first, median of `--runs`:
- glmplan cold: `glmplan usage --source local --json` with an empty cache dir;
- glmplan warm: the same with the index present and one new prompt appended just before;
- glmplan in-process: `collect()` alone (no interpreter start-up or CLI), cold, warm with one
  new prompt, warm with nothing new, and a second `collect()` in the same process (what the
  dashboard does every refresh); the CPU column of these rows is the whole child process,
  start-up included;
- `ccusage blocks --json --offline` (npm ccusage + @ccusage/ccusage-linux-x64), CLAUDE_CONFIG_DIR
  pointing at the corpus;
- `claude-monitor --once --output json --no-api --no-warehouse --no-write-state --data-paths
  <corpus>/projects` (PyPI claude-monitor in its own venv).
Wall time and peak RSS (`os.wait4` rusage of that child). The corpus mtimes make files older
than 8 days skippable; `--touch` sets every mtime to now first (worst case for glmplan).
Tool locations: `--ccusage` (default /tmp/glmbench/npm/node_modules/.bin/ccusage) and
`--claude-monitor` (default /tmp/glmbench/cmvenv/bin/claude-monitor).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
VENV_BIN = ROOT / ".venv" / "bin"
HOUR = 3600.0
CPU: list[float] = []  # user+sys seconds of each child, in run order

IN_PROCESS = """
import json, sys, time
from glmplan.paths import Paths
from glmplan.quota.logs import collect
t = time.perf_counter()
scan = collect(Paths.from_env())
elapsed = time.perf_counter() - t
t = time.perf_counter()
collect(Paths.from_env())
again = time.perf_counter() - t
prompts = sum(1 for e in scan.events if e.kind == "prompt")
print(json.dumps({"seconds": elapsed, "again": again, "prompts": prompts,
                  "events": len(scan.events), "bytes_read": scan.bytes_read,
                  "skipped": scan.skipped}))
"""


def run(
    argv: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)
) -> tuple[float, int, bytes]:
    """(wall seconds, peak RSS in MiB, stdout) of one child; its CPU seconds go to `CPU`."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    CPU.append(usage.ru_utime + usage.ru_stime)
    if proc.returncode not in ok:
        raise SystemExit(f"{argv[0]} exited {proc.returncode}")
    return wall, usage.ru_maxrss // 1024, out


def base_env(corpus: Path, cache: Path) -> dict[str, str]:
    home = WORK / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAUDE", "GLMPLAN", "XDG"))}
    env.update(
        HOME=str(home),
        CLAUDE_CONFIG_DIR=str(corpus),
        GLMPLAN_CACHE_DIR=str(cache),
        GLMPLAN_CONFIG_DIR=str(WORK / "config"),
        GLMPLAN_STATE_DIR=str(WORK / "state"),
        NO_COLOR="1",
    )
    return env


def warm_page_cache(corpus: Path) -> int:
    total = 0
    for path in corpus.rglob("*.jsonl"):
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 22):
                total += len(chunk)
    return total


def append_prompt(path: Path, n: int) -> None:
    now = time.time()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".000Z"
    line = {
        "parentUuid": None,
        "isSidechain": False,
        "type": "user",
        "message": {"role": "user", "content": f"bench prompt {n}"},
        "uuid": f"bench-{now}-{n}",
        "timestamp": stamp,
        "promptSource": "typed",
        "userType": "external",
        "sessionId": "bench",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fh.write(json.dumps(line, separators=(",", ":")) + "\n")


def measure(label: str, runs: int, once: Callable[[], tuple[float, int]]) -> dict[str, float]:
    walls, rss, cpu = [], [], []
    for _ in range(runs):
        wall, peak = once()
        walls.append(wall)
        rss.append(peak)
        cpu.append(CPU[-1])
    row = {
        "wall_s": statistics.median(walls),
        "min_s": min(walls),
        "cpu_s": statistics.median(cpu),
        "rss_mib": float(max(rss)),
    }
    print(
        f"  {label:36s} wall median {row['wall_s']:.3f} s (min {row['min_s']:.3f})  "
        f"CPU {row['cpu_s']:.3f} s  peak RSS {row['rss_mib']:.0f} MiB",
        flush=True,
    )
    return row


def glmplan_rows(corpus: Path, runs: int) -> dict[str, dict[str, float]]:
    cache = WORK / "cache"
    env = base_env(corpus, cache)
    cli = [str(VENV_BIN / "glmplan"), "usage", "--source", "local", "--json"]
    py = [str(VENV_BIN / "python"), "-c", IN_PROCESS]
    bench_file = corpus / "projects" / "-bench" / "bench.jsonl"
    counter = iter(range(10**6))
    info: dict[str, float] = {}

    def cold_cli() -> tuple[float, int]:
        shutil.rmtree(cache, ignore_errors=True)
        return run(cli, env)[:2]

    def warm_cli() -> tuple[float, int]:
        append_prompt(bench_file, next(counter))
        return run(cli, env)[:2]

    def in_process(cold: bool, append: bool = True, field: str = "seconds") -> tuple[float, int]:
        if cold:
            shutil.rmtree(cache, ignore_errors=True)
        elif append:
            append_prompt(bench_file, next(counter))
        _, peak, out = run(py, env)
        got = json.loads(out)
        info.update(got)
        return got[field], peak

    rows = {
        "glmplan cold (CLI)": measure("glmplan usage cold (CLI)", runs, cold_cli),
        "glmplan warm (CLI)": measure("glmplan usage warm +1 prompt (CLI)", runs, warm_cli),
        "glmplan cold (collect)": measure(
            "collect() cold, in-process", runs, lambda: in_process(True)
        ),
    }
    rows["glmplan warm (collect)"] = measure(
        "collect() warm +1 prompt", runs, lambda: in_process(False)
    )
    rows["glmplan warm (collect)"].update({k: float(v) for k, v in info.items()})
    rows["glmplan unchanged (collect)"] = measure(
        "collect() warm, nothing new", runs, lambda: in_process(False, append=False)
    )
    rows["glmplan again (collect)"] = measure(
        "collect() again, same process", runs, lambda: in_process(False, False, "again")
    )
    return rows


def other_rows(corpus: Path, runs: int, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    env = base_env(corpus, WORK / "cache")
    rows: dict[str, dict[str, float]] = {}
    if Path(args.ccusage).exists():
        argv = [args.ccusage, "blocks", "--json", "--offline"]
        rows["ccusage blocks"] = measure(
            "ccusage blocks --json --offline", runs, lambda: run(argv, env)[:2]
        )
    else:
        print(f"  ccusage not found at {args.ccusage}: skipped")
    if Path(args.claude_monitor).exists():
        argv = [
            args.claude_monitor,
            "--once",
            "--output",
            "json",
            "--no-api",
            "--no-warehouse",
            "--no-write-state",
            "--data-paths",
            str(corpus / "projects"),
        ]
        # exit 20 is its "no_active_session" status (the corpus's last hours are idle)
        rows["claude-monitor --once"] = measure(
            "claude-monitor --once --output json", runs, lambda: run(argv, env, (0, 20))[:2]
        )
    else:
        print(f"  claude-monitor not found at {args.claude_monitor}: skipped")
    return rows


def expected_prompts(corpus_root: Path) -> int | None:
    try:
        manifest = json.loads((corpus_root / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    cutoff = time.time() - 8 * 24 * HOUR
    return sum(1 for t in manifest["prompt_times"] if t >= cutoff)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", default="200M")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--touch", action="store_true", help="set every corpus mtime to now first")
    ap.add_argument("--ccusage", default="/tmp/glmbench/npm/node_modules/.bin/ccusage")
    ap.add_argument("--claude-monitor", default="/tmp/glmbench/cmvenv/bin/claude-monitor")
    ap.add_argument("--only-glmplan", action="store_true")
    args = ap.parse_args()
    corpus_root = HERE / ".corpus" / args.size
    corpus = corpus_root / "claude"
    if not corpus.is_dir():
        sys.exit(f"no corpus at {corpus}: run bench/gen_corpus.py --size {args.size} first")
    shutil.rmtree(corpus / "projects" / "-bench", ignore_errors=True)
    if args.touch:
        for path in corpus.rglob("*.jsonl"):
            os.utime(path)
    size = warm_page_cache(corpus)
    print(f"corpus {corpus} : {size / 1e6:.0f} MB, page cache warmed; {args.runs} runs each")
    rows = glmplan_rows(corpus, args.runs)
    if not args.only_glmplan:
        rows.update(other_rows(corpus, args.runs, args))
    ref = rows["glmplan cold (CLI)"]["wall_s"]
    cpu_ref = rows["glmplan cold (CLI)"]["cpu_s"]
    print("\nratios to glmplan cold CLI (wall, CPU):")
    for label, row in rows.items():
        print(f"  {label:26s} {row['wall_s'] / ref:6.2f}x  {row['cpu_s'] / cpu_ref:6.2f}x")
    warm = rows["glmplan warm (collect)"]
    want = expected_prompts(corpus_root)
    print(
        f"\nprompts in the last 8 days: glmplan {int(warm.get('prompts', -1))}, "
        f"generator {want} + {int(warm.get('prompts', 0)) - (want or 0)} appended bench prompts"
    )
    out = WORK / f"results-{args.size}{'-touched' if args.touch else ''}.json"
    out.write_text(json.dumps(rows, indent=1))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
