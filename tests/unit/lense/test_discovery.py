"""Discovery on a real anvil devnet: balances, history tokens, LP, stake, rewards, points,
vesting and spam verdicts, checked against the contracts read one call at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web3 import Web3

from rexos.agents.database import index_chain, index_path
from rexos.chain import AnvilChain, Manifest
from rexos.chain.devnet import PEER_CHAIN_ID
from rexos.config import Settings
from rexos.dex.multicall import MULTICALL3_ADDRESS
from rexos.errors import RpcUnavailable, UsageError
from rexos.lense.discovery import discover
from rexos.lense.discovery_source import ChainSource, chain_sources
from rexos.lense.model import NATIVE, Discovery
from rexos.lense.positions import POINTS_PREFIX
from rexos.orchestrator.workspace import LocalWorkspace
from rexos.types import Address
from tests.unit.lense.discovery_chain import DEPLOYER, OWNER, Devnet, address, build

pytestmark = pytest.mark.anvil


@pytest.fixture(scope="module")
def net() -> Iterator[Devnet]:
    chain = AnvilChain()
    try:
        yield build(chain)
    finally:
        chain.close()


def source(net: Devnet, **extra: object) -> ChainSource:
    return ChainSource(net.manifest.chain_id, net.web3, net.manifest, **extra)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def found(net: Devnet) -> Discovery:
    return discover([source(net, tokens=(net.extra["LZ"],))], address(OWNER))


def _erc20(net: Devnet, token: str, fn: str, *args: object, block: int) -> int:
    contract = net.contract(token, "DevToken")
    return int(getattr(contract.functions, fn)(*args).call(block_identifier=block))


def expected(net: Devnet, block: int) -> set[tuple[str, str, int]]:
    """Every non-zero position of the owner, each read by its own ``eth_call``."""
    who, contracts = address(OWNER), net.manifest.contracts
    tokens = [contracts["RexToken"], *(a for k, a in contracts.items() if k.startswith("Dev"))]
    tokens += [net.extra["PLN"], net.extra["USDС"], net.extra["LZ"]]
    found = {("balance", NATIVE, int(net.web3.eth.get_balance(who, block_identifier=block)))}
    for token in tokens:
        if token != contracts["DevV3Liquidity"]:
            found.add(("balance", token, _erc20(net, token, "balanceOf", who, block=block)))
    found.add(
        ("lp", net.extra["pair"], _erc20(net, net.extra["pair"], "balanceOf", who, block=block))
    )
    staked = net.contract("StakedRex", "StakedRex").functions
    rex = contracts["RexToken"]
    found.add(
        ("stake", contracts["StakedRex"], int(staked.balanceOf(who).call(block_identifier=block)))
    )
    found.add(("rewards", rex, int(staked.earned(who).call(block_identifier=block))))
    found.add(
        (
            "points",
            POINTS_PREFIX + contracts["StakedRex"],
            int(staked.points(who).call(block_identifier=block)),
        )
    )
    vesting = net.contract("RexVesting:team_advisors", "RexVesting").functions
    releasable = int(vesting.releasable(rex).call(block_identifier=block))
    held = _erc20(net, rex, "balanceOf", contracts["RexVesting:team_advisors"], block=block)
    found |= {("rewards", rex, releasable), ("vesting", rex, held - releasable)}
    return {entry for entry in found if entry[2] > 0}


def test_finds_exactly_the_wallets_positions(net: Devnet, found: Discovery) -> None:
    block = found.blocks[net.manifest.chain_id]
    got = {(p.kind, p.asset.token, p.amount) for p in found.positions}
    assert got == expected(net, block)
    assert len(got) == len(found.positions)


def test_amounts_are_what_the_wallet_was_given(net: Devnet, found: Discovery) -> None:
    by = {(p.kind, p.asset.symbol): p.amount for p in found.positions}
    assert by["balance", "WETH"] == 20 * 10**18
    assert by["balance", "USDC"] == 60_000 * 10**6
    assert by["balance", "PLN"] == 1234 * 10**18
    assert by["balance", "USDС"] == 777 * 10**6
    assert by["stake", "sREX"] == 2_000 * 10**18
    assert by["vesting", "REX"] > 0 and by["rewards", "REX"] > 0
    assert by["points", "POINTS"] > 0
    assert all(p.asset.token != net.extra["LZ"] for p in found.positions)


def test_lp_position_is_its_share_of_the_reserves(net: Devnet, found: Discovery) -> None:
    block = found.blocks[net.manifest.chain_id]
    (lp,) = [p for p in found.positions if p.kind == "lp"]
    pair = net.contract(net.extra["pair"], "RexV2Pair").functions
    supply = int(pair.totalSupply().call(block_identifier=block))
    reserves = pair.getReserves().call(block_identifier=block)
    tokens = [pair.token0().call(), pair.token1().call()]
    parts = {a.token: amount for a, amount in lp.underlying}
    assert parts == {
        t: int(r) * lp.amount // supply for t, r in zip(tokens, reserves[:2], strict=True)
    }
    assert {a.symbol for a, _ in lp.underlying} == {"WETH", "USDC"}
    assert lp.venue == net.extra["pair"] and "unidev" in lp.source


def test_stake_is_worth_its_rex(net: Devnet, found: Discovery) -> None:
    (stake,) = [p for p in found.positions if p.kind == "stake"]
    assert stake.underlying[0][0].symbol == "REX"
    assert stake.underlying[0][1] == stake.amount
    assert stake.venue == "StakedRex"


def test_every_read_names_its_contract_function_and_block(net: Devnet, found: Discovery) -> None:
    block = found.blocks[net.manifest.chain_id]
    assert found.blocks == {net.manifest.chain_id: block}
    for p in found.positions:
        assert f"at block {block} on chain {net.manifest.chain_id}" in p.source
    sources = {p.kind: p.source for p in found.positions}
    assert "earned" in sources["rewards"] or "releasable" in sources["rewards"]
    assert "points" in sources["points"] and "RexVesting:team_advisors" in sources["vesting"]


def test_reads_are_batched(found: Discovery) -> None:
    assert 0 < found.rpc_requests <= 25


def test_history_finds_the_unlisted_tokens(net: Devnet, found: Discovery) -> None:
    chain = net.manifest.chain_id
    assert found.found_in_history == {f"{chain}:{net.extra['PLN']}", f"{chain}:{net.extra['USDС']}"}


def test_spam_verdicts_name_the_rules_that_fired(net: Devnet, found: Discovery) -> None:
    chain = net.manifest.chain_id
    spam = found.spam[f"{chain}:{net.extra['USDС']}"]
    assert spam.spam
    assert spam.rules == ("no-liquidity", "homoglyph", "unsolicited-airdrop")
    plain = found.spam[f"{chain}:{net.extra['PLN']}"]
    assert not plain.spam and plain.rules == ("no-liquidity",)
    assert set(found.spam) == {f"{chain}:{net.extra['PLN']}", f"{chain}:{net.extra['USDС']}"}


def test_an_index_gives_the_same_answer(net: Devnet, found: Discovery, tmp_path: Path) -> None:
    path = tmp_path / "index.duckdb"
    index_chain(net.web3, net.manifest, path)
    again = discover([source(net, tokens=(net.extra["LZ"],), index=path)], address(OWNER))
    assert again.positions == found.positions and again.spam == found.spam
    assert again.found_in_history == found.found_in_history


def test_an_unreadable_index_is_passed_over(net: Devnet, found: Discovery, tmp_path: Path) -> None:
    path = tmp_path / "broken.duckdb"
    path.write_bytes(b"not a database")
    again = discover([source(net, tokens=(net.extra["LZ"],), index=path)], address(OWNER))
    assert again.positions == found.positions


def test_one_by_one_and_tiny_batches_agree(net: Devnet, found: Discovery) -> None:
    plain = discover([source(net, tokens=(net.extra["LZ"],), multicall=address(9))], address(OWNER))
    tiny = discover([source(net, tokens=(net.extra["LZ"],), batch=3)], address(OWNER))
    for other in (plain, tiny):
        assert {(p.kind, p.asset.token, p.amount) for p in other.positions} == {
            (p.kind, p.asset.token, p.amount) for p in found.positions
        }
        assert other.spam == found.spam
    assert plain.rpc_requests > tiny.rpc_requests > found.rpc_requests
    assert "by eth_call" in plain.positions[1].source


def test_a_wallet_without_vesting_has_none(net: Devnet) -> None:
    alice = discover([source(net)], address(1))
    kinds = {p.kind for p in alice.positions}
    chain = net.manifest.chain_id
    assert kinds == {"balance"} and set(alice.spam) == {f"{chain}:{net.extra['USDС']}"}
    assert {p.asset.symbol for p in alice.positions} >= {"ETH", "REX", "WETH", "USDC", "USDС"}


def test_workspace_sources_include_the_peer_when_there_is_one(net: Devnet, tmp_path: Path) -> None:
    peer_chain = AnvilChain(chain_id=PEER_CHAIN_ID)
    try:
        peer = Manifest(PEER_CHAIN_ID, "anvil", None, 0, 0, {}, {})
        alone = _workspace(net, tmp_path, None)
        both = _workspace(net, tmp_path, lambda: (peer_chain, peer))
        assert [s.chain_id for s in chain_sources(alone)] == [net.manifest.chain_id]

        def unreachable() -> tuple[object, Manifest]:
            raise RpcUnavailable("cannot reach the chain at http://127.0.0.1:9")

        down = _workspace(net, tmp_path, unreachable)  # configured, but not running
        assert [s.chain_id for s in chain_sources(down)] == [net.manifest.chain_id]
        sources = chain_sources(both)
        assert [s.chain_id for s in sources] == [net.manifest.chain_id, PEER_CHAIN_ID]
        found = discover(sources, address(OWNER))
        assert set(found.blocks) == {net.manifest.chain_id, PEER_CHAIN_ID}
        on_peer = [p for p in found.positions if p.asset.chain_id == PEER_CHAIN_ID]
        assert [(p.asset.token, p.amount) for p in on_peer] == [
            (NATIVE, int(peer_chain.web3.eth.get_balance(address(OWNER))))
        ]
    finally:
        peer_chain.close()


def _workspace(net: Devnet, home: Path, peer: object) -> LocalWorkspace:
    def unlock() -> object:
        raise AssertionError("discovery never unlocks a wallet")

    return LocalWorkspace(
        Settings(home=home),
        net.chain,
        net.manifest,
        Address(address(OWNER)),
        unlock,  # type: ignore[arg-type]
        peer=peer,  # type: ignore[arg-type]
    )


def test_malformed_owner_and_sources_are_usage_errors(net: Devnet) -> None:
    for bad in ("0x123", "alice", "0x" + "g" * 40, ""):
        with pytest.raises(UsageError, match="not an address"):
            discover([source(net)], bad)
    with pytest.raises(UsageError, match="at least one chain"):
        discover([], address(OWNER))
    with pytest.raises(UsageError, match="once"):
        discover([source(net), source(net)], address(OWNER))
    with pytest.raises(UsageError, match="not an address"):
        discover([source(net, tokens=("0xnope",))], address(OWNER))


def test_v3_ranges_are_what_burning_them_returns(net: Devnet) -> None:
    deployer = address(DEPLOYER)
    found = discover([source(net)], deployer)
    block = found.blocks[net.manifest.chain_id]
    v3 = [p for p in found.positions if p.asset.symbol.endswith(" V3 LP")]
    listed = net.manifest.genesis["dex"]["venues"]["univ3dev"]["pools"]
    assert len({p.venue for p in v3}) == len(listed) and len(v3) >= len(listed)
    for position in v3:
        lower, upper = (int(t) for t in position.asset.name.rsplit(" ", 1)[1].split(".."))
        pool = net.contract(str(position.venue), "UniswapV3Pool").functions
        burned = pool.burn(lower, upper, position.amount).call(
            {"from": deployer}, block_identifier=block
        )
        key = Web3.solidity_keccak(["address", "int24", "int24"], [deployer, lower, upper])
        state = pool.positions(key).call(block_identifier=block)
        assert state[0] == position.amount
        owed = (state[3], state[4])
        assert [n for _, n in position.underlying] == [
            b + o for b, o in zip(burned, owed, strict=True)
        ]
        assert f"positions(owner, {lower}, {upper})" in position.source


def test_workspace_sources_use_the_index_when_there_is_one(net: Devnet, tmp_path: Path) -> None:
    workspace = _workspace(net, tmp_path, None)
    (alone,) = chain_sources(workspace)
    assert alone.index is None
    assert alone.multicall_address() == net.manifest.contracts["RexMulticall"]
    path = index_path(tmp_path, net.manifest.chain_id)
    index_chain(net.web3, net.manifest, path)
    assert chain_sources(workspace)[0].index == path


def test_source_settings_are_checked(net: Devnet) -> None:
    for bad in ({"batch": 0}, {"log_span": 0}, {"history_from": -1}):
        with pytest.raises(UsageError, match="batch and log_span"):
            source(net, **bad)
    bare = ChainSource(1, net.web3)
    assert bare.multicall_address() == MULTICALL3_ADDRESS
