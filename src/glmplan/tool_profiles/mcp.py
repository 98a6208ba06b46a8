"""The Z.ai MCP servers every MCP-capable tool gets, as neutral data; each profile spells them
in its own shape (Claude `http`, Roo `streamable-http`, Cline `streamableHttp`, OpenCode `remote`,
Crush `http`, Goose `streamable_http`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from glmplan.installer.edits import JSONValue
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


def server_entries(
    settings: SetupSettings, http_type: str, extra: Mapping[str, JSONValue] | None = None
) -> dict[str, JSONValue]:
    """The `mcpServers`-style shape most tools share (Claude, Roo, Cline, Crush): HTTP servers as
    `{type: http_type, url, headers}`, the vision server as `{type: "stdio", command, args, env}`,
    each followed by `extra` keys."""
    more = dict(extra or {})
    entries: dict[str, JSONValue] = {}
    for http in http_servers(settings):
        headers: dict[str, JSONValue] = dict(http.headers)
        entries[http.name] = {"type": http_type, "url": http.url, "headers": headers, **more}
    vision = vision_server(settings)
    args: list[JSONValue] = list(vision.args)
    env: dict[str, JSONValue] = dict(vision.env)
    entries[vision.name] = {
        "type": "stdio",
        "command": vision.command,
        "args": args,
        "env": env,
        **more,
    }
    return entries
