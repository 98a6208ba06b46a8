"""Driving the real Claude Code, OpenCode and Cline CLIs against the fake model server.

Facts behind the environment (observed with the pinned versions, see FINDINGS.md):
- OpenCode resolves the project directory from `$PWD`, not from the process's cwd: set both.
- Cline starts a detached `cline --cline-hub-daemon` after a run unless
  `CLINE_SESSION_BACKEND_MODE=local`; `stop_cline_daemon` is the safety net (pid from its lock).
- Nothing is inherited from the developer's environment except PATH and the locale, so no
  ANTHROPIC_* / OPENCODE_* / CLINE_* variable can point a tool elsewhere.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.support.model_server import RecordedRequest, Reply, Responder

ROOT = Path(__file__).resolve().parents[2]
REALTOOLS_BIN = ROOT / ".realtools" / "node_modules" / ".bin"
FAKE_KEY = "sk-test-FIXTURE-0000"
INSTALL_HINT = "run scripts/install-realtools.sh (needs npm)"

# Keeps every tool away from the network beyond the fake server (and quiet).
OFFLINE_ENV: Mapping[str, str] = {
    "DISABLE_AUTOUPDATER": "1",
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    "DISABLE_TELEMETRY": "1",
    "DISABLE_ERROR_REPORTING": "1",
    "OPENCODE_DISABLE_MODELS_FETCH": "1",
    "OPENCODE_DISABLE_AUTOUPDATE": "1",
    "OPENCODE_DISABLE_SHARE": "1",
    "OPENCODE_DISABLE_LSP_DOWNLOAD": "1",
    "CLINE_SESSION_BACKEND_MODE": "local",
    "CLINE_NO_AUTO_UPDATE": "1",
    "NO_COLOR": "1",
    "CI": "1",
}
_INHERITED = ("PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def find_binary(name: str) -> Path | None:
    """The CLI from `.realtools` (installed by scripts/install-realtools.sh), else from PATH."""
    local = REALTOOLS_BIN / name
    if local.exists():
        return local
    found = shutil.which(name)
    return Path(found) if found else None


def tool_env(home: Path, cwd: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A clean environment with HOME and XDG_* in `home`, offline switches set."""
    env = {name: os.environ[name] for name in _INHERITED if name in os.environ}
    env["PATH"] = f"{REALTOOLS_BIN}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}"
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        XDG_CACHE_HOME=str(home / ".cache"),
        PWD=str(cwd),
    )
    env.update(OFFLINE_ENV)
    env.update(extra or {})
    return env


@dataclass(frozen=True)
class ToolRun:
    argv: tuple[str, ...]
    code: int
    out: str
    err: str

    def describe(self) -> str:
        return f"{' '.join(self.argv)} -> {self.code}\nstdout:\n{self.out}\nstderr:\n{self.err}"


def run_tool(
    argv: Sequence[str], env: Mapping[str, str], cwd: Path, timeout: float = 240
) -> ToolRun:
    cwd.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        list(argv),
        env=dict(env),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return ToolRun(tuple(argv), proc.returncode, proc.stdout, proc.stderr)


def stop_cline_daemon(home: Path, grace: float = 10.0, appear: float = 0.0) -> int | None:
    """Stop the `cline --cline-hub-daemon` started with this HOME (pid from its lock file).

    `appear`: seconds to wait for a daemon that may still be starting (the TUI spawns one even
    with CLINE_SESSION_BACKEND_MODE=local)."""
    lock = home / ".cline" / "data" / "locks" / "hub" / "production.json"
    deadline = time.monotonic() + appear
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    try:
        pid = int(json.loads(lock.read_text())["pid"])
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if b"--cline-hub-daemon" not in cmdline:
        return None  # the pid was reused by something else: leave it alone
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        time.sleep(0.1)
    if Path(f"/proc/{pid}").exists():
        os.kill(pid, signal.SIGKILL)
    return pid


def tool_call_responder(calls: Mapping[str, tuple[str, Mapping[str, object]]]) -> Responder:
    """Answers a prompt containing one of `calls`' triggers with a call of that (tool, input),
    once: after the tool's result, and for every other prompt, plain text."""

    def respond(request: RecordedRequest) -> Reply:
        if request.has_tool_result():
            return Reply(text="done after tool")
        texts = request.user_texts()
        last = texts[-1] if texts else ""
        for trigger, (tool, tool_input) in calls.items():
            if trigger in last and request.body.get("tools"):
                return Reply(text="", tool_name=tool, tool_input=tool_input)
        return Reply()

    return respond


Condition = Callable[[str], bool]  # gets the screen text printed so far (see `screen_text`)


def screen_text(raw: bytes) -> str:
    """What a TUI printed, without escape sequences and spaces (TUIs move the cursor instead)."""
    text = re.sub(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|.)", b"", raw)
    return re.sub(r"\s+", "", text.decode(errors="replace"))


def after(seconds: float) -> Condition:
    """A condition that becomes true `seconds` after it is first asked."""
    start: list[float] = []

    def done(_screen: str) -> bool:
        if not start:
            start.append(time.monotonic())
        return time.monotonic() - start[0] >= seconds

    return done


def shown(text: str) -> Condition:
    """A condition that becomes true once the TUI printed `text` (compared without spaces)."""
    wanted = "".join(text.split())
    return lambda screen: wanted in screen


def run_in_pty(
    argv: Sequence[str],
    env: Mapping[str, str],
    cwd: Path,
    keys: Sequence[tuple[str, Condition]],
    timeout: float = 60,
) -> str:
    """Run an interactive CLI in a pseudo-terminal; for each (keys, done) type the keys, then wait
    until `done(screen)` is true. Returns the screen text. The process is terminated at the end."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the CLI
        os.chdir(cwd)
        os.execvpe(argv[0], list(argv), dict(env))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    raw = bytearray()
    try:
        for text, done in keys:
            for char in text:
                os.write(fd, char.encode())
                time.sleep(0.02)  # TUIs drop keys that arrive in one burst
            deadline = time.monotonic() + timeout
            while not done(screen_text(bytes(raw))) and time.monotonic() < deadline:
                raw += _read_pty(fd, 0.2)
            if not done(screen_text(bytes(raw))):
                raise TimeoutError(f"{argv[0]}: no progress after {text!r}")
        raw += _read_pty(fd, 1.0)
    finally:
        os.kill(pid, signal.SIGTERM)
        time.sleep(1)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return screen_text(bytes(raw))


def _read_pty(fd: int, seconds: float) -> bytes:
    ready, _, _ = select.select([fd], [], [], seconds)
    if not ready:
        return b""
    try:
        return os.read(fd, 65536)
    except OSError:  # the child closed the terminal
        return b""
