"""RELIABILITY 1, 3 and 16 end to end: SIGKILL real `glmplan setup` / `restore` runs anywhere.

Four HOMEs with realistic files of different tools run in parallel (one fork server each, see
`_zygote.py`). From the original state a `setup` is killed either just before its N-th
file-system mutation (N drawn over every mutation a full run performs) or after a random delay
drawn over a full run's measured duration. Right after each kill every file holds exactly its
old or its new bytes and mode, and the journal loads and matches the files. The next run is
`restore --all` (it must roll everything back to the original bytes) or, one time in four, a
`setup` (it must complete: every file new, journal settled), followed by a killed `restore` and a
`restore` that must still bring back the original bytes. After every completed run no temp file
of ours and no backup the journal does not name is left.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field, fields
from pathlib import Path

import pytest

from glmplan.installer.atomic import sha256_bytes

from .harness import (
    KEY,
    FileState,
    Zygote,
    journal_of,
    normalised,
    our_temp_files,
    parse_all,
    populate,
    unreferenced_backups,
    user_files,
)

GROUPS: tuple[tuple[str, ...], ...] = (
    ("claude-code", "goose"),
    ("opencode", "crush"),
    ("cline", "kilo-code"),
    ("roo-code", "claude-code", "opencode"),
)
SETUP_KILLS_PER_HOME = 52  # 4 HOMEs: 208 killed setups
SETUP = ("setup", "--plan", "pro", "--yes", "--api-key-stdin")
RESTORE = ("restore", "--all", "--yes")
FOREIGN = (".settings.json.swp", "config.yaml~", ".#kilo.jsonc", ".x.1-abc.tmp")


@dataclass
class Tally:
    setup_kills: int = 0
    delayed_kills: int = 0
    restore_kills: int = 0
    completed_setups: int = 0
    completed_restores: int = 0
    finished_before_kill: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Reference:
    orig: dict[str, FileState]
    new: dict[str, FileState]
    dirs: frozenset[str]
    setup_ops: int
    setup_seconds: float
    restore_ops: int


_OWN_DIRS = (".local/state", ".config/glmplan", ".cache/glmplan")


def _dirs(home: Path) -> frozenset[str]:
    """Directories outside glmplan's own (and their parents, which glmplan keeps)."""
    rels = (str(p.relative_to(home)) for p in home.rglob("*") if p.is_dir())
    return frozenset(
        r for r in rels if r not in (".local", ".cache") and not r.startswith(_OWN_DIRS)
    )


def _norm(state: FileState | None) -> tuple[bytes, int] | None:
    return None if state is None else (normalised(state[0]), state[1])


