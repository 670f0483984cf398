"""An anvil devnet with the dev deployment and a wallet built up for the discovery tests.

The wallet is dev account 7, the team's vesting beneficiary. It receives WETH and USDC,
adds WETH/USDC liquidity to a V2 pair, stakes REX, gets a token that only its transfer
history names, and is airdropped a look-alike "USDС" (Cyrillic С) by a third account that
sends it to six addresses in one block. Hostile "tokens" are hand-assembled contracts that
answer every call with the same bytes (garbage, a 1 MB string, 255).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from web3 import Web3

from rexos.chain import AnvilChain, Manifest, Transactor, dev_account, load_artifact
from rexos.deployment import deploy_dev
from rexos.economy.onchain import Economy
from rexos.types import Address

OWNER, DEPLOYER, SPAMMER, FRIEND = 7, 0, 3, 4
AIRDROP_RECIPIENTS = (OWNER, 1, 2, 5, 6, 8)
ONE_MB = 1_000_000


def address(who: int) -> str:
    return str(dev_account(who).address)


def _push(value: int) -> bytes:
    """``PUSHn value`` with the fewest bytes."""
    size = max(1, (value.bit_length() + 7) // 8)
    return bytes([0x5F + size]) + value.to_bytes(size, "big")


def deployable(runtime: bytes) -> bytes:
    """Init code that deploys ``runtime`` as is (CODECOPY it, RETURN it)."""
    # PUSH2 len, DUP1, PUSH1 offset, PUSH1 0, CODECOPY, PUSH1 0, RETURN
    head_len = 12
    init = b"\x61" + len(runtime).to_bytes(2, "big") + b"\x80\x60" + bytes([head_len])
    init += b"\x60\x00\x39\x60\x00\xf3"
    assert len(init) == head_len
    return init + runtime


def returns_word(value: int) -> bytes:
    """Runtime answering every call with one 32-byte word."""
    return _push(value) + b"\x60\x00\x52" + b"\x60\x20\x60\x00\xf3"


def returns_garbage() -> bytes:
    """Runtime answering every call with 5 bytes that no ABI type decodes to."""
    return _push(0xDEADBEEF01) + b"\x60\x00\x52" + b"\x60\x05\x60\x1b\xf3"


def returns_huge_string(length: int = ONE_MB) -> bytes:
    """Runtime answering every call with an ABI ``string`` of ``length`` letters "A"."""
    end = 0x40 + (length + 31) // 32 * 32
    code = _push(0x20) + b"\x60\x00\x52" + _push(length) + b"\x60\x20\x52"
    code += b"\x7f" + b"A" * 32 + b"\x60\x40"  # word, pointer
    loop = len(code)
    code += b"\x5b\x81\x81\x52\x60\x20\x01"  # JUMPDEST; mstore(ptr, word); ptr += 32
    code += _push(end) + b"\x81\x10" + b"\x61" + loop.to_bytes(2, "big") + b"\x57"
    code += _push(0x40 + length) + b"\x60\x00\xf3"
    return code


@dataclass
class Devnet:
    """The chain, its deployment and the contracts the tests made."""

    chain: AnvilChain
    manifest: Manifest
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def web3(self) -> Web3:
        return self.chain.web3

    def tx(self, who: int) -> Transactor:
        return Transactor(self.web3, dev_account(who))

    def contract(self, key_or_address: str, artifact: str) -> Any:
        found = self.manifest.contracts.get(key_or_address, key_or_address)
        return self.web3.eth.contract(address=found, abi=load_artifact(artifact).abi)

    def deploy_raw(self, runtime: bytes) -> str:
        """Deploy hand-assembled ``runtime`` from the deployer (anvil signs)."""
        tx_hash = self.web3.eth.send_transaction(
            {"from": address(DEPLOYER), "data": Web3.to_hex(deployable(runtime))}
        )
        receipt = self.web3.eth.wait_for_transaction_receipt(tx_hash)
        assert receipt["status"] == 1
        return str(receipt["contractAddress"])

    def in_one_block(self, txs: list[dict[str, Any]]) -> None:
        """Send ``txs`` (anvil signs) with automining off and mine them as one block."""
        make = self.web3.provider.make_request
        make("evm_setAutomine", [False])  # type: ignore[arg-type]
        try:
            hashes = [self.web3.eth.send_transaction(tx) for tx in txs]  # type: ignore[arg-type]
            make("evm_mine", [])  # type: ignore[arg-type]
        finally:
            make("evm_setAutomine", [True])  # type: ignore[arg-type]
        blocks = {self.web3.eth.wait_for_transaction_receipt(h)["blockNumber"] for h in hashes}
        assert len(blocks) == 1


def build(chain: AnvilChain) -> Devnet:
    """Deploy everything and build the owner's wallet (see the module docstring)."""
    manifest = deploy_dev(chain, funded=[Address(address(1))])
    net = Devnet(chain, manifest)
    deployer, owner = net.tx(DEPLOYER), net.tx(OWNER)
    weth, usdc = (
        net.contract("DevToken:WETH", "DevToken"),
        net.contract("DevToken:USDC", "DevToken"),
    )
    deployer.send(weth.functions.mint(address(OWNER), 30 * 10**18), action="mint")
    deployer.send(usdc.functions.mint(address(OWNER), 90_000 * 10**6), action="mint")
    factory = net.contract("RexV2Factory:unidev", "RexV2Factory")
    pair = factory.functions.getPair(weth.address, usdc.address).call()
    owner.send(weth.functions.transfer(pair, 10 * 10**18), action="to the pair")
    owner.send(usdc.functions.transfer(pair, 30_000 * 10**6), action="to the pair")
    owner.send(net.contract(pair, "RexV2Pair").functions.mint(address(OWNER)), action="add LP")
    rex = net.contract("RexToken", "RexToken")
    deployer.send(rex.functions.transfer(address(OWNER), 5_000 * 10**18), action="pay REX")
    Economy(net.web3, manifest).stake(owner, 2_000 * 10**18)
    plain = net.tx(FRIEND).deploy("DevToken", "Plain Token", "PLN", 18, address(FRIEND))
    net.tx(FRIEND).send(plain.functions.mint(address(FRIEND), 10**24), action="mint")
    net.tx(FRIEND).send(plain.functions.transfer(address(OWNER), 1234 * 10**18), action="give")
    spam = net.tx(SPAMMER).deploy("DevToken", "USDС", "USDС", 6, address(SPAMMER))
    net.tx(SPAMMER).send(spam.functions.mint(address(SPAMMER), 10**12), action="mint")
    nonce = net.web3.eth.get_transaction_count(address(SPAMMER))
    sends = [
        spam.functions.transfer(address(who), 777 * 10**6).build_transaction(
            {"from": address(SPAMMER), "gas": 100_000, "nonce": nonce + k}
        )
        for k, who in enumerate(AIRDROP_RECIPIENTS)
    ]
    net.in_one_block(sends)
    listed = net.tx(FRIEND).deploy("DevToken", "Listed Zero", "LZ", 18, address(FRIEND))
    vesting = net.contract("RexVesting:team_advisors", "RexVesting")
    cliff_end = int(vesting.functions.cliff().call())
    now = int(net.web3.eth.get_block("latest")["timestamp"])
    chain.time_travel(cliff_end - now + 90 * 86_400)
    net.extra = {"PLN": plain.address, "USDС": spam.address, "LZ": listed.address, "pair": pair}
    return net
