"""``rexos mcp``: serve every plug-in's tools to MCP clients over stdio or HTTP."""

from __future__ import annotations

import contextlib
import sys
from typing import Annotated, Literal

import typer

from rexos.cli.console import api_token, err
from rexos.cli.context import CliContext

__all__ = ["mcp", "register"]


def mcp(
    ctx: typer.Context,
    transport: Annotated[
        Literal["stdio", "http"], typer.Option(help="stdio (for local clients) or http.")
    ] = "stdio",
    port: Annotated[int, typer.Option(help="HTTP port on 127.0.0.1 (0: a free one).")] = 8765,
) -> None:
    """Serve the plug-ins' tools over the Model Context Protocol (funds-moving tools excluded).

    Over HTTP every request needs `Authorization: Bearer <token>` (the data directory's
    api.token, as for `rexos serve`), a loopback Host and no foreign Origin."""
    from rexos.mcp import McpServer, serve_http, serve_stdio
    from rexos.plugins import discover

    c: CliContext = ctx.obj
    tools = [t for p in discover().values() for t in p.tools]
    server = McpServer(tools, c)
    err.print(f"rexos MCP server: {len(server.tools)} tools over {transport}.")
    with contextlib.suppress(KeyboardInterrupt):
        if transport == "stdio":
            serve_stdio(server, sys.stdin, sys.stdout)
        else:
            token = api_token(c.settings.home, err)
            serve_http(server, token, port, on_ready=lambda url: err.print(f"listening on {url}"))


def register(app: typer.Typer) -> None:
    app.command("mcp")(mcp)
