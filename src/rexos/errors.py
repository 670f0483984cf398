"""The one exception tree of RexOS.

Everything raised to a user subclasses :class:`RexosError`. Adapters catch
third-party exceptions and re-raise one of these ``from`` the original. The
CLI prints ``str(error)`` on one line and exits with status 2.

The tree below is every subclass there is (``tests/unit/test_error_tree.py`` holds it to
the code: each class, its parent, and in parentheses the module under ``rexos`` of a class
declared beside the code that raises it rather than here)::

    RexosError
    ├── UsageError                 the caller asked for something invalid
    │   ├── InvalidAmount          zero, negative, non-numeric, too many decimals
    │   ├── InvalidAddress         not a 20-byte hex address
    │   ├── UnknownAccount         no keystore wallet or address by that name
    │   ├── ConfigError            bad genesis file, settings or option
    │   │   └── PluginLoadError (plugins.registry)  an entry point that is not a Plugin
    │   ├── InsufficientBalance    more than the account holds or has staked
    │   ├── UnsafeQuery            SQL the Database agent refuses to run
    │   ├── ToolInputError (agents.tool)  a tool's arguments did not validate
    │   ├── PolicyDenied (agents.wallet.agent)  the wallet policy refused; names the rule
    │   ├── ComplianceRefused      the compliance gate refused (jurisdiction or sanctions);
    │   │                          names the rule
    │   ├── TradeBlocked (bot.scheduler)  a trade the bot may not make unattended
    │   ├── StepError (orchestrator.executors)  a plan step that cannot run as asked
    │   └── SpecError (studio.errors)  an unsafe or invalid agent spec
    ├── KeystoreError              keystore files and passphrases
    │   ├── WrongPassphrase
    │   └── PassphraseMissing
    ├── ChainError                 talking to a chain
    │   ├── RpcUnavailable         node down or unreachable
    │   ├── TransactionReverted    the EVM reverted; ``reason`` holds the string
    │   ├── TransactionFailed      sent but not mined or mined with status 0
    │   ├── DeploymentNotFound     no deployment manifest for this chain
    │   └── DevnetError            starting or stopping a local node failed
    ├── DexError                   quoting, routing or executing a swap
    │   ├── InsufficientLiquidity  a pool cannot fill the amount (reserves, price limit)
    │   └── NoRoute                no path of pools joins the two tokens
    ├── ModelError                 loading or running a language model
    │   ├── ModelUnavailable       weights missing or corrupt, endpoint down, timed out
    │   └── ModelOutputError       the model or endpoint answered something unusable
    ├── StorageError               a file or folder in the data directory
    │   ├── StoreUnreadable        a SQLite store that is corrupt, not a database or unopenable
    │   └── SecretFileInvalid      a key file that exists but is not exactly the key's length
    ├── Locked                     another process (or thread) holds a lock: one signer per
    │                              wallet, one server or bot per data directory
    ├── DependencyMissing          an optional extra is not installed
    ├── PerpsError                 a perp venue failed or answered something unusable
    │   ├── MarketNotListed (perps.errors)  the venue lists no perpetual on that asset
    │   └── HttpNotFound (perps._http)  HTTP 404 from a venue (read as MarketNotListed)
    ├── BridgeError (bridges.errors)  a bridge quote API or the devnet bridge failed
    ├── ChartError (agents.chart.errors)  a chart could not be built, checked or rendered
    │   └── NoChartData (agents.chart.errors)  nothing to draw; no data is invented
    ├── ExplorerError (explorer.errors)  an explorer API failed or answered garbage
    │   └── ExplorerRateLimited (explorer.errors)  rate-limited through every retry
    ├── NewsError (news.errors)    a feed could not be fetched or is not RSS/Atom
    ├── PriceError (prices.coingecko)  a price source failed or answered garbage
    ├── SocialError (social.errors)  a social network's API failed or answered garbage
    └── SearchError (search.searx)  the search engine failed or answered garbage

Private subclasses (``_Revert`` in :mod:`rexos.dex.stable`) never leave their module and
are not drawn.
"""

from __future__ import annotations

