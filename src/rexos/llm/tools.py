"""Tool calling: one turn of a chat model that may answer or ask for tool calls.

The turn types live in :mod:`rexos.llm.spec`; :func:`open_tool_model` in
:mod:`rexos.llm.factory`. Both are named here, where tool-calling callers look for them.
"""

from __future__ import annotations

from rexos.llm.factory import open_tool_model
from rexos.llm.spec import ToolCall, ToolModel, ToolTurn

__all__ = ["ToolCall", "ToolModel", "ToolTurn", "open_tool_model"]
