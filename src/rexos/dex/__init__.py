"""Exact DEX pool maths and the SmartWallet router."""

from rexos.dex.pool import Pool, check_pair

__all__ = ["Pool", "check_pair"]
