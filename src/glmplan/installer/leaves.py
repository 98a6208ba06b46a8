"""Turn a profile's edits into leaf edits against the current document.

A `Set` whose value is a dict is merged key by key into an existing (or missing) object, so the
user's other keys and comments inside it survive and restore can undo exactly our leaves.
No-op edits (same value already there, deleting what is absent) are dropped, which is what makes
a second identical run write nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from glmplan import formats
from glmplan.errors import GlmplanError
from glmplan.installer.edits import Delete, Edit, FileSpec, KeyPath, Set
from glmplan.installer.values import blocking_prefix, dotted, lookup, same_value


@dataclass(frozen=True)
class ToolEdit:
    tool: str
    edit: Edit


def merge_specs(group: Sequence[tuple[str, FileSpec]]) -> tuple[FileSpec, list[ToolEdit]]:
    """One spec for a file named by several profiles in one run; refuses contradicting edits."""
    first_tool, first = group[0]
    tool_edits = [ToolEdit(tool, e) for tool, spec in group for e in spec.edits]
    for tool, spec in group[1:]:
        if spec.format != first.format:
            raise GlmplanError(
                f"{spec.path}: {first_tool} edits it as {first.format.value} but {tool} as "
                f"{spec.format.value}; configure these tools in separate runs."
            )
    _refuse_contradictions(tool_edits, first)
    merged = dataclasses.replace(
        first,
        edits=tuple(te.edit for te in tool_edits),
        holds_secret=any(spec.holds_secret for _, spec in group),
        purpose=", ".join(dict.fromkeys(spec.purpose for _, spec in group if spec.purpose)),
        warnings=tuple(w for _, spec in group for w in spec.warnings),
    )
    return merged, tool_edits


def _refuse_contradictions(tool_edits: list[ToolEdit], spec: FileSpec) -> None:
    seen: dict[KeyPath, ToolEdit] = {}
    for te in tool_edits:
        other = seen.setdefault(te.edit.path, te)
        if other is te or other.tool == te.tool:
            continue
        if not (isinstance(te.edit, Set) and isinstance(other.edit, Set)) or not same_value(
            te.edit.value, other.edit.value
        ):
            raise GlmplanError(
                f"{spec.path}: {other.tool} and {te.tool} both want to set "
                f"{dotted(te.edit.path)} differently; configure them in separate runs."
            )


def expand_edits(
    doc: object, tool_edits: Sequence[ToolEdit], source: str
) -> tuple[list[ToolEdit], tuple[KeyPath, ...]]:
    """Leaf edits that change something, and the parent objects they will create."""
    by_path: dict[KeyPath, ToolEdit] = {}
    for te in tool_edits:
        for leaf in _expand(doc, te):
            by_path.pop(leaf.edit.path, None)  # a later edit of the same leaf wins
            by_path[leaf.edit.path] = leaf
    leaves = [te for te in by_path.values() if _changes_something(doc, te.edit, source)]
    return leaves, _created_parents(doc, leaves)


def _expand(doc: object, te: ToolEdit) -> Iterator[ToolEdit]:
    edit = te.edit
    if isinstance(edit, Set) and isinstance(edit.value, dict) and edit.value:
        current = lookup(doc, edit.path)
        if current is formats.MISSING or isinstance(current, dict):
            for key, value in edit.value.items():
                child = dataclasses.replace(edit, path=(*edit.path, key), value=value)
                yield from _expand(doc, ToolEdit(te.tool, child))
            return
    yield te


def _changes_something(doc: object, edit: Edit, source: str) -> bool:
    if not edit.path:
        raise GlmplanError(f"{source}: an edit with an empty key path was asked for.")
    blocked = blocking_prefix(doc, edit.path)
    if blocked is not None:
        raise GlmplanError(
            f"{source}: {dotted(blocked)} is not an object, so glmplan cannot set "
            f"{dotted(edit.path)} inside it. Fix the file or skip this tool."
        )
    current = lookup(doc, edit.path)
    if isinstance(edit, Delete):
        return current is not formats.MISSING
    return current is formats.MISSING or not same_value(current, edit.value)


def _created_parents(doc: object, leaves: Sequence[ToolEdit]) -> tuple[KeyPath, ...]:
    created: dict[KeyPath, None] = {}
    for te in leaves:
        if isinstance(te.edit, Set):
            for i in range(1, len(te.edit.path)):
                prefix = te.edit.path[:i]
                if lookup(doc, prefix) is formats.MISSING:
                    created[prefix] = None
    return tuple(created)
