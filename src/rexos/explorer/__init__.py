"""Block-explorer reads: an address's history from the local index or an Etherscan-compatible
API.

:func:`local_history` reads token transfers out of the Database agent's DuckDB index (the
devnet, or any chain ``rexos index`` has read), offline. :class:`EtherscanClient` asks an
Etherscan-compatible API (``REXOS_ETHERSCAN_URL``, API v2 by default) for a real chain's
transactions, token transfers and balance. Amounts are ``int`` base units throughout.
"""

from rexos.explorer.errors import ExplorerError, ExplorerRateLimited
from rexos.explorer.etherscan import DEFAULT_ETHERSCAN_URL, MAX_RESULTS, EtherscanClient
from rexos.explorer.local import MAX_HISTORY, local_history
from rexos.explorer.records import (
    ExplorerTx,
    IndexedChain,
    IndexedTransfer,
    LocalHistory,
    TokenTransfer,
)

__all__ = [
    "DEFAULT_ETHERSCAN_URL",
    "MAX_HISTORY",
    "MAX_RESULTS",
    "EtherscanClient",
    "ExplorerError",
    "ExplorerRateLimited",
    "ExplorerTx",
    "IndexedChain",
    "IndexedTransfer",
    "LocalHistory",
    "TokenTransfer",
    "local_history",
]
