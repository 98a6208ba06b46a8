"""The journal's JSON edge: round trip, refusal of damaged files, no secret values."""

from __future__ import annotations

import json

import pytest

from glmplan.installer import journal as jmod
from glmplan.installer.edits import Format
from glmplan.installer.journal import Change, FileEntry, Journal, JournalError


def entry(resolved: str = "/h/.claude/settings.json", **extra: object) -> FileEntry:
    base = FileEntry(
        id="abc",
        tool="claude-code",
        path=resolved,
        resolved=resolved,
        format=Format.JSONC,
        existed_before=True,
        original_sha256="0" * 64,
        original_size=12,
        original_mode=0o644,
        eol="crlf",
        bom=True,
        backup="b1",
        backups=("b1",),
        pre_sha256="0" * 64,
        written_sha256="1" * 64,
        written_mode=0o600,
        holds_secret=True,
        clean=True,
        changes=(Change(("env", "K"), "claude-code", False, None, "2" * 64, True),),
        created_parents=(("env",),),
        created_dirs=(),
        state="done",
    )
    return base.replace(**extra)


def test_round_trip_including_pending_with_previous() -> None:
    first = entry()
    pending = entry(state="pending", previous=first, backups=("b1", "b2"))
    journal = Journal((pending, entry("/h/other.json")))
    data = jmod.dumps(journal)
    assert jmod.loads(data, "j") == journal
    assert json.loads(data)["version"] == jmod.VERSION


def test_put_replaces_by_resolved_path_and_drop_removes() -> None:
    journal = Journal().put(entry()).put(entry(tool="cline"))
    assert [e.tool for e in journal.entries] == ["cline"]
    assert journal.drop(entry().resolved).entries == ()
    assert entry(changes=(Change(("a",), "cline", True, "b1", None, False),)).tools == (
        "claude-code",
        "cline",
    )


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"[]",
        b'{"version": 99, "entries": []}',
        b'{"version": 1, "entries": [{"id": "x"}]}',
        b'{"version": 1, "entries": [' + b"\xff",
    ],
)
def test_damaged_journal_is_refused_with_advice(data: bytes) -> None:
    with pytest.raises(JournalError, match=r"/s/journal\.json is damaged.*Move the file aside"):
        jmod.loads(data, "/s/journal.json")


def test_unknown_state_is_refused() -> None:
    raw = json.loads(jmod.dumps(Journal((entry(),))))
    raw["entries"][0]["state"] = "half"
    with pytest.raises(JournalError, match="unknown state"):
        jmod.loads(json.dumps(raw).encode(), "j")
