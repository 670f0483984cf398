"""The services RexOS offers, by name, and the one table that says which entry is which.

A jurisdiction policy bars *services* (``exchange``, ``trading-info``, …), never commands:
every way in — a CLI command, an API route or web page, an MCP tool, a kind of transaction
the Wallet agent signs — is mapped here onto the service it provides, so one rule covers a
swap typed at the CLI, asked for in chat and signed at the gateway. An entry mapped to
``None`` does no regulated work (help, local set-up, the data directory's own settings) and
is not checked; the tests hold every CLI command, plug-in tool and action kind to this table,
so a new entry must be classified here before it ships.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["ENTRIES", "SERVICES", "EntryKind", "Service", "route_of", "service_of"]

Service = Literal[
    "exchange",
    "trading-info",
    "token-issuance",
    "rwa-tokenisation",
    "transfer",
    "bridge",
    "staking",
    "ai-answers",
    "agent-market",
    "information",
    "portfolio",
    "contract-call",
    "other",
]

SERVICES: dict[Service, str] = {
    "exchange": "exchange and swap of virtual currencies (swaps, unattended trading)",
    "trading-info": "pricing and intermediary information for trading (quotes, routes, "
    "venue comparisons, price charts)",
    "token-issuance": "token issuance and fundraising (token distributions such as airdrops)",
    "rwa-tokenisation": "real-world-asset tokenisation (no RexOS entry offers it yet)",
    "transfer": "sending and approving tokens from the user's wallet",
    "bridge": "moving tokens between chains",
    "staking": "staking REX, claiming rewards, releasing vested tokens",
    "ai-answers": "answers from AI models (chat, DPrompt, questions over data)",
    "agent-market": "buying, selling and rating agents on the Agent Market",
    "information": "news, search, social posts and on-chain history",
    "portfolio": "balances and reports of the user's own holdings",
    "contract-call": "a call to a contract the Wallet agent cannot interpret",
    "other": "an entry this table does not know (a third-party plug-in's tool)",
}
"""Every service, with what it covers (``rexos compliance show`` prints this)."""

EntryKind = Literal["cli", "api", "tool", "action", "intent"]

ENTRIES: dict[str, Service | None] = {
    # CLI commands: "cli:<command path>"; a group's own entry covers its commands not listed.
    "cli:swap": "exchange",
    "cli:bot": "exchange",
    "cli:bot list": "portfolio",
    "cli:bot remove": None,
    "cli:quote": "trading-info",
    "cli:route": "trading-info",
    "cli:perps": "trading-info",
    "cli:chart": "trading-info",
    "cli:airdrop": "token-issuance",
    "cli:airdrop check": "information",
    "cli:send": "transfer",
    "cli:bridge": "bridge",
    "cli:relayer": "bridge",
    "cli:stake": "staking",
    "cli:unstake": "staking",
    "cli:claim": "staking",
    "cli:points": "portfolio",
    "cli:position": "portfolio",
    "cli:vesting": "staking",
    "cli:economy": "information",
    "cli:ask": "ai-answers",
    "cli:chat": "ai-answers",
    "cli:intent": "ai-answers",
    "cli:sql": "ai-answers",
    "cli:dprompt": "ai-answers",
    "cli:provider": "ai-answers",
    "cli:lense": "portfolio",
    "cli:lense ask": "ai-answers",
    "cli:market": "agent-market",
    "cli:studio": "agent-market",
    "cli:studio new": None,
    "cli:studio validate": None,
    "cli:studio hash": None,
    "cli:studio export": None,
    "cli:studio list": None,
    "cli:studio tools": None,
    "cli:wallet": None,
    "cli:wallet balance": "portfolio",
    "cli:index": "information",
    "cli:history": "information",
    "cli:news": "information",
    "cli:search": "information",
    "cli:social": "information",
    "cli:ticker": "information",
    "cli:serve": None,  # each route is checked as it is called
    "cli:mcp": None,  # each tool is checked as it is called
    "cli:devnet": None,
    "cli:demo": None,
    "cli:policy": None,
    "cli:compliance": None,
    "cli:fees": "ai-answers",
    "cli:fees services": "information",
    "cli:fees quote": "information",
    # API routes and web pages: "api:<path prefix>"; the longest matching prefix decides.
    "api:/v1/health": None,
    "api:/v1/chat": "ai-answers",
    "api:/v1/plans": "ai-answers",
    "api:/v1/lense": "portfolio",
    "api:/v1/market": "agent-market",
    "api:/lense": "portfolio",
    "api:/market": "agent-market",
    "api:/studio": "agent-market",
    "api:/airdrop": "token-issuance",
    "api:/login": None,
    "api:/logout": None,
    "api:/static": None,
    "api:/openapi.json": None,
    "api:/": None,
    # Plug-in tools (the chat's and MCP's): "tool:<name>"; a plug-in's own entry covers the rest.
    "tool:dex": "trading-info",
    "tool:prices": "trading-info",
    "tool:perps": "trading-info",
    "tool:chart": "trading-info",
    "tool:bridge": "bridge",
    "tool:bot": "exchange",
    "tool:bot.list": "portfolio",
    "tool:bot.remove": None,
    "tool:chain": "portfolio",
    "tool:explorer": "information",
    "tool:lense": "portfolio",
    "tool:lense.ask": "ai-answers",
    "tool:market": "agent-market",
    "tool:news": "information",
    "tool:search": "information",
    "tool:social": "information",
    # Transactions the Wallet agent signs: "action:<kind>" (the kinds classify reads).
    "action:transfer": "transfer",
    "action:approve": "transfer",
    "action:swap": "exchange",
    "action:stake": "staking",
    "action:unstake": "staking",
    "action:claim": "staking",
    "action:vesting_release": "staking",
    "action:bridge": "bridge",
    "action:dprompt_deposit": "ai-answers",
    "action:dprompt_request": "ai-answers",
    "action:dprompt_challenge": "ai-answers",
    "action:dprompt_settle": "ai-answers",
    "action:dprompt_withdraw": "ai-answers",
    "action:provider_stake": "ai-answers",
    "action:provider_withdraw": "ai-answers",
    "action:market_deposit": "agent-market",
    "action:market_withdraw": "agent-market",
    "action:market_buy": "agent-market",
    "action:market_settle": "agent-market",
    "action:market_rate": "agent-market",
    "action:market_claim": "agent-market",
    "action:market_list": "agent-market",
    "action:airdrop_claim": "token-issuance",
    "action:airdrop_bind": "token-issuance",
    "action:airdrop_sweep": "token-issuance",
    "action:fee_payment": "ai-answers",
    "action:points_spend": "ai-answers",
    "action:call": "contract-call",
    # The chat's plan steps: "intent:<name>" (what a step does, before any tool or signature).
    "intent:swap": "exchange",
    "intent:send": "transfer",
    "intent:stake": "staking",
    "intent:unstake": "staking",
    "intent:claim": "staking",
    "intent:price": "trading-info",
    "intent:chart": "trading-info",
    "intent:perp": "trading-info",
    "intent:bridge": "bridge",
    "intent:ask": "ai-answers",
    "intent:query": "information",
    "intent:balance": "portfolio",
    "intent:portfolio": "portfolio",
    "intent:points": "portfolio",
    "intent:performance": "portfolio",
}
"""``"<kind>:<name>"`` → the service it provides (``None``: not checked)."""


def service_of(kind: EntryKind, name: str) -> Service | None:
    """The service entry ``name`` of ``kind`` provides; ``"other"`` when the table has none.

    ``cli``: the command path (``"market buy"``); its group's entry (``"market"``) covers
    commands not listed. ``api``: the request path; the longest listed prefix that ends at a
    ``/`` or the path's end decides. ``tool``: the tool name (``"dex.quote"``); its plug-in's
    entry (``"dex"``) covers the rest. ``action``: a Wallet agent action kind. ``intent``: a
    chat plan step's intent (``"swap"``, ``"price"``).
    """
    if kind == "api":
        return route_of(name)[1]
    words = name.split(" ") if kind == "cli" else name.split(".") if kind == "tool" else [name]
    separator = " " if kind == "cli" else "."
    for size in range(len(words), 0, -1):
        key = f"{kind}:{separator.join(words[:size])}"
        if key in ENTRIES:
            return ENTRIES[key]
    return "other"


def route_of(path: str) -> tuple[str, Service | None]:
    """The table's entry for request ``path`` (its longest listed prefix, ``api:?`` when none)
    and its service. The entry, not the path, is what a log records: a path may hold an
    address."""
    best: tuple[str, Service | None] = ("api:?", "other")
    for key, service in ENTRIES.items():
        prefix = key.removeprefix("api:")
        if prefix == key or (best[0] != "api:?" and len(key) <= len(best[0])):
            continue
        if path == prefix or (prefix != "/" and path.startswith(prefix + "/")):
            best = (key, service)
    return best