class Trials:
    def __init__(self, zygote: Zygote, home: Path, tools: tuple[str, ...], seed: int) -> None:
        self.z, self.home, self.tools = zygote, home, tools
        self.rng = random.Random(seed)
        self.tally = Tally()
        self.ref = self._reference()

    def _run(self, *argv: str, **kwargs: object) -> tuple[bool, int | None, str]:
        args = (*argv, *self.tools) if argv[0] == "setup" else argv
        outcome, ops = self.z.run(self.home, *args, stdin=KEY + "\n", **kwargs)  # type: ignore[arg-type]
        if not outcome.killed and outcome.code != 0:
            raise AssertionError(f"{' '.join(args)} exited {outcome.code}: {outcome.err}")
        return outcome.killed, ops, outcome.err

    def _reference(self) -> Reference:
        orig, dirs = user_files(self.home), _dirs(self.home)
        args = (*SETUP, *self.tools)
        outcome, setup_ops = self.z.run(self.home, *args, stdin=KEY + "\n", count=True)
        assert outcome.code == 0, outcome.err
        new = user_files(self.home)
        _, restore_ops, _ = self._run(*RESTORE, count=True)
        self.check_original(orig, dirs)
        assert setup_ops and restore_ops
        return Reference(orig, new, dirs, setup_ops, outcome.seconds, restore_ops)

    def check_original(self, orig: dict[str, FileState], dirs: frozenset[str]) -> None:
        assert user_files(self.home) == orig
        assert _dirs(self.home) == dirs
        assert journal_of(self.home).entries == ()
        self.check_clean()

    def check_clean(self, *, after_setup: bool = False) -> None:
        temps = our_temp_files(self.home)
        if not after_setup:  # glmplan's own config dir is swept by the next setup, which writes it
            temps = [t for t in temps if not t.is_relative_to(self.home / ".config" / "glmplan")]
        assert temps == []
        assert unreferenced_backups(self.home) == []

    def check_mid(self) -> None:
        """Right after a kill: each file old or new, all parse, the journal loads and agrees."""
        now = user_files(self.home)
        for rel in {*now, *self.ref.orig, *self.ref.new}:
            allowed = {_norm(self.ref.orig.get(rel)), _norm(self.ref.new.get(rel))}
            assert _norm(now.get(rel)) in allowed, f"{rel} is neither its old nor its new state"
        parse_all(self.home, [r for r in now if Path(r).name not in FOREIGN])
        for entry in journal_of(self.home).entries:
            current = _sha(Path(entry.resolved))
            if entry.state == "done":
                assert current == entry.written_sha256, entry.path
            else:
                assert current in (entry.pre_sha256, entry.written_sha256), entry.path

    def check_new(self) -> None:
        now = user_files(self.home)
        assert {k: _norm(v) for k, v in now.items()} == {
            k: _norm(v) for k, v in self.ref.new.items()
        }
        assert all(e.state == "done" for e in journal_of(self.home).entries)
        self.check_clean(after_setup=True)

    def kill_setup(self) -> None:
        if self.rng.random() < 0.25:
            delay = self.rng.uniform(0, self.ref.setup_seconds)
            killed, _, _ = self._run(*SETUP, kill_after=delay)
            self.tally.delayed_kills += killed
        else:
            killed, _, _ = self._run(*SETUP, kill_at=self.rng.randint(1, self.ref.setup_ops))
        self.tally.setup_kills += killed
        self.tally.finished_before_kill += not killed
        self.check_mid()

    def one_trial(self) -> None:
        self.kill_setup()
        if self.rng.random() < 0.75:
            self._run(*RESTORE)
        else:
            self._run(*SETUP)
            self.tally.completed_setups += 1
            self.check_new()
            killed, _, _ = self._run(*RESTORE, kill_at=self.rng.randint(1, self.ref.restore_ops))
            self.tally.restore_kills += killed
            parse_all(self.home, [r for r in user_files(self.home) if Path(r).name not in FOREIGN])
            self._run(*RESTORE)
        self.tally.completed_restores += 1
        self.check_original(self.ref.orig, self.ref.dirs)


def _sha(path: Path) -> str | None:
    try:
        return sha256_bytes(path.read_bytes())
    except FileNotFoundError:
        return None


def _campaign(base: Path, index: int, tally: list[Tally]) -> None:
    home = base / f"home{index}"
    home.mkdir()
    populate(home, GROUPS[index])
    for directory in {p.parent for p in home.rglob("*") if p.is_file()}:
        for name in FOREIGN:  # an editor's files beside ours: never swept, never touched
            (directory / name).write_bytes(b"not glmplan's\n")
    with Zygote(base / f"zygote{index}") as zygote:
        try:
            trials = Trials(zygote, home, GROUPS[index], seed=1000 + index)
            for _ in range(2 * SETUP_KILLS_PER_HOME):
                if trials.tally.setup_kills >= SETUP_KILLS_PER_HOME:
                    break
                trials.one_trial()
        except BaseException as exc:  # reported by the test thread, with the group
            tally.append(Tally(errors=[f"{GROUPS[index]}: {type(exc).__name__}: {exc}"]))
            return
        tally.append(trials.tally)


@pytest.mark.slow
def test_sigkill_anywhere_keeps_files_whole_and_the_next_run_settles(tmp_path: Path) -> None:
    tallies: list[Tally] = []

    def worker(indices: range) -> None:
        for i in indices:
            _campaign(tmp_path, i, tallies)

    threads = [threading.Thread(target=worker, args=(range(k, len(GROUPS), 2),)) for k in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [e for t in tallies for e in t.errors]
    assert not errors, "\n".join(errors)
    totals = {
        f.name: sum(getattr(t, f.name) for t in tallies) for f in fields(Tally) if f.type == "int"
    }
    print(" ".join(f"{name}={count}" for name, count in totals.items()))
    assert len(tallies) == len(GROUPS)
    assert totals["setup_kills"] >= 200
