"""Environment variables in the user's shell that override what `setup` wrote."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from glmplan.doctor.model import Check, Level
from glmplan.paths import Paths
from glmplan.plan import EndpointKind, classify_endpoint
from glmplan.secrets import mask

# variable → (tools it affects, why it matters)
OVERRIDES: dict[str, tuple[str, str]] = {
    "ANTHROPIC_API_KEY": (
        "claude-code",
        "Claude Code sends it as x-api-key beside the plan's token",
    ),
    "ANTHROPIC_AUTH_TOKEN": ("claude-code", "replaces the key setup wrote into settings.json"),
    "ANTHROPIC_BASE_URL": ("claude-code", "replaces the endpoint setup wrote"),
    "ANTHROPIC_MODEL": ("claude-code", "replaces the model setup chose"),
    "ANTHROPIC_SMALL_FAST_MODEL": ("claude-code", "replaces the fast model setup chose"),
    "ZHIPU_API_KEY": ("opencode, cline, kilo-code", "the built-in Z.ai providers read it"),
    "OPENAI_BASE_URL": ("OpenAI-compatible clients", "may send requests elsewhere"),
    "OPENAI_API_KEY": ("OpenAI-compatible clients", "may replace the plan's key"),
    "GOOSE_PROVIDER": ("goose", "outranks GOOSE_PROVIDER in config.yaml"),
    "GOOSE_MODEL": ("goose", "outranks GOOSE_MODEL in config.yaml"),
    "OPENCODE_CONFIG_CONTENT": ("opencode", "inline config loaded over the config file"),
    "KILO_CONFIG_CONTENT": ("kilo-code", "inline config loaded over the config file"),
}

RC_FILES = (
    ".bashrc",
    ".bash_profile",
    ".profile",
    ".zshrc",
    ".zprofile",
    ".zshenv",
    ".config/fish/config.fish",
)


def find_in_rc_files(home: Path, var: str) -> list[str]:
    """`path:line` of each place an rc file sets `var` (export VAR=, VAR=, set -gx VAR)."""
    pattern = re.compile(rf"^\s*(?:export\s+|set\s+-[a-zA-Z]*x[a-zA-Z]*\s+)?{re.escape(var)}[=\s]")
    hits: list[str] = []
    for name in RC_FILES:
        path = home / name
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        except OSError:
            continue
        hits.extend(f"{path}:{n}" for n, line in enumerate(lines, 1) if pattern.match(line))
    return hits


def _describe(var: str, value: str) -> str:
    if var.endswith(("_KEY", "_TOKEN")):
        return mask(value)
    return value if len(value) <= 80 else value[:77] + "..."


def env_override_checks(
    paths: Paths, env: Mapping[str, str], endpoints: tuple[str, ...]
) -> list[Check]:
    """One check per overriding variable set in `env` (values equal to ours are fine)."""
    checks: list[Check] = []
    for var, (tools, why) in OVERRIDES.items():
        value = env.get(var)
        if not value or value in endpoints:
            continue
        where = find_in_rc_files(paths.home, var)
        level = Level.WARN
        if var.endswith("BASE_URL") and classify_endpoint(value) is EndpointKind.GENERAL:
            level = Level.FAIL
        place = (
            f"set in {', '.join(where)}"
            if where
            else "set in the environment (not found in rc files)"
        )
        checks.append(
            Check(
                "env-override",
                None,
                level,
                f"{var}={_describe(var, value)} is {place}",
                f"Affects {tools}: {why}.",
                f"Remove it from {where[0]}" if where else f"unset {var}",
            )
        )
    if not checks:
        checks.append(
            Check("env-override", None, Level.OK, "No shell variable overrides the setup")
        )
    return checks
