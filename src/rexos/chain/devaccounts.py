"""The well-known development accounts every local backend funds.

They are derived from the public test mnemonic that anvil and Hardhat use, so
the embedded py-evm chain, the py-evm devnet server and anvil agree on who
the deployer and the demo users are. They hold value only on local chains.
"""

from __future__ import annotations

from functools import lru_cache
from typing import cast

from eth_account import Account
from eth_account.signers.local import LocalAccount

__all__ = [
    "DEV_ACCOUNT_COUNT",
    "DEV_HD_PATH",
    "DEV_MNEMONIC",
    "dev_account",
    "dev_accounts",
    "dev_relayer",
]

DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_HD_PATH = "m/44'/60'/0'/0"
DEV_ACCOUNT_COUNT = 10

Account.enable_unaudited_hdwallet_features()


@lru_cache(maxsize=DEV_ACCOUNT_COUNT)
def dev_account(index: int) -> LocalAccount:
    """Return development account ``index`` (0 is the deployer)."""
    if not 0 <= index < DEV_ACCOUNT_COUNT:
        raise ValueError(f"dev account index out of range: {index}")
    account = Account.from_mnemonic(DEV_MNEMONIC, account_path=f"{DEV_HD_PATH}/{index}")
    return cast(LocalAccount, account)


def dev_accounts() -> list[LocalAccount]:
    """All development accounts, deployer first."""
    return [dev_account(i) for i in range(DEV_ACCOUNT_COUNT)]


@lru_cache(maxsize=1)
def dev_relayer() -> LocalAccount:
    """The devnet bridge relayer's key (index 10 of the test mnemonic). Backends do not fund
    it: the devnet's bridge deployment does, so it never shares a nonce with a user."""
    account = Account.from_mnemonic(DEV_MNEMONIC, account_path=f"{DEV_HD_PATH}/{DEV_ACCOUNT_COUNT}")
    return cast(LocalAccount, account)
