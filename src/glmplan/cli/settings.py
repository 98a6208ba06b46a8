"""Resolve what `setup` was asked for: tools, plan, region, models, MCP and the API key.

Key sources, first match wins: `--api-key-stdin`, env `ZAI_API_KEY`, the stored key, a hidden
prompt on a TTY. There is deliberately no `--api-key VALUE` option (shell history, argv).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import click

from glmplan import config
from glmplan.cli.errors import register_secret
from glmplan.errors import UsageError
from glmplan.paths import Paths
from glmplan.plan import PLANS, Endpoints, PlanName, Region, find_model, validate_api_base
from glmplan.secrets import looks_like_key
from glmplan.tool_profiles import TOOL_IDS
from glmplan.tool_profiles.base import SetupSettings


@dataclass(frozen=True)
class SetupRequest:
    plan: str | None
    region: str | None
    api_base: str | None
    model: str | None
    fast_model: str | None
    mcp: bool | None
    api_key_stdin: bool
    statusline: bool


def validate_tools(names: Sequence[str]) -> list[str]:
    unknown = [n for n in names if n not in TOOL_IDS]
    if unknown:
        raise UsageError(f"Unknown tool {unknown[0]!r}. Valid tools: {', '.join(TOOL_IDS)}")
    return list(dict.fromkeys(names))


def read_key(paths: Paths, from_stdin: bool, environ: Mapping[str, str]) -> tuple[str, str]:
    """(key, where it came from)."""
    if from_stdin:
        key, source = sys.stdin.readline().strip(), "stdin"
        if not key:
            raise UsageError("--api-key-stdin was given but standard input had no key")
    elif environ.get("ZAI_API_KEY", "").strip():
        key, source = environ["ZAI_API_KEY"].strip(), "ZAI_API_KEY"
    elif (stored := config.stored_key(paths)) is not None:
        key, source = stored, "stored"
    elif config.is_interactive():
        key, source = click.prompt("GLM Coding Plan API key", hide_input=True).strip(), "prompt"
    else:
        raise UsageError(
            "No API key: pass it on standard input with --api-key-stdin, set ZAI_API_KEY, "
            "or run interactively to be prompted (there is no --api-key option on purpose)."
        )
    register_secret(key)
    if not looks_like_key(key):
        raise UsageError("That does not look like an API key (spaces or odd characters in it)")
    return key, source


def resolve_plan(raw: str | None, stored: config.StoredSettings) -> PlanName:
    if raw:
        return PlanName(raw)
    if stored.plan is not None:
        return stored.plan
    if config.is_interactive():
        choice = click.prompt(
            "Your GLM Coding Plan", type=click.Choice([p.value for p in PlanName]), default="pro"
        )
        return PlanName(choice)
    raise UsageError(
        "Which plan do you have? Pass --plan lite|pro|max (it is stored for next time)."
    )


def resolve_settings(
    request: SetupRequest, paths: Paths, key: str, environ: Mapping[str, str]
) -> tuple[SetupSettings, config.StoredSettings]:
    stored = config.load_settings(paths)
    plan = resolve_plan(request.plan, stored)
    region = Region(request.region) if request.region else stored.region
    raw_base = request.api_base or environ.get("GLMPLAN_API_BASE") or stored.api_base
    api_base = validate_api_base(raw_base) if raw_base else None
    model = find_model(request.model or stored.model)
    fast = find_model(request.fast_model or stored.fast_model)
    limits = PLANS[plan]
    if request.mcp and not limits.mcp_included:
        raise UsageError(
            "The Lite plan does not include Z.ai's MCP servers (web search, web reader, vision); "
            "drop --mcp or upgrade to Pro/Max."
        )
    mcp = limits.mcp_included if request.mcp is None else request.mcp
    settings = SetupSettings(
        plan=plan,
        region=region,
        endpoints=Endpoints.for_region(region, api_base),
        api_key=key,
        model=model,
        fast_model=fast,
        mcp=mcp,
        api_base=api_base,
        statusline_command="glmplan statusline" if request.statusline else None,
    )
    new_stored = config.StoredSettings(
        plan=plan,
        region=region,
        api_base=request.api_base or stored.api_base,
        model=model.id,
        fast_model=fast.id,
        thresholds=stored.thresholds,
        interval=stored.interval,
    )
    return settings, new_stored
