"""A small devnet deployment for the Ticker tests: fixed fake addresses on 31337 and 31338."""

from __future__ import annotations

from eth_utils.address import to_checksum_address

from rexos.agents.ticker import DevnetEntry

DEVNET_SYMBOLS = {"REX": 18, "WETH": 18, "USDC": 6, "USDT": 6, "WBTC": 8, "DAI": 18, "LINK": 18}
NAMES = {"REX": "Rex", "WETH": "Wrapped Ether", "USDC": "USD Coin", "USDT": "Tether USD"}


def fake_address(chain_id: int, n: int) -> str:
    return to_checksum_address(f"0x{chain_id:08x}{n:032x}")


def devnet_entries() -> list[DevnetEntry]:
    entries: list[DevnetEntry] = []
    for chain_id, suffix in ((31337, " (dev)"), (31338, " (bridged)")):
        for n, (symbol, decimals) in enumerate(DEVNET_SYMBOLS.items(), 1):
            name = NAMES.get(symbol, symbol) + suffix
            entries.append((chain_id, symbol, fake_address(chain_id, n), decimals, name))
    return entries
