"""The Ticker agent: token mentions in free text → (chain id, address, decimals).

:class:`TickerDB` indexes the devnet's tokens and token lists in the Token Lists standard
(the shipped Uniswap default list snapshot, or any list from a file or URL:
:func:`load_token_list`). :class:`TickerExtractor` finds ``$`` cashtags, symbols, names,
addresses and misspellings in text, ranks what each may mean (:class:`Candidate`, with a
reason) and resolves it only when that is not a guess. It never makes up an address.
"""

from rexos.agents.ticker.database import (
    DEVNET_CHAIN_ID,
    DevnetEntry,
    TickerDB,
    devnet_tokens,
    manifest_entries,
    normalize_name,
)
from rexos.agents.ticker.extract import Extraction, Mention, TickerExtractor, extract_mentions
from rexos.agents.ticker.library import TokenListLibrary
from rexos.agents.ticker.rank import Candidate
from rexos.agents.ticker.tokenlist import (
    TokenInfo,
    TokenList,
    load_snapshot,
    load_token_list,
    parse_token_list,
)

__all__ = [
    "DEVNET_CHAIN_ID",
    "Candidate",
    "DevnetEntry",
    "Extraction",
    "Mention",
    "TickerDB",
    "TickerExtractor",
    "TokenInfo",
    "TokenList",
    "TokenListLibrary",
    "devnet_tokens",
    "extract_mentions",
    "load_snapshot",
    "load_token_list",
    "manifest_entries",
    "normalize_name",
    "parse_token_list",
]
