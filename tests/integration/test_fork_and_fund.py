"""A forked chain is independent of its origin, and funding after deployment gives what
``deploy_dev(funded=…)`` gives."""

from __future__ import annotations

from web3 import Web3

from rexos.chain import dev_account, load_artifact
from rexos.chain.embedded import create_embedded_evm
from rexos.dex.deploy import DEV_TOKENS, FUNDED_USD
from rexos.economy.genesis import load_genesis
from rexos.types import Address
from tests.devchain import dev_chain

USER = Address(Web3.to_checksum_address("0x" + "12" * 20))
"""No dev account: it holds nothing until funded."""


def test_a_fork_and_its_origin_go_separate_ways() -> None:
    origin = create_embedded_evm(31337)
    origin.web3.eth.send_transaction(
        {"from": dev_account(0).address, "to": dev_account(8).address, "value": 5}
    )
    fork = origin.fork()
    head = origin.web3.eth.block_number
    assert fork.web3.eth.block_number == head
    assert fork.web3.eth.chain_id == 31337
    assert fork.web3.eth.get_block(head)["hash"] == origin.web3.eth.get_block(head)["hash"]
    fork.web3.eth.send_transaction({"from": dev_account(0).address, "to": USER, "value": 7})
    origin.web3.eth.send_transaction({"from": dev_account(0).address, "to": USER, "value": 11})
    assert fork.web3.eth.get_balance(USER) - origin.web3.eth.get_balance(USER) == 7 - 11
    assert fork.web3.eth.get_block(head + 1)["hash"] != origin.web3.eth.get_block(head + 1)["hash"]


def test_funding_a_deployed_chain_gives_the_deploy_time_amounts() -> None:
    chain, manifest = dev_chain([USER])
    web3 = chain.web3
    demo = load_genesis(None).demo
    erc20 = load_artifact("DevToken").abi
    rex = web3.eth.contract(address=manifest.address("RexToken"), abi=erc20)
    assert int(rex.functions.balanceOf(USER).call()) == demo.rex_per_user_wei
    assert web3.eth.get_balance(USER) == demo.eth_per_user_wei
    for t in DEV_TOKENS:
        token = web3.eth.contract(address=manifest.address(f"DevToken:{t.symbol}"), abi=erc20)
        assert int(token.functions.balanceOf(USER).call()) == t.units(FUNDED_USD), t.symbol
    other, _ = dev_chain()  # another fork of the same deployment: nothing reached it
    assert other.web3.eth.get_balance(USER) == 0
    assert int(rex.functions.balanceOf(USER).call(block_identifier="latest")) > 0
    assert (
        int(
            other.web3.eth.contract(address=rex.address, abi=erc20).functions.balanceOf(USER).call()
        )
        == 0
    )


def test_a_call_asks_the_node_only_what_it_needs() -> None:
    # the chain id once per connection; no validation round trip before each eth_call
    from rexos.chain import RpcChain
    from rexos.chain.evm_server import serve

    with serve() as server:
        rpc = server._http.rpc
        asked: list[str] = []
        plain = rpc._call

        def counting(method: str, params: list[object]) -> object:
            asked.append(method)
            return plain(method, params)

        rpc._call = counting  # type: ignore[method-assign]
        chain = RpcChain(server.url)
        for _ in range(3):
            chain.web3.eth.call({"to": USER, "data": "0x"})
            assert chain.web3.eth.chain_id == chain.web3.eth.chain_id
        # web3 asks the id once more to set up its request cache; then never again
        assert asked.count("eth_call") == 3 and asked.count("eth_chainId") <= 2, asked
        assert asked[-3:] == ["eth_call"] * 3, asked
