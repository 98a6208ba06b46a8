"""The plan's facts as data, in one place: plans, limits, endpoints, models.

Sources: the plan FAQ (../shared/seed), PRODUCT.md's tables, tool-facts.md §10. A new model is a
one-line change to `MODELS`.
"""

from __future__ import annotations

import enum
import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from glmplan.errors import UsageError


class PlanName(enum.StrEnum):
    LITE = "lite"
    PRO = "pro"
    MAX = "max"


class Region(enum.StrEnum):
    GLOBAL = "global"
    CHINA = "china"


@dataclass(frozen=True)
class PlanLimits:
    name: PlanName
    title: str
    prompts_per_5h: int  # approximate, from the FAQ
    mcp_searches_per_month: int | None  # None: MCP not included
    mcp_included: bool


PLANS: dict[PlanName, PlanLimits] = {
    PlanName.LITE: PlanLimits(PlanName.LITE, "GLM Coding Plan Lite", 120, None, False),
    PlanName.PRO: PlanLimits(PlanName.PRO, "GLM Coding Plan Pro", 600, 1000, True),
    PlanName.MAX: PlanLimits(PlanName.MAX, "GLM Coding Plan Max", 2400, 4000, True),
}

HOSTS: dict[Region, str] = {
    Region.GLOBAL: "https://api.z.ai",
    Region.CHINA: "https://open.bigmodel.cn",
}

ANTHROPIC_PATH = "/api/anthropic"
CODING_PATH = "/api/coding/paas/v4"
GENERAL_PATH = "/api/paas/v4"  # the general API: billed separately, never configured
QUOTA_PATH = "/api/monitor/usage/quota/limit"
MCP_PATHS = {
    "web-search-prime": "/api/mcp/web_search_prime/mcp",
    "web-reader": "/api/mcp/web_reader/mcp",
    "zread": "/api/mcp/zread/mcp",
}
VISION_MCP_PACKAGE = "@z_ai/mcp-server"


@dataclass(frozen=True)
class Model:
    """A model the plan serves. `id` is the OpenAI-compatible spelling (Claude Code: `name`)."""

    id: str
    name: str
    context: int
    output: int
    supported: bool = True

    @property
    def anthropic_id(self) -> str:
        return self.name if self.id.startswith("glm-4.5") else self.id


MODELS: tuple[Model, ...] = (
    Model("glm-4.5", "GLM-4.5", 131072, 98304),
    Model("glm-4.5-air", "GLM-4.5-Air", 131072, 98304),
    Model("glm-4.6", "GLM-4.6", 204800, 131072),
    Model("glm-4.7", "GLM-4.7", 204800, 131072),
    Model("glm-5", "GLM-5", 204800, 131072),
    Model("glm-5-turbo", "GLM-5-Turbo", 204800, 131072),
    Model("glm-5.1", "GLM-5.1", 204800, 131072),
    Model("glm-5.2", "GLM-5.2", 1000000, 131072),
    Model("glm-4.5-x", "GLM-4.5-X", 131072, 98304, supported=False),
    Model("glm-4.5-airx", "GLM-4.5-AirX", 131072, 98304, supported=False),
    Model("glm-4.5-flash", "GLM-4.5-Flash", 131072, 98304, supported=False),
)
DEFAULT_MODEL = "glm-4.5"
DEFAULT_FAST_MODEL = "glm-4.5-air"


def find_model(raw: str) -> Model:
    """Look a model up case-insensitively; refuse the ones the plan does not serve."""
    wanted = raw.strip().lower()
    for model in MODELS:
        if model.id == wanted:
            if not model.supported:
                raise UsageError(
                    f"{model.name} is not supported by the GLM Coding Plan. "
                    f"Supported models: {', '.join(m.id for m in MODELS if m.supported)}"
                )
            return model
    # An unknown id may be a model newer than this catalogue: accept it, with generic limits.
    if not wanted.startswith("glm-") or any(c.isspace() for c in wanted):
        raise UsageError(
            f"Unknown model {raw!r}. Known models: {', '.join(m.id for m in MODELS if m.supported)}"
        )
    return Model(wanted, raw.strip().upper(), 204800, 131072)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_api_base(raw: str) -> str:
    """Scheme and host (and port) only; http only for loopback. Returns it without a trailing /."""
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--api-base must be an http(s) URL with a host, got {raw!r}")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise UsageError(
            f"--api-base {raw!r}: plain http is accepted only for loopback hosts "
            "(127.0.0.1, ::1, localhost); use https"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise UsageError(f"--api-base takes a scheme and host only (no path), got {raw!r}")
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class Endpoints:
    """Every URL a tool is pointed at, for one region or API base."""

    base: str

    @classmethod
    def for_region(cls, region: Region, api_base: str | None = None) -> Endpoints:
        return cls(validate_api_base(api_base) if api_base else HOSTS[region])

    @property
    def anthropic(self) -> str:
        return self.base + ANTHROPIC_PATH

    @property
    def coding(self) -> str:
        return self.base + CODING_PATH

    @property
    def quota(self) -> str:
        return self.base + QUOTA_PATH

    def mcp(self, server: str) -> str:
        return self.base + MCP_PATHS[server]


class EndpointKind(enum.StrEnum):
    CODING_PLAN = "coding plan"
    GENERAL = "general API: billed separately"
    OTHER = "other"
    NONE = "none"


def classify_endpoint(url: str | None) -> EndpointKind:
    """Which kind of Z.ai endpoint a URL a tool uses is."""
    if not url:
        return EndpointKind.NONE
    path = urlsplit(url).path.rstrip("/")
    if path.endswith(CODING_PATH) or path.endswith(ANTHROPIC_PATH):
        return EndpointKind.CODING_PLAN
    if path.endswith(GENERAL_PATH):
        return EndpointKind.GENERAL
    return EndpointKind.OTHER
