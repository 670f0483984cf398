"""The venue registry: real factories for Ethereum, BNB Chain and opBNB, each with its source."""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_utils.crypto import keccak
from web3 import Web3

from rexos.chain import load_artifact
from rexos.dex.multicall import MULTICALL3_ADDRESS
from rexos.dex.venues import registry_venues
from rexos.errors import ConfigError, DexError

CHAINS = {1: "Ethereum", 56: "BNB Chain", 204: "opBNB"}


def test_each_chain_lists_its_factories_once_with_a_source() -> None:
    for chain_id, name in CHAINS.items():
        chain = registry_venues(chain_id)
        assert chain.name == name and chain.multicall == MULTICALL3_ADDRESS
        names = [v.name for v in chain.venues]
        assert len(names) == len(set(names))
        assert {"pancakeswap-v2", "pancakeswap-v3"} <= set(names)
        for venue in chain.venues:
            assert venue.factory == Web3.to_checksum_address(str(venue.factory))
            assert venue.source and venue.kind in ("v2", "v3")
            assert (venue.fee_bps is not None) == (venue.kind == "v2")
    assert {v.name for v in registry_venues(1).venues} >= {"uniswap-v2", "uniswap-v3"}


def test_the_uniswap_v3_init_code_hash_is_the_packaged_pool_bytecode() -> None:
    v3 = next(v for v in registry_venues(1).venues if v.name == "uniswap-v3")
    bytecode = load_artifact("UniswapV3Pool").bytecode
    assert v3.init_code_hash == "0x" + keccak(hexstr=bytecode).hex()


def test_an_unknown_chain_and_a_broken_file_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(DexError, match=r"no venues on chain 10 \(known: 1, 56, 204\)"):
        registry_venues(10)
    bad = tmp_path / "venues.toml"
    bad.write_text(
        '[chains.1]\nname = "x"\nmulticall3 = "0xcA11bde05977b3631167028862bE2a173976CA11"\n'
        '[[chains.1.venues]]\nname = "u"\nkind = "v2"\nsource = "s"\n'
        'factory = "0x5C69bEe701ef814a2B6a3EDD4B1652CB9cc5aA6F"\n'
    )
    with pytest.raises(ConfigError, match="checksum does not match"):
        registry_venues(1, bad)
