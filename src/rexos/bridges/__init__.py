"""Bridge recommendation: normalise quotes from bridge APIs and rank them.

:class:`LifiClient`, :class:`AcrossClient` and :class:`BungeeClient` fetch
quotes and return :class:`BridgeQuote` values in one schema; :func:`rank`
scores them by received value minus gas on both chains, the value of waiting
and a trust penalty, and keeps every term of the breakdown.
"""

from rexos.bridges.clients import AcrossClient, BridgeSource, BungeeClient, LifiClient
from rexos.bridges.errors import BridgeError
from rexos.bridges.parse import parse_across, parse_bungee, parse_lifi
from rexos.bridges.rank import (
    DEFAULT_TRUST_PENALTY_BPS,
    DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    RankedQuote,
    rank,
)
from rexos.bridges.schema import TRUST_CLASSES, BridgeQuote, BridgeRequest, Trust
from rexos.bridges.trust import trust_of

__all__ = [
    "DEFAULT_TRUST_PENALTY_BPS",
    "DEFAULT_VALUE_OF_TIME_USD_PER_HOUR",
    "TRUST_CLASSES",
    "AcrossClient",
    "BridgeError",
    "BridgeQuote",
    "BridgeRequest",
    "BridgeSource",
    "BungeeClient",
    "LifiClient",
    "RankedQuote",
    "Trust",
    "parse_across",
    "parse_bungee",
    "parse_lifi",
    "rank",
    "trust_of",
]
