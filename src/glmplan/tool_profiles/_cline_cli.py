"""The Cline CLI's `providers.json` (see `cline.py` for the facts and why both entries)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from glmplan.installer.edits import Delete, Edit, FileSpec, Format, JSONValue, Set
from glmplan.plan import EndpointKind, Region, classify_endpoint
from glmplan.tool_profiles._common import dig, read_object, str_at
from glmplan.tool_profiles.base import FileView, SetupSettings

PROVIDER = "zai-coding-plan"
OPENAI_COMPATIBLE = "openai-compatible"  # the id Cline's migration gives the extension's `openai`


def _wanted_settings(settings: SetupSettings) -> dict[str, JSONValue]:
    wanted: dict[str, JSONValue] = {
        "provider": PROVIDER,
        "apiKey": settings.api_key,
        "model": settings.model.id,
    }
    if settings.api_base:
        wanted["baseUrl"] = settings.endpoints.coding
    elif settings.region is Region.CHINA:
        wanted["apiLine"] = "china"
    return wanted


def _openai_settings(settings: SetupSettings) -> dict[str, JSONValue]:
    """What Cline's migration would copy from the extension files we write (see the docstring)."""
    return {
        "provider": OPENAI_COMPATIBLE,
        "apiKey": settings.api_key,
        "model": settings.model.id,
        "baseUrl": settings.endpoints.coding,
    }


def _owns_openai_entry(existing: dict[str, object] | None) -> bool:
    """No `openai-compatible` entry yet, or one on a Coding Plan endpoint (ours, or the copy
    Cline made from ours): a user's own OpenAI-compatible server is never touched."""
    current = dig(existing, ("providers", OPENAI_COMPATIBLE))
    if current is None:
        return True
    base = str_at(current, ("settings", "baseUrl"))
    return classify_endpoint(base) is EndpointKind.CODING_PLAN


def _entry_edits(
    existing: dict[str, object] | None, provider: str, wanted: dict[str, JSONValue], now: str
) -> list[Edit]:
    """One `providers.<id>` entry: settings, tokenSource, and Cline's `updatedAt` stamp."""
    entry = ("providers", provider)
    current = dig(existing, (*entry, "settings"))
    stale = [
        key
        for key in ("baseUrl", "apiLine")
        if isinstance(current, dict) and key in current and key not in wanted
    ]
    edits: list[Edit] = [Delete((*entry, "settings", key)) for key in stale]
    edits.append(Set((*entry, "settings"), wanted, secret=True))
    edits.append(Set((*entry, "tokenSource"), "manual"))
    stamp = dig(existing, (*entry, "updatedAt"))
    unchanged = (
        isinstance(current, dict)
        and not stale
        and all(current.get(k) == v for k, v in wanted.items())
        and isinstance(stamp, str)
    )
    # `updatedAt` moves only when the settings really change, so a re-run stays `unchanged`.
    # Cline re-stamps it on every run: `stamped` makes restore undo it whatever it holds then.
    if not unchanged:
        edits.append(Set((*entry, "updatedAt"), now, stamped=True))
    return edits


def providers_spec(settings: SetupSettings, path: Path, fs: FileView) -> FileSpec:
    """The CLI's providers.json: our provider, last used, and the entry Cline would migrate."""
    existing, _ = read_object(fs, path, Format.JSON)
    edits: list[Edit] = [Set(("lastUsedProvider",), PROVIDER)]
    if existing is not None and "version" not in existing:  # required by the CLI's schema
        edits.insert(0, Set(("version",), 1))
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    edits += _entry_edits(existing, PROVIDER, _wanted_settings(settings), now)
    if _owns_openai_entry(existing):
        edits += _entry_edits(existing, OPENAI_COMPATIBLE, _openai_settings(settings), now)
    return FileSpec(
        path,
        Format.JSON,
        tuple(edits),
        holds_secret=True,
        purpose="CLI provider settings",
        new_file_text='{\n  "version": 1,\n  "modes": {},\n  "providers": {}\n}\n',
    )
