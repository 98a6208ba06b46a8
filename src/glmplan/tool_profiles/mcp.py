"""The Z.ai MCP servers every MCP-capable tool gets, as neutral data; each profile spells them
in its own shape (Claude `http`, Roo `streamable-http`, Cline `streamableHttp`, OpenCode `remote`,
Crush `http`, Goose `streamable_http`)."""

from __future__ import annotations

from dataclasses import dataclass

from glmplan.plan import VISION_MCP_PACKAGE, Region
from glmplan.tool_profiles.base import SetupSettings


@dataclass(frozen=True)
class HttpServer:
    name: str
    url: str
    headers: dict[str, str]
    description: str


@dataclass(frozen=True)
class StdioServer:
    name: str
    command: str
    args: tuple[str, ...]
    env: dict[str, str]
    description: str


VISION_SERVER_NAME = "zai-mcp-server"
HTTP_SERVER_NAMES = ("web-search-prime", "web-reader")
ALL_SERVER_NAMES = (*HTTP_SERVER_NAMES, VISION_SERVER_NAME)


def http_servers(settings: SetupSettings) -> list[HttpServer]:
    auth = {"Authorization": f"Bearer {settings.api_key}"}
    return [
        HttpServer(
            "web-search-prime",
            settings.endpoints.mcp("web-search-prime"),
            dict(auth),
            "Z.ai web search (GLM Coding Plan)",
        ),
        HttpServer(
            "web-reader",
            settings.endpoints.mcp("web-reader"),
            dict(auth),
            "Z.ai web reader (GLM Coding Plan)",
        ),
    ]


def vision_server(settings: SetupSettings) -> StdioServer:
    # @z_ai/mcp-server defaults to the China platform when Z_AI_MODE is unset (tool-facts §10).
    env = {"Z_AI_API_KEY": settings.api_key, "Z_AI_MODE": "ZAI"}
    if settings.region is Region.CHINA:
        env["Z_AI_MODE"] = "ZHIPU"
    return StdioServer(
        VISION_SERVER_NAME,
        "npx",
        ("-y", VISION_MCP_PACKAGE),
        env,
        "Z.ai vision understanding (GLM Coding Plan, needs Node >= 22)",
    )
