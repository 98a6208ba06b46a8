"""Shared by the profile tests: settings as `setup` resolves them, and applying specs to disk."""

from __future__ import annotations

from glmplan.formats import apply_edits
from glmplan.installer.edits import FileSpec
from glmplan.plan import Endpoints, PlanName, Region, find_model
from glmplan.tool_profiles.base import SetupSettings


def make_settings(
    key: str,
    *,
    region: Region = Region.GLOBAL,
    api_base: str | None = None,
    model: str = "glm-4.5",
    mcp: bool = True,
) -> SetupSettings:
    return SetupSettings(
        plan=PlanName.PRO,
        region=region,
        endpoints=Endpoints.for_region(region, api_base),
        api_key=key,
        model=find_model(model),
        fast_model=find_model("glm-4.5-air"),
        mcp=mcp,
        api_base=api_base,
    )


def apply(specs: list[FileSpec]) -> bool:
    """Apply every spec to disk as the engine would; True when any file changed."""
    changed = False
    for spec in specs:
        old = spec.path.read_text() if spec.path.exists() else None
        new = apply_edits(spec.format, old or spec.new_file_text, spec.edits, str(spec.path))
        if new != old:
            spec.path.parent.mkdir(parents=True, exist_ok=True)
            spec.path.write_text(new)
            changed = True
    return changed
