"""A snapshot: the block of the snapshot date, what each address held there, and the inputs.

* :func:`find_block`: the first block whose timestamp is at or after a date, by binary search
  over ``eth_getBlockByNumber`` (timestamps never decrease along a chain). A date at or
  before genesis gives block 0; a date after the latest block is a ``UsageError`` (the
  snapshot block does not exist yet).
* :func:`onchain_facts`: the facts of one ``[[onchain]]`` source at a block, by ``archive``
  reads (``balanceOf``/``ownerOf`` with ``block_identifier``, which needs a node that keeps
  old state) or by ``replay`` of the contract's ``Transfer`` logs up to the block (any node
  that keeps logs).
* :func:`take_snapshot`: both of the above with the signed off-chain inputs
  (:mod:`rexos.airdrop.inputs`), merged into per-address facts; the snapshot records the
  block, its timestamp, the rules' sha256 and every input's sha256.

An ERC-721 source counts the tokens each address holds (fact ``fact``) and, with a
``token_tiers`` input, how many of each tier (``{fact}_tier_{n}``); archive reads ask
``ownerOf`` for each token id the tier input lists (a token that does not exist at the block,
not yet minted or burnt, belongs to no one). A contract that gives each token's tier by a view
(the source's ``tier_function``) is asked at the block for every token held; with no tier
input to list token ids, such a source is read by replay.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from web3 import Web3
from web3.exceptions import ContractLogicError

from rexos.airdrop.inputs import InputData, InputRecord, read_inputs
from rexos.airdrop.rules import OnchainSpec, Rules
from rexos.airdrop.transfers import replay_erc20, replay_erc721, token_transfers
from rexos.chain.tx import reverts_as
from rexos.errors import ConfigError, UsageError
from rexos.types import Address

__all__ = ["Method", "Snapshot", "find_block", "onchain_facts", "take_snapshot"]

Method = Literal["archive", "replay"]
Facts = dict[Address, dict[str, int]]

_ZERO = "0x0000000000000000000000000000000000000000"
_ABI = [
    {
        "type": "function",
        "name": "balanceOf",
        "stateMutability": "view",
        "inputs": [{"name": "owner", "type": "address"}],
        "outputs": [{"name": "", "type": "uint256"}],
    },
    {
        "type": "function",
        "name": "ownerOf",
        "stateMutability": "view",
        "inputs": [{"name": "tokenId", "type": "uint256"}],
        "outputs": [{"name": "", "type": "address"}],
    },
]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Per-address facts at ``block`` (the first block at or after ``date``), and where they
    came from: the rules' sha256, each input's record, how on-chain facts were read."""

    date: int
    block: int
    timestamp: int
    rules_sha256: str
    method: Method
    facts: Mapping[Address, Mapping[str, int]]
    inputs: tuple[InputRecord, ...]

    def to_json(self) -> dict[str, object]:
        """The snapshot's provenance and facts as JSON data (addresses sorted)."""
        return {
            "date": self.date,
            "block": self.block,
            "timestamp": self.timestamp,
            "rules_sha256": self.rules_sha256,
            "method": self.method,
            "inputs": [
                {
                    "name": r.name,
                    "kind": r.kind,
                    "file": r.file,
                    "sha256": r.sha256,
                    "attester": r.attester,
                }
                for r in self.inputs
            ],
            "facts": {
                a: dict(sorted(self.facts[a].items())) for a in sorted(self.facts, key=str.lower)
            },
        }


def _timestamp(web3: Web3, number: int) -> int:
    return int(web3.eth.get_block(number)["timestamp"])


def find_block(web3: Web3, timestamp: int) -> int:
    """The first block whose timestamp is ``>= timestamp``."""
    if timestamp < 0:
        raise UsageError(f"not a date: {timestamp}")
    with reverts_as(f"find the first block at or after {timestamp}"):
        latest = int(web3.eth.block_number)
        last = _timestamp(web3, latest)
        if last < timestamp:
            raise UsageError(
                f"no block at or after {timestamp} yet: the latest, {latest}, is at {last}"
            )
        low, high = 0, latest
        while low < high:
            middle = (low + high) // 2
            if _timestamp(web3, middle) >= timestamp:
                high = middle
            else:
                low = middle + 1
        return low


