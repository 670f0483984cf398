"""Token approvals the wallet gave: spenders found in ``Approval`` logs, allowances read now.

For each of the owner's tokens on a chain, the ``Approval(owner, spender, value)`` logs from
``history_from`` to the report's block name the spenders; ``allowance(owner, spender)`` is
then read at that block (a spender later set back to zero no longer counts). A spender is
known when it is one of the deployment's own contracts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rexos.lense.model import NATIVE, Asset
from rexos.lense.report_risk import Approval

__all__ = ["approval_spenders", "read_approvals"]

_APPROVAL_TOPIC = "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925"
_ALLOWANCE = bytes.fromhex("dd62ed3e")
"""``allowance(address,address)``."""


def _word(address: str) -> str:
    return "0x" + address.lower().removeprefix("0x").rjust(64, "0")


def approval_spenders(
    web3: Any, owner: str, tokens: Iterable[str], first: int, last: int, span: int
) -> dict[str, set[str]]:
    """Token → the spenders the owner's ``Approval`` logs name (checksummed)."""
    wanted = sorted(tokens)
    found: dict[str, set[str]] = {}
    if not wanted:
        return found
    start = first
    while start <= last:
        end = min(last, start + span - 1)
        logs = web3.eth.get_logs({
            "fromBlock": start, "toBlock": end, "address": wanted,
            "topics": [_APPROVAL_TOPIC, _word(owner)],
        })  # fmt: skip
        for log in logs:
            topics = log["topics"]
            if len(topics) != 3:
                continue
            spender = web3.to_checksum_address("0x" + bytes(topics[2])[-20:].hex())
            token = web3.to_checksum_address(log["address"])
            found.setdefault(token, set()).add(spender)
        start = end + 1
    return found


def _allowance(web3: Any, token: str, owner: str, spender: str, block: int) -> int | None:
    data = _ALLOWANCE + bytes.fromhex(_word(owner)[2:]) + bytes.fromhex(_word(spender)[2:])
    from web3.exceptions import Web3Exception

    try:
        raw = bytes(web3.eth.call({"to": token, "data": "0x" + data.hex()}, block))
    except (ValueError, Web3Exception):  # a token that reverts: no allowance to report
        return None
    return int.from_bytes(raw[:32], "big") if len(raw) >= 32 else None


def read_approvals(
    web3: Any,
    owner: str,
    assets: Iterable[Asset],
    *,
    block: int,
    first: int,
    span: int,
    known: Mapping[str, str],
) -> list[Approval]:
    """The owner's non-zero allowances over ``assets`` at ``block``.

    ``known``: the deployment's contracts (name → address); those spenders are known.
    """
    tokens = {a.token: a for a in assets if a.token != NATIVE}
    known_spenders = {address.lower() for address in known.values()}
    where = f"allowance(owner, spender) at block {block} on chain "
    found: list[Approval] = []
    spenders = approval_spenders(web3, owner, tokens, first, block, span)
    for token, names in sorted(spenders.items()):
        asset = tokens.get(token)
        if asset is None:
            continue
        for spender in sorted(names):
            amount = _allowance(web3, token, owner, spender, block)
            if amount:
                found.append(Approval(
                    asset.key, asset.symbol, asset.decimals, spender, amount,
                    where + str(asset.chain_id), spender.lower() in known_spenders,
                ))  # fmt: skip
    return found
