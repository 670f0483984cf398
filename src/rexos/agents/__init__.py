"""Agents: typed tools, the primitive agents (Wallet, Ticker, Chart, Database)."""

__all__: list[str] = []