__all__ = [
    "ChainError",
    "ComplianceRefused",
    "ConfigError",
    "DependencyMissing",
    "DeploymentNotFound",
    "DevnetError",
    "DexError",
    "InsufficientBalance",
    "InsufficientLiquidity",
    "InvalidAddress",
    "InvalidAmount",
    "KeystoreError",
    "Locked",
    "ModelError",
    "ModelOutputError",
    "ModelUnavailable",
    "NoRoute",
    "PassphraseMissing",
    "PerpsError",
    "RexosError",
    "RpcUnavailable",
    "SecretFileInvalid",
    "StorageError",
    "StoreUnreadable",
    "TransactionFailed",
    "TransactionReverted",
    "UnknownAccount",
    "UnsafeQuery",
    "UsageError",
    "WrongPassphrase",
]


class RexosError(Exception):
    """Base of every error RexOS raises to its users."""


class UsageError(RexosError):
    """The caller asked for something that cannot be done as asked."""


class InvalidAmount(UsageError):
    """An amount that is zero, negative, not a number or too precise."""


class InvalidAddress(UsageError):
    """A string that is not an EVM address."""


class UnknownAccount(UsageError):
    """No wallet or address matches the name given."""


class ConfigError(UsageError):
    """A setting, option or genesis file is invalid."""


class ComplianceRefused(UsageError):
    """The compliance gate refused a service: a jurisdiction rule or a sanctions list.

    ``rule`` names what decided (``jurisdiction.CN``, ``sanctions.ofac-sdn``, ``policy``);
    the message is one line that names it too.
    """

    def __init__(self, message: str, *, rule: str) -> None:
        self.rule = rule
        super().__init__(message)


class InsufficientBalance(UsageError):
    """The account holds (or has staked) less than the amount asked for."""


class KeystoreError(RexosError):
    """A keystore file cannot be created, read or decrypted."""


class WrongPassphrase(KeystoreError):
    """The passphrase does not decrypt the keystore."""


class PassphraseMissing(KeystoreError):
    """No passphrase was given and none can be asked for."""


class ChainError(RexosError):
    """A failure while talking to a chain."""


class RpcUnavailable(ChainError):
    """The JSON-RPC endpoint cannot be reached."""


class TransactionReverted(ChainError):
    """The EVM reverted the call or transaction.

    ``reason`` is the decoded revert string (``"StakedRex: ZERO_AMOUNT"``) or a
    description of the custom error; it is empty when the EVM gave none.
    """

    def __init__(self, reason: str, *, action: str = "") -> None:
        self.reason = reason
        self.action = action
        prefix = f"{action} reverted" if action else "transaction reverted"
        super().__init__(f"{prefix}: {reason}" if reason else f"{prefix} (no reason given)")


class TransactionFailed(ChainError):
    """A transaction was sent but did not succeed."""


class DeploymentNotFound(ChainError):
    """No deployment manifest exists for the selected chain."""


class DevnetError(ChainError):
    """A local development node could not be started or stopped."""


class ModelError(RexosError):
    """A language model could not be loaded or run."""


class ModelUnavailable(ModelError):
    """Weights are missing or corrupt, or an endpoint cannot be reached in time."""


class ModelOutputError(ModelError):
    """The model or endpoint answered with something that cannot be used."""


class Locked(RexosError):
    """Another process (or thread) holds an exclusive lock; the message says what and which
    pid."""


class StorageError(RexosError):
    """A file or folder in the data directory cannot be created, opened or read."""


class StoreUnreadable(StorageError):
    """A SQLite store is corrupt, not a database, locked or cannot be opened; the message
    names the file and what to do."""


class SecretFileInvalid(StorageError):
    """A secret key file exists but does not hold exactly the key's length (empty,
    truncated or longer): it is refused, never used or replaced silently."""


class DependencyMissing(RexosError):
    """An optional dependency is missing; the message names the extra."""


class DexError(RexosError):
    """Quoting, routing or executing a swap failed."""


class InsufficientLiquidity(DexError):
    """A pool cannot fill the amount: too little reserve, or the price limit was reached."""


class NoRoute(DexError):
    """No path of pools joins the sell token to the buy token."""


class PerpsError(RexosError):
    """A perpetual-futures venue could not be reached or answered something unusable."""


class UnsafeQuery(UsageError):
    """A SQL query the Database agent refuses: not one read-only SELECT over the index."""
