"""Reads shared by the DPrompt clients: bound contracts, requests rebuilt from events.

Private to :mod:`rexos.dprompt`; :class:`~rexos.dprompt.client.Client` builds on
:class:`BookReader`. A request is rebuilt from the book's lifecycle events and
checked against the hash the book stores, so it can be passed back as calldata.
Reads that must agree with each other (the events and the stored hash, a dispute
and its committee) are made at one block number, read once: a block mined between
them (a provider answering) cannot make them disagree.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from eth_abi.abi import encode
from eth_utils.crypto import keccak
from web3 import Web3
from web3.contract import Contract

from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.dprompt.deploy import model_key
from rexos.dprompt.params import BOOK_PARAM_FIELDS
from rexos.dprompt.views import OUTCOMES, Dispute, RequestStatus, RequestView
from rexos.errors import ChainError, UsageError
from rexos.types import Address

__all__ = ["ZERO_ADDRESS", "BookReader", "bind", "read"]

ZERO_ADDRESS = Address(Web3.to_checksum_address("0x" + "00" * 20))
_STATUS_AFTER: dict[str, RequestStatus] = {
    "Refunded": "refunded",
    "Challenged": "challenged",
    "Finalized": "final",
}
_LIFECYCLE = ("Requested", "Responded", "Refunded", "Challenged", "Resolved", "Finalized")


def bind(web3: Web3, name: str, address: str) -> Contract:
    """``name``'s ABI bound at ``address``."""
    return web3.eth.contract(address=Web3.to_checksum_address(address), abi=load_artifact(name).abi)


def read(fn: Any, what: str, block: int | None = None) -> Any:
    """``fn.call()`` at ``block`` (the latest when ``None``), a revert or dead node turned
    into a ``rexos`` error naming ``what``."""
    with reverts_as(f"read {what}"):
        return fn.call() if block is None else fn.call(block_identifier=block)


class BookReader:
    """Read access to the DPrompt contracts of one deployment."""

    def __init__(self, web3: Web3, manifest: Manifest) -> None:
        self.web3 = web3
        self.manifest = manifest
        self.rex = bind(web3, "RexToken", manifest.address("RexToken"))
        self.models = bind(web3, "ModelRegistry", manifest.address("ModelRegistry"))
        self.registry = bind(web3, "ProviderRegistry", manifest.address("ProviderRegistry"))
        self.book = bind(web3, "RequestBook", manifest.address("RequestBook"))

    # ------------------------------------------------------------ reads

    def now(self) -> int:
        """Timestamp of the latest block."""
        with reverts_as("read the latest block"):
            return int(self.web3.eth.get_block("latest")["timestamp"])

    def block_number(self) -> int:
        """Number of the latest block."""
        with reverts_as("read the latest block number"):
            return int(self.web3.eth.block_number)

    def credit(self, address: Address) -> int:
        """REX wei ``address`` holds at the book (pays fees and bonds)."""
        return int(read(self.book.functions.creditOf(address), "credit"))

    def params(self) -> dict[str, int]:
        """The book's ``Params``, by field name."""
        raw = read(self.book.functions.params(), "book parameters")
        return dict(zip(BOOK_PARAM_FIELDS, (int(v) for v in raw), strict=True))

    def get(self, request_id: int, *, from_block: int = 0, block: int | None = None) -> RequestView:
        """Request ``request_id`` as of ``block`` (default: the latest block, read once),
        rebuilt from its events and checked against the hash stored at that same block.

        ``from_block`` may skip the blocks before the request was made (a node that
        remembers where it saw the request); the events are read up to ``block``.
        """
        at = self.block_number() if block is None else block
        found: list[tuple[int, int, str, dict[str, Any]]] = []
        for name in _LIFECYCLE:
            with reverts_as(f"read {name} events"):
                logs = self.book.events[name]().get_logs(
                    from_block=from_block, to_block=at, argument_filters={"id": request_id}
                )
            found += [(e["blockNumber"], e["logIndex"], name, dict(e["args"])) for e in logs]
        found.sort(key=lambda item: item[:2])
        if not found or found[0][2] != "Requested":
            raise UsageError(f"no DPrompt request {request_id}")
        view: RequestView | None = None
        for _, _, name, args in found:
            view = self._apply(view, name, args)
        assert view is not None
        stored = bytes(read(self.book.functions.requestHash(request_id), "request hash", at))
        if view.struct_hash() != stored:
            raise ChainError(
                f"request {request_id}: its events do not match the hash stored at block {at}"
            )
        return view

    @staticmethod
    def _apply(view: RequestView | None, name: str, args: dict[str, Any]) -> RequestView:
        if name == "Requested":
            return RequestView.from_event(int(args["id"]), args["request"], bytes(args["prompt"]))
        assert view is not None
        if name == "Responded":
            output = bytes(args["output"])
            return replace(
                view,
                responder=Address(args["responder"]),
                responded_at=int(args["respondedAt"]),
                status="answered",
                output_hash=keccak(output),
                receipt_hash=bytes(args["receiptHash"]),
                output=output.decode("utf-8", errors="replace"),
                output_bytes=output,
                commitment=bytes(args["commitment"]),
            )
        if name == "Resolved":
            overturned = OUTCOMES[int(args["outcome"])] == "overturned"
            return replace(view, status="refunded" if overturned else "answered")
        status: RequestStatus = _STATUS_AFTER[name]
        return replace(view, status=status)

    def dispute(self, request_id: int) -> Dispute:
        """The dispute of a challenged request."""
        at = self.block_number()
        d = read(self.book.functions.disputeOf(request_id), "dispute", at)
        if Address(d[0]) == ZERO_ADDRESS:
            raise UsageError(f"request {request_id} has not been challenged")
        committee = read(self.book.functions.committeeOf(request_id), "committee", at)
        return Dispute(
            request_id=request_id,
            challenger=Address(d[0]),
            bond=int(d[1]),
            committee=tuple(Address(a) for a in committee),
            commit_end=int(d[2]),
            reveal_end=int(d[3]),
        )

    def quote(self, model_id: str) -> tuple[Address, int]:
        """The provider and price the next request would get, if mined in the next block."""
        with reverts_as("read the latest block"):
            latest = self.web3.eth.get_block("latest")
        at = int(latest["number"])
        next_id = int(read(self.book.functions.nextId(), "next request id", at))
        seed = int.from_bytes(keccak(encode(["bytes32", "uint256"], [latest["hash"], next_id])))
        quoted = read(self.registry.functions.quote(model_key(model_id), seed), "quote", at)
        return Address(quoted[0]), int(quoted[1])

    def price_ceiling(self, model_id: str) -> int:
        """The highest price among the providers that serve ``model_id`` now (0: none).

        A request's provider is drawn when its transaction is mined, so a quote read a block
        earlier may name another one: a ``max_fee`` of this ceiling is accepted whichever
        active provider is drawn, and the fee paid is still only the drawn one's price.
        """
        at = self.block_number()
        key = model_key(model_id)
        with reverts_as("read provider registrations"):
            logs = self.registry.events.Registered().get_logs(from_block=0, to_block=at)
        serving = {Address(e["args"]["provider"]) for e in logs if key in e["args"]["modelIds"]}
        prices = [
            int(read(self.registry.functions.infoOf(p), "provider info", at)[0])
            for p in sorted(serving)
            if read(self.registry.functions.isActive(p, key), "provider status", at)
        ]
        return max(prices, default=0)
