"""Plan a setup run: read and parse every file, compute each new text and a masked diff.

Pure with respect to the disk: it only reads. Any unreadable, unsafe or malformed file aborts the
whole plan before anything is written (no state dir, no backup).
"""

from __future__ import annotations

import difflib
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from glmplan import formats
from glmplan.errors import FormatError, GlmplanError
from glmplan.installer.atomic import Target, read_target, sha256_bytes
from glmplan.installer.edits import Delete, Edit, FileSpec, Format, KeyPath, Set
from glmplan.installer.leaves import ToolEdit, expand_edits, merge_specs
from glmplan.installer.values import lookup, secret_strings, value_sha256
from glmplan.paths import Paths
from glmplan.secrets import redact

Action = Literal["created", "modified", "unchanged"]


@dataclass(frozen=True)
class LeafChange:
    """One leaf this run sets (after_sha256) or deletes (after_sha256 None)."""

    path: KeyPath
    tool: str
    before_present: bool
    before_sha256: str | None  # hash of the value before this run (None when absent)
    after_sha256: str | None
    secret: bool
    stamped: bool = False  # the tool rewrites it itself (see `edits.Set`)


@dataclass(frozen=True)
class FilePlan:
    tool: str
    path: Path
    action: Action
    diff: str  # unified diff, every secret masked
    purpose: str
    warnings: tuple[str, ...]
    resolved: Path
    format: Format
    holds_secret: bool
    old_sha256: str | None  # None: the file does not exist yet
    old_mode: int | None
    old_size: int | None
    new_data: bytes = field(repr=False)
    changes: tuple[LeafChange, ...] = ()
    created_parents: tuple[KeyPath, ...] = ()
    created_dirs: tuple[Path, ...] = ()  # shallowest first
    eol: str = "none"
    bom: bool = False

    @property
    def changed(self) -> bool:
        return self.action != "unchanged"


@dataclass(frozen=True)
class RunPlan:
    files: tuple[FilePlan, ...]

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.files)


def plan_run(
    specs: Mapping[str, Sequence[FileSpec]], paths: Paths, secrets: Sequence[str] = ()
) -> RunPlan:
    """Read and plan every file of every tool; raises before anything is written.

    `secrets` (the API key) are masked in diffs; without them every string inside a
    `Set(secret=True)` value is masked, which is safe but hides URLs and commands too.
    """
    del paths  # every path is already absolute in the specs; kept for a stable signature
    grouped: dict[Path, list[tuple[str, FileSpec, Target]]] = {}
    for tool, tool_specs in specs.items():
        for spec in tool_specs:
            target = read_target(spec.path)
            grouped.setdefault(target.resolved, []).append((tool, spec, target))
    return RunPlan(tuple(_plan_file(group, secrets) for group in grouped.values()))


def _plan_file(group: list[tuple[str, FileSpec, Target]], known: Sequence[str]) -> FilePlan:
    tool, spec, target = group[0]
    spec, tool_edits = merge_specs([(t, s) for t, s, _ in group])
    source = str(spec.path)
    old_text = _decode(target.data, source) if target.data is not None else None
    text = spec.new_file_text if old_text is None else old_text
    doc = formats.parse(spec.format, text, source)
    leaves, parents = expand_edits(doc, tool_edits, source)
    edits: list[Edit] = [te.edit for te in leaves]
    new_text = formats.apply_edits(spec.format, text, edits, source) if edits else text
    new_doc = formats.parse(spec.format, new_text, source) if edits else doc
    changes = tuple(_leaf_change(te, doc, new_doc, source) for te in leaves)
    action: Action = "unchanged" if not edits else ("created" if old_text is None else "modified")
    secrets = list(known) or secret_strings([te.edit for te in tool_edits])
    return FilePlan(
        tool=tool,
        path=spec.path,
        action=action,
        diff=redact(_diff(spec.path, old_text, new_text), secrets) if action != "unchanged" else "",
        purpose=spec.purpose,
        warnings=spec.warnings + _mode_warnings(spec, target, action),
        resolved=target.resolved,
        format=spec.format,
        holds_secret=spec.holds_secret,
        old_sha256=target.sha256,
        old_mode=target.mode,
        old_size=None if target.data is None else len(target.data),
        new_data=new_text.encode("utf-8", "surrogatepass"),
        changes=changes if action != "unchanged" else (),
        created_parents=parents if action != "unchanged" else (),
        created_dirs=missing_dirs(target.resolved.parent) if action == "created" else (),
        eol=_eol(target.data),
        bom=target.data is not None and target.data.startswith(b"\xef\xbb\xbf"),
    )


def _leaf_change(te: ToolEdit, doc: object, new_doc: object, source: str) -> LeafChange:
    before = lookup(doc, te.edit.path)
    after = lookup(new_doc, te.edit.path)
    if isinstance(te.edit, Set) and after is formats.MISSING:
        raise GlmplanError(
            f"{source}: setting {'.'.join(te.edit.path)} had no effect; not written."
        )
    return LeafChange(
        path=te.edit.path,
        tool=te.tool,
        before_present=before is not formats.MISSING,
        before_sha256=None if before is formats.MISSING else value_sha256(before),
        after_sha256=None if isinstance(te.edit, Delete) else value_sha256(after),
        secret=isinstance(te.edit, Set) and te.edit.secret,
        stamped=isinstance(te.edit, Set) and te.edit.stamped,
    )


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FormatError(source, line, col, "not valid UTF-8 text") from exc


def _diff(path: Path, old: str | None, new: str) -> str:
    old_lines = [] if old is None else old.splitlines(keepends=True)
    lines = difflib.unified_diff(
        old_lines,
        new.splitlines(keepends=True),
        fromfile="/dev/null" if old is None else f"a/{path}",
        tofile=f"b/{path}",
    )
    out: list[str] = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _mode_warnings(spec: FileSpec, target: Target, action: Action) -> tuple[str, ...]:
    loose = target.mode is not None and target.mode & 0o077
    if spec.holds_secret and action == "unchanged" and loose:
        return (
            f"{spec.path} holds the API key but others can read it "
            f"(mode {stat.filemode(target.mode or 0)[1:]}); run: chmod 600 {spec.path}",
        )
    return ()


def missing_dirs(directory: Path) -> tuple[Path, ...]:
    missing: list[Path] = []
    while not directory.exists() and directory != directory.parent:
        missing.append(directory)
        directory = directory.parent
    return tuple(reversed(missing))


def _eol(data: bytes | None) -> str:
    if not data or b"\n" not in data:
        return "none"
    return "crlf" if b"\r\n" in data else "lf"


def file_sha256(plan: FilePlan) -> str:
    return sha256_bytes(plan.new_data)
