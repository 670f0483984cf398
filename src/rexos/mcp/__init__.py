"""The Model Context Protocol server: every plug-in tool, for any MCP client.

:class:`~rexos.mcp.server.McpServer` answers JSON-RPC 2.0 messages (``initialize``,
``tools/list``, ``tools/call``, ``ping``); :mod:`rexos.mcp.transports` carries them over stdio
(one JSON message per line) or HTTP (``POST /mcp`` on loopback, JSON responses).
"""

from rexos.mcp.server import PROTOCOL_VERSION, McpServer, mcp_name
from rexos.mcp.transports import serve_http, serve_stdio

__all__ = ["PROTOCOL_VERSION", "McpServer", "mcp_name", "serve_http", "serve_stdio"]
