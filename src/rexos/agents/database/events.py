"""Decoding one deployment's logs into rows of the index's tables.

:class:`EventDecoder` knows every contract the index watches: the tokens (REX, sREX, each
``DevToken:<SYM>`` and ``BridgedToken:<SYM>``), the DEX pools (found by
:class:`~rexos.dex.onchain.PoolWatcher`), ``StakedRex``, the ``RequestBook`` and the
``RexBridge``. :meth:`EventDecoder.decode` turns one raw log of them into ``(table, row)``,
or ``None`` for an event the index does not keep (``Approval``, ``Sync``, ...).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from eth_typing import HexStr
from web3 import Web3

from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.chainindex.store import Value
from rexos.dex.onchain import PoolWatcher, TokenRegistry
from rexos.dex.pool import Pool
from rexos.dex.stable import StablePool
from rexos.dex.v2 import V2Pool
from rexos.dex.v3 import V3Pool
from rexos.errors import ChainError, DexError

__all__ = ["EventDecoder", "Row", "TokenRow"]

Row = dict[str, Value]
_MAX_AMOUNT = 2**127 - 1
_BRIDGED_PREFIX = "BridgedToken:"


@dataclass(frozen=True, slots=True)
class TokenRow:
    """A token the index knows: address, symbol, decimals."""

    address: str
    symbol: str
    decimals: int


_Handler = Callable[[Mapping[str, Any]], tuple[str, Row]]


def _amount(value: int) -> int:
    if not 0 <= int(value) <= _MAX_AMOUNT:
        raise ChainError(f"amount {value} does not fit the index's 128-bit amount columns")
    return int(value)


def _hex(value: bytes | str) -> str:
    return "0x" + bytes(value).hex() if not isinstance(value, str) else value


def _text(value: bytes) -> str:
    return bytes(value).decode("utf-8", errors="replace")


def _addr(value: str) -> str:
    return str(Web3.to_checksum_address(value))


class EventDecoder:
    """The watched contracts of one deployment and how their logs become rows."""

    def __init__(self, web3: Web3, manifest: Manifest) -> None:
        self._web3 = web3
        self.chain_id = manifest.chain_id
        self._handlers: dict[tuple[str, str], tuple[Any, _Handler]] = {}
        self.tokens = _tokens(web3, manifest)
        self._symbols = {t.address: t.symbol for t in self.tokens}
        for token in self.tokens:
            self._watch(token.address, "DevToken", "Transfer", self._transfer(token))
        staked = manifest.contracts.get("StakedRex")
        if staked is not None:
            self._watch(staked, "StakedRex", "Staked", _staked)
            self._watch(staked, "StakedRex", "Unstaked", _unstaked)
        book = manifest.contracts.get("RequestBook")
        if book is not None:
            self._watch(book, "RequestBook", "Requested", _requested)
            self._watch(book, "RequestBook", "Responded", _responded)
        bridge = manifest.contracts.get("RexBridge")
        if bridge is not None:
            self._watch(bridge, "RexBridge", "Sent", self._sent)
            self._watch(bridge, "RexBridge", "Delivered", self._delivered)
        self.head = self._watch_pools(manifest)
        router = manifest.contracts.get("RexRouter")
        self._router = _addr(router) if router is not None else None
        self._senders: dict[str, str] = {}

    @property
    def addresses(self) -> list[str]:
        """Every watched contract address (checksummed, sorted)."""
        return sorted({address for address, _ in self._handlers})

    def decode(self, log: Mapping[str, Any]) -> tuple[str, Row] | None:
        """``(table, row)`` for a kept event of a watched contract; ``None`` otherwise."""
        topics = log.get("topics") or []
        if not topics:
            return None
        key = (_addr(str(log["address"])), _hex(topics[0]).lower())
        found = self._handlers.get(key)
        if found is None:
            return None
        event, handler = found
        decoded = event.process_log(log)
        table, row = handler(decoded["args"])
        row.update(
            block=int(log["blockNumber"]),
            tx_hash=_hex(log["transactionHash"]),
            log_index=int(log["logIndex"]),
        )
        if table == "swaps" and self._router in (row["sender"], row["recipient"]):
            who = self._sender_of(str(row["tx_hash"]))  # the router acts for its caller
            for end in ("sender", "recipient"):
                if row[end] == self._router:
                    row[end] = who
        return table, row

    def _sender_of(self, tx_hash: str) -> str:
        """The account that sent ``tx_hash`` (read once per transaction)."""
        if tx_hash not in self._senders:
            with reverts_as(f"read transaction {tx_hash}"):
                sent = self._web3.eth.get_transaction(HexStr(tx_hash))
            self._senders[tx_hash] = _addr(str(sent["from"]))
        return self._senders[tx_hash]

    def symbol(self, address: str) -> str:
        """The symbol of a known token, else its address."""
        return self._symbols.get(_addr(address), _addr(address))

    # ------------------------------------------------------------ registration

    def _watch(self, address: str, artifact: str, event_name: str, handler: _Handler) -> None:
        contract = self._web3.eth.contract(
            address=Web3.to_checksum_address(address), abi=load_artifact(artifact).abi
        )
        event = contract.events[event_name]()
        self._handlers[(_addr(address), str(event.topic).lower())] = (event, handler)

    def _watch_pools(self, manifest: Manifest) -> int:
        try:
            watcher = PoolWatcher(self._web3, manifest)
        except DexError:
            with reverts_as("read the latest block"):
                return int(self._web3.eth.block_number)
        for pool in watcher.pools:
            venue = watcher.venue[pool.id]
            if isinstance(pool, V2Pool):
                self._watch(pool.id, "RexV2Pair", "Swap", self._v2_swap(pool, venue))
            elif isinstance(pool, StablePool):
                self._watch(pool.id, "StableSwapPool", "TokenExchange", self._exchange(pool, venue))
            elif isinstance(pool, V3Pool):
                self._watch(pool.id, "UniswapV3Pool", "Swap", self._v3_swap(pool, venue))
        return watcher.block

    # ------------------------------------------------------------ handlers

    def _transfer(self, token: TokenRow) -> _Handler:
        def handle(a: Mapping[str, Any]) -> tuple[str, Row]:
            return "transfers", {
                "token": token.address,
                "token_symbol": token.symbol,
                "from_address": _addr(a["from"]),
                "to_address": _addr(a["to"]),
                "amount": _amount(a["value"]),
            }

        return handle

    def _swap_row(
        self, pool: Pool, venue: str, kind: str, ends: tuple[str, str], moved: tuple[str, str]
    ) -> Row:
        token_in, token_out = (_addr(t) for t in moved)
        return {
            "pool": _addr(pool.id),
            "venue": venue,
            "kind": kind,
            "sender": _addr(ends[0]),
            "recipient": _addr(ends[1]),
            "token_in": token_in,
            "token_in_symbol": self.symbol(token_in),
            "token_out": token_out,
            "token_out_symbol": self.symbol(token_out),
        }

    def _v2_swap(self, pool: V2Pool, venue: str) -> _Handler:
        def handle(a: Mapping[str, Any]) -> tuple[str, Row]:
            in0, in1 = int(a["amount0In"]), int(a["amount1In"])
            out0, out1 = int(a["amount0Out"]), int(a["amount1Out"])
            zero_in = in0 - out0 > in1 - out1
            moved = (pool.token0, pool.token1) if zero_in else (pool.token1, pool.token0)
            row = self._swap_row(pool, venue, "v2", (a["sender"], a["to"]), moved)
            row["amount_in"] = _amount(in0 if zero_in else in1)
            row["amount_out"] = _amount(out1 if zero_in else out0)
            return "swaps", row

        return handle

    def _v3_swap(self, pool: V3Pool, venue: str) -> _Handler:
        def handle(a: Mapping[str, Any]) -> tuple[str, Row]:
            amount0, amount1 = int(a["amount0"]), int(a["amount1"])  # + paid in, - paid out
            zero_in = amount0 > 0
            moved = (pool.token0, pool.token1) if zero_in else (pool.token1, pool.token0)
            row = self._swap_row(pool, venue, "v3", (a["sender"], a["recipient"]), moved)
            row["amount_in"] = _amount(amount0 if zero_in else amount1)
            row["amount_out"] = _amount(-(amount1 if zero_in else amount0))
            return "swaps", row

        return handle

    def _exchange(self, pool: StablePool, venue: str) -> _Handler:
        def handle(a: Mapping[str, Any]) -> tuple[str, Row]:
            i, j = int(a["i"]), int(a["j"])
            moved = (pool.tokens[i], pool.tokens[j])
            row = self._swap_row(pool, venue, "stable", (a["buyer"], a["buyer"]), moved)
            row["amount_in"] = _amount(a["dx"])
            row["amount_out"] = _amount(a["dy"])
            return "swaps", row

        return handle

    def _sent(self, a: Mapping[str, Any]) -> tuple[str, Row]:
        return "bridge_transfers", {
            "direction": "sent",
            "src_chain_id": self.chain_id,
            "dst_chain_id": int(a["dstChainId"]),
            "nonce": int(a["nonce"]),
            "token": _addr(a["homeToken"]),
            "sender": _addr(a["sender"]),
            "recipient": _addr(a["recipient"]),
            "amount": _amount(a["amount"]),
        }

    def _delivered(self, a: Mapping[str, Any]) -> tuple[str, Row]:
        return "bridge_transfers", {
            "direction": "delivered",
            "src_chain_id": int(a["srcChainId"]),
            "dst_chain_id": self.chain_id,
            "nonce": int(a["nonce"]),
            "token": _addr(a["token"]),
            "sender": None,
            "recipient": _addr(a["recipient"]),
            "amount": _amount(a["amount"]),
        }


def _staked(a: Mapping[str, Any]) -> tuple[str, Row]:
    return "stakes", {
        "account": _addr(a["account"]),
        "action": "stake",
        "amount": _amount(a["amount"]),
        "entry_time": int(a["entryTime"]),
    }


def _unstaked(a: Mapping[str, Any]) -> tuple[str, Row]:
    return "stakes", {
        "account": _addr(a["account"]),
        "action": "unstake",
        "amount": _amount(a["amount"]),
        "received": _amount(a["received"]),
        "deduction": _amount(a["deduction"]),
        "burned": _amount(a["burned"]),
    }


def _requested(a: Mapping[str, Any]) -> tuple[str, Row]:
    r = a["request"]
    return "dprompt_requests", {
        "request_id": int(a["id"]),
        "requester": _addr(r["requester"]),
        "provider": _addr(r["provider"]),
        "model_id": _hex(r["modelId"]),
        "fee": _amount(r["fee"]),
        "prompt_hash": _hex(r["promptHash"]),
        "prompt": _text(a["prompt"]),
        "deadline": int(r["deadline"]),
        "challenge_window": int(r["challengeWindow"]),
    }


def _responded(a: Mapping[str, Any]) -> tuple[str, Row]:
    return "dprompt_answers", {
        "request_id": int(a["id"]),
        "responder": _addr(a["responder"]),
        "output": _text(a["output"]),
        "receipt_hash": _hex(a["receiptHash"]),
        "responded_at": int(a["respondedAt"]),
    }


def _tokens(web3: Web3, manifest: Manifest) -> list[TokenRow]:
    found: list[TokenRow] = []
    if "RexToken" in manifest.contracts:
        found += [TokenRow(_addr(t.address), t.symbol, t.decimals) for t in _registry(manifest)]
    staked = manifest.contracts.get("StakedRex")
    if staked is not None:
        found.append(TokenRow(_addr(staked), "sREX", 18))
    for name, address in sorted(manifest.contracts.items()):
        if name.startswith(_BRIDGED_PREFIX):
            token = web3.eth.contract(
                address=Web3.to_checksum_address(address), abi=load_artifact("BridgedToken").abi
            )
            with reverts_as(f"read the decimals of {name}"):
                decimals = int(token.functions.decimals().call())
            found.append(TokenRow(_addr(address), name.removeprefix(_BRIDGED_PREFIX), decimals))
    return found


def _registry(manifest: Manifest) -> TokenRegistry:
    try:
        return TokenRegistry.from_manifest(manifest)
    except DexError as exc:
        raise ChainError(f"cannot list the deployment's tokens: {exc}") from exc
