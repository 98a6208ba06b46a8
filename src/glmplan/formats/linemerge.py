"""A three-way line merge that keeps the user's text wherever a round-trip library re-styled it.

A round-trip library (ruamel.yaml, tomlkit) dumps a document in its own style in places: ruamel
writes `{ a: 1 }` as `{a: 1}`. We dump twice, once untouched (`base`) and once edited (`edited`),
and merge like diff3: lines only the library changed come from the user's `original`; lines the
edit changed come from `edited`; where both changed the same lines, the edit wins (those lines are
edited anyway). Comment and blank lines at the end of a removed block are kept: the library hangs
the comment that introduces the next key on the key before it, and drops it with that key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class _Hunk:
    start: int  # range in `base`
    end: int
    lines: tuple[str, ...]
    from_edit: bool


def _hunks(base: list[str], other: list[str], from_edit: bool) -> list[_Hunk]:
    """Changed ranges of `base`; a same-size replacement is split line by line, so that an edit
    of one line conflicts with the library's re-styling of that line only."""
    hunks: list[_Hunk] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, base, other, autojunk=False).get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            hunks += [
                _Hunk(i1 + k, i1 + k + 1, (other[j1 + k],), from_edit) for k in range(i2 - i1)
            ]
        elif tag != "equal":
            hunks.append(_Hunk(i1, i2, tuple(other[j1:j2]), from_edit))
    return hunks


def _is_comment_or_blank(line: str) -> bool:
    return line.strip() == "" or line.lstrip().startswith("#")


def _keep_trailing_comments(hunk: _Hunk, base: list[str]) -> _Hunk:
    """Shrink an edit so the comment/blank lines at the end of what it removes survive."""
    if not hunk.from_edit:
        return hunk
    end = hunk.end
    while end > hunk.start and _is_comment_or_blank(base[end - 1]):
        end -= 1
    kept = tuple(base[end : hunk.end])
    if end == hunk.end or end == hunk.start or hunk.lines[len(hunk.lines) - len(kept) :] == kept:
        return hunk
    return _Hunk(hunk.start, end, hunk.lines, True)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _settle_insertion(hunk: _Hunk, base: list[str], noise: list[_Hunk]) -> _Hunk:
    """Move an inserted block above the comment/blank lines that introduce what follows it.

    ruamel and tomlkit append a new key after the comments that precede the next outer key (YAML)
    or the next `[table]` header (TOML), because those comments hang on the last old key."""
    if not hunk.from_edit or hunk.start != hunk.end or not hunk.lines:
        return hunk
    first, at = hunk.lines[0], hunk.start
    following = base[at] if at < len(base) else ""
    header = following.lstrip().startswith("[") and not first.lstrip().startswith(("[", "#"))
    outer = _indent(following) < _indent(first) if following.strip() else _indent(first) > 0
    if not (header or outer):
        return hunk
    top = at
    while top > 0 and _is_comment_or_blank(base[top - 1]):
        line = base[top - 1]
        if not (header or not line.strip() or _indent(line) < _indent(first)):
            break
        top -= 1
    if top == at or any(h.start <= at and h.end >= top for h in noise):
        return hunk
    return _Hunk(top, top, hunk.lines, True)


def _user_only_edges(cluster: list[_Hunk], base: list[str]) -> tuple[list[str], list[str]]:
    """Comment/blank lines at the edges of the user's side of a conflict that the library dropped
    (a leading blank line, say): kept around the edited lines."""
    lead: list[str] = []
    trail: list[str] = []
    for hunk in cluster:
        if hunk.from_edit:
            continue
        dumped = set(base[hunk.start : hunk.end])
        lines = list(hunk.lines)
        first = 0
        while (
            first < len(lines) and _is_comment_or_blank(lines[first]) and lines[first] not in dumped
        ):
            first += 1
        last = len(lines)
        while (
            last > first and _is_comment_or_blank(lines[last - 1]) and lines[last - 1] not in dumped
        ):
            last -= 1
        lead += lines[:first]
        trail += lines[last:]
    return lead, trail


def _edited_position(opcodes: Sequence[tuple[str, int, int, int, int]], i: int) -> int:
    """Where base line position `i` falls in the edited text (i is a hunk boundary or unchanged)."""
    for tag, i1, i2, j1, j2 in opcodes:
        if i == i1:
            return j1
        if i1 < i < i2:
            return j1 + (i - i1) if tag == "equal" else j2
    return opcodes[-1][4] if opcodes else 0


def merge(original: list[str], base: list[str], edited: list[str]) -> list[str]:
    """`original` with the changes from `base` to `edited` applied (lines include their EOL)."""
    noise = _hunks(base, original, from_edit=False)
    edits = [
        _settle_insertion(_keep_trailing_comments(h, base), base, noise)
        for h in _hunks(base, edited, from_edit=True)
    ]
    opcodes = SequenceMatcher(None, base, edited, autojunk=False).get_opcodes()
    hunks = sorted(noise + edits, key=lambda h: (h.start, h.end, h.from_edit))
    out: list[str] = []
    pos = 0
    index = 0
    while index < len(hunks):
        cluster = [hunks[index]]
        index += 1
        lo, hi = cluster[0].start, cluster[0].end
        while index < len(hunks) and hunks[index].start < hi:
            cluster.append(hunks[index])
            hi = max(hi, hunks[index].end)
            index += 1
        out.extend(base[pos:lo])
        if len(cluster) == 1 or all(not h.from_edit for h in cluster):
            for hunk in cluster:
                out.extend(hunk.lines)
        else:
            lead, trail = _user_only_edges(cluster, base)
            out.extend(lead)
            out.extend(edited[_edited_position(opcodes, lo) : _edited_position(opcodes, hi)])
            out.extend(trail)
        pos = hi
    out.extend(base[pos:])
    return out
