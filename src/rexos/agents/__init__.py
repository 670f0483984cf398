"""Agents: typed tools, the primitive agents (Wallet, Ticker, Chart, Database)."""
