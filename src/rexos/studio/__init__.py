"""Studio: agents defined by a ``rexos.agent/v1`` spec (YAML, no code path) composed from
installed tools, checked, tested by their evals, run within their declared permissions and
published to the Agent Market."""

from __future__ import annotations

__all__: list[str] = []
