"""The layers of RexOS, bottom up: written once here, held by ``tests/unit/test_layers.py``.

A unit is a top-level module or package under ``rexos/`` (``rexos`` itself is the package's
``__init__``). A unit may import units of its own layer or of lower ones, never of a higher
one; within a layer, imports are allowed only while no two packages import each other
(directly or round a longer loop). So the explorer and the bot may use the Database and
Wallet agents beside them, and the agents may never use the explorer or the bot.

``deployment`` deploys the contracts of several services (the economy, DPrompt, the DEX,
the bridge) as one: it composes services and only the edges call it, so it sits with the
composition layer rather than with the services it joins.
"""

from __future__ import annotations

__all__ = ["LAYERS", "layer_of"]

LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "foundation",
        frozenset(
            {
                "rexos",
                "_toml",
                "bounds",
                "config",
                "contracts",
                "errors",
                "hashed_model",
                "jsonread",
                "layers",
                "localguard",
                "locks",
                "outside_http",
                "private_files",
                "sqlite",
                "types",
            }
        ),
    ),
    (
        "adapters",
        frozenset(
            {
                "chain",
                "chainindex",
                "compliance",
                "explorer",
                "llm",
                "news",
                "perps",
                "prices",
                "search",
                "social",
            }
        ),
    ),
    (
        "services",
        frozenset({"airdrop", "bot", "bridges", "dex", "dprompt", "economy", "market", "opml"}),
    ),
    ("agents", frozenset({"agents"})),
    (
        "composition",
        frozenset({"deployment", "lense", "mcp", "orchestrator", "plugins", "studio"}),
    ),
    ("edges", frozenset({"api", "cli", "web"})),
)
"""``(layer name, units)`` from the bottom (foundation) to the top (edges)."""


def layer_of(unit: str) -> int:
    """The rank of ``unit`` (0: foundation); ``KeyError`` when no layer holds it."""
    for rank, (_, units) in enumerate(LAYERS):
        if unit in units:
            return rank
    raise KeyError(unit)
