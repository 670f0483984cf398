"""The ticker database: indexes, devnet tokens from a manifest, the preferred chain."""

from __future__ import annotations

from rexos.agents.ticker import TickerDB, TokenInfo, manifest_entries, normalize_name
from rexos.chain.manifest import Manifest
from rexos.types import Address
from tests.unit.agents.ticker._support import devnet_entries, fake_address


def _manifest() -> Manifest:
    contracts = {
        "RexToken": Address(fake_address(31337, 1)),
        "DevToken:USDC": Address(fake_address(31337, 2)),
        "DevToken:ODD": Address(fake_address(31337, 3)),
        "RexV2Factory:alpha": Address(fake_address(31337, 4)),
    }
    return Manifest(31337, "pyevm", None, 0, 0, contracts, {})


def test_manifest_entries_keep_tokens_with_known_decimals_only() -> None:
    entries = manifest_entries(_manifest(), {"REX": 18, "USDC": 6}, {"USDC": "USD Coin"})
    assert entries == [
        (31337, "USDC", fake_address(31337, 2), 6, "USD Coin"),
        (31337, "REX", fake_address(31337, 1), 18, "REX"),
    ]


def test_bridged_tokens_are_named_so() -> None:
    peer = Manifest(31338, "pyevm", None, 0, 0, {"BridgedToken:REX": fake_address(31338, 1)}, {})
    assert manifest_entries(peer, {"REX": 18}, {"REX": "Rex"})[0][4] == "Rex (bridged)"


def test_normalize_name() -> None:
    assert normalize_name("ChainLink Token") == "chainlink"
    assert normalize_name("Wrapped Ether (dev)") == "wrapped ether"
    assert normalize_name("Token") == "token"


def test_home_chain_is_the_devnet_when_loaded() -> None:
    assert TickerDB([]).home_chain == 1
    db = TickerDB.build([], devnet_entries())
    assert db.home_chain == 31337 and db.has_devnet
    assert {t.chain_id for t in db.by_symbol("usdc")} == {31337, 31338}


def test_first_token_for_an_address_wins_and_lookups_ignore_case() -> None:
    address = Address(fake_address(1, 9))
    first = TokenInfo(1, address, "AAA", "Alpha", 18)
    db = TickerDB([first, TokenInfo(1, address, "BBB", "Beta", 6)])
    assert db.tokens == (first,)
    assert db.by_address(address.lower()) == (first,)
    assert db.by_name("ALPHA") == (first,) and db.by_symbol("aaa") == (first,)
    assert db.chains_listed(first) == 1 and not db.is_popular(first)


def test_popularity_counts_chains_of_the_same_token() -> None:
    tokens = [TokenInfo(c, Address(fake_address(c, 1)), "XYZ", "Xyz", 18) for c in (1, 10)]
    db = TickerDB(tokens)
    assert db.chains_listed(tokens[0]) == 2 and db.is_popular(tokens[1])
    assert db.symbols(popular=True) == {"XYZ"}
