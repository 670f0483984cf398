"""Contracts compiled by others, loaded from contracts/node_modules, and deployed to a test chain.

``make test`` installs the npm packages (``@uniswap/v2-core``, ``@uniswap/v2-periphery``, ...)
into contracts/node_modules; their JSON files carry the ABI and creation bytecode.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract

NODE_MODULES = Path(__file__).resolve().parents[3] / "contracts" / "node_modules"
UNISWAP_V2_FACTORY = "@uniswap/v2-core/build/UniswapV2Factory.json"
UNISWAP_V2_PAIR = "@uniswap/v2-core/build/UniswapV2Pair.json"
UNISWAP_V2_ROUTER02 = "@uniswap/v2-periphery/build/UniswapV2Router02.json"
WETH9 = "@uniswap/v2-periphery/build/WETH9.json"


@dataclass(frozen=True, slots=True)
class NpmArtifact:
    """ABI and creation bytecode (0x-prefixed) of one npm-published contract."""

    path: str
    abi: list[dict[str, Any]]
    bytecode: str


@cache
def npm_artifact(relative: str) -> NpmArtifact:
    """Load ``contracts/node_modules/<relative>`` (Truffle/Waffle or Hardhat JSON layout)."""
    path = NODE_MODULES / relative
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: `make test` installs it from npm")
    data = json.loads(path.read_text(encoding="utf-8"))
    bytecode = data.get("bytecode") or data["evm"]["bytecode"]["object"]
    if not bytecode.startswith("0x"):
        bytecode = "0x" + bytecode
    return NpmArtifact(path=relative, abi=data["abi"], bytecode=bytecode)


def deploy_npm(web3: Web3, account: LocalAccount, relative: str, *args: Any) -> Contract:
    """Deploy the npm contract at ``relative`` from ``account``; the bound contract."""
    artifact = npm_artifact(relative)
    factory = web3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    tx = factory.constructor(*args).build_transaction(
        {"from": account.address, "nonce": web3.eth.get_transaction_count(account.address)}
    )
    signed = account.sign_transaction(tx)
    receipt = web3.eth.wait_for_transaction_receipt(
        web3.eth.send_raw_transaction(signed.raw_transaction)
    )
    if receipt["status"] != 1 or not receipt["contractAddress"]:
        raise RuntimeError(f"deploying {relative} failed")
    return web3.eth.contract(address=receipt["contractAddress"], abi=artifact.abi)


def bind_npm(web3: Web3, relative: str, address: str) -> Contract:
    """The npm contract ``relative`` at ``address``."""
    return web3.eth.contract(
        address=Web3.to_checksum_address(address), abi=npm_artifact(relative).abi
    )