def onchain_facts(
    web3: Web3,
    spec: OnchainSpec,
    block: int,
    method: Method,
    *,
    holders: Iterable[Address] = (),
    tiers: Mapping[int, int] | None = None,
) -> Facts:
    """The facts of ``spec`` at ``block``. Archive reads of an ERC-20 ask ``balanceOf`` of
    ``holders`` only; replay finds every holder. ``tiers`` maps token id to tier."""
    if spec.contract == _ZERO:
        raise ConfigError(
            f"on-chain source {spec.name}: the rules name no contract (zero address placeholder)"
        )
    with reverts_as(f"read {spec.name} at block {block} by {method}"):
        return _read(web3, spec, block, method, holders, tiers)


def _read(
    web3: Web3,
    spec: OnchainSpec,
    block: int,
    method: Method,
    holders: Iterable[Address],
    tiers: Mapping[int, int] | None,
) -> Facts:
    contract = web3.eth.contract(address=spec.contract, abi=_ABI)
    facts: Facts = {}
    if spec.kind == "erc20":
        if method == "replay":
            balances = replay_erc20(
                token_transfers(web3, spec.contract, block), spec.contract, block
            )
        else:
            balances = {
                h: int(contract.functions.balanceOf(h).call(block_identifier=block))
                for h in sorted(set(holders))
            }
        for holder, balance in balances.items():
            if balance > 0:
                facts[holder] = {spec.fact: balance}
        return facts
    if method == "replay":
        owners = replay_erc721(token_transfers(web3, spec.contract, block), spec.contract, block)
    elif tiers is None:
        raise ConfigError(
            f"on-chain source {spec.name}: archive reads need the token ids of a tier input; "
            "use replay"
        )
    else:
        owners = {}
        for token_id in sorted(tiers):
            try:
                owner = contract.functions.ownerOf(token_id).call(block_identifier=block)
            except ContractLogicError:
                continue
            owners[token_id] = Address(Web3.to_checksum_address(owner))
    if spec.tier_function is not None:
        tiers = _tiers_at(web3, spec, spec.tier_function, block, owners)
    for token_id, owner in owners.items():
        held = facts.setdefault(owner, {spec.fact: 0, **{spec.tier_fact(n): 0 for n in spec.tiers}})
        held[spec.fact] += 1
        tier = (tiers or {}).get(token_id)
        if tier is not None and tier in spec.tiers:
            held[spec.tier_fact(tier)] += 1
    return facts


def _tiers_at(
    web3: Web3, spec: OnchainSpec, function: str, block: int, owners: Mapping[int, Address]
) -> dict[int, int]:
    """Each owned token's tier from the contract's view ``function(uint256)`` at ``block``."""
    abi = [
        {
            "type": "function",
            "name": function,
            "stateMutability": "view",
            "inputs": [{"name": "tokenId", "type": "uint256"}],
            "outputs": [{"name": "", "type": "uint256"}],
        }
    ]
    contract = web3.eth.contract(address=spec.contract, abi=abi)
    return {
        token_id: int(contract.functions[function](token_id).call(block_identifier=block))
        for token_id in sorted(owners)
    }


def take_snapshot(
    web3: Web3,
    rules: Rules,
    date: int,
    inputs: Mapping[str, Path],
    *,
    method: Method = "archive",
    holders: Iterable[Address] = (),
) -> Snapshot:
    """Snapshot at the first block at or after ``date``: verified inputs, then every on-chain
    source. ERC-20 archive reads cover ``holders`` and every address the inputs name."""
    block = find_block(web3, date)
    data = read_inputs(inputs, rules)
    facts = _merge(d.facts for d in data.values())
    known = set(holders) | set(facts)
    for spec in rules.onchain:
        tiers = _tier_map(data, spec)
        part = onchain_facts(web3, spec, block, method, holders=known, tiers=tiers)
        for address, values in part.items():
            facts.setdefault(address, {}).update(values)
    return Snapshot(
        date=date,
        block=block,
        timestamp=_timestamp(web3, block),
        rules_sha256=rules.sha256,
        method=method,
        facts=facts,
        inputs=tuple(d.record for d in data.values()),
    )


def _tier_map(data: Mapping[str, InputData], spec: OnchainSpec) -> Mapping[int, int] | None:
    return data[spec.tier_input].tiers if spec.tier_input is not None else None


def _merge(parts: Iterable[Mapping[Address, Mapping[str, int]]]) -> Facts:
    facts: Facts = {}
    for part in parts:
        for address, values in part.items():
            facts.setdefault(address, {}).update(values)
    return facts
