"""Which bridge steps a plan runs: between the devnet's chains only, from the plan's chain,
and never to the chain it is on (each refusal one clear line, naming what to do instead)."""

from __future__ import annotations

from typing import Any

import pytest

from rexos.chain.devnet import PEER_CHAIN_ID
from rexos.chain.manifest import Manifest
from rexos.errors import UsageError
from rexos.orchestrator.bridging import ends_for
from rexos.types import Address

BRIDGE = Address("0x" + "11" * 20)


def _manifest(chain_id: int, *, bridge: bool = True) -> Manifest:
    contracts = {"RexBridge": BRIDGE} if bridge else {}
    return Manifest(chain_id, "pyevm", None, 0, 0, contracts, {})


class _Peer:
    def __init__(self) -> None:
        self.opened = 0

    def __call__(self) -> tuple[Any, Manifest]:
        self.opened += 1
        return object(), _manifest(PEER_CHAIN_ID)


def _args(to: str | None, frm: str | None = None) -> dict[str, Any]:
    return {"amount": {"kind": "exact", "value": "1"}, "token": "REX",
            "from_chain": frm, "to_chain": to}  # fmt: skip


def test_devnet_to_devnet_b_opens_the_second_chain() -> None:
    peer = _Peer()
    ends = ends_for(_args("devnet-b"), _manifest(31337), peer)
    assert (ends.src_name, ends.dst_name, peer.opened) == ("devnet", "devnet-b", 1)
    assert ends.dst_manifest.chain_id == PEER_CHAIN_ID


@pytest.mark.parametrize(
    ("args", "chain_id", "says"),
    [
        (_args("arbitrum"), 31337, "--from ethereum --to arbitrum"),
        (_args("ethereum", "devnet"), 31337, "--to ethereum"),
        (_args("devnet-b", "devnet-b"), 31337, "can bridge from devnet only"),
        (_args("devnet"), 31337, "already on devnet"),
        (_args("devnet-b"), PEER_CHAIN_ID, "already on devnet-b"),
        (_args(None), 31337, "--to CHAIN"),
    ],
)
def test_other_bridges_are_refused_before_any_chain_is_opened(
    args: dict[str, Any], chain_id: int, says: str
) -> None:
    peer = _Peer()
    with pytest.raises(UsageError, match=says.replace("-", r"\-")):
        ends_for(args, _manifest(chain_id), peer)
    assert peer.opened == 0


def test_a_chain_without_rexbridge_is_refused() -> None:
    with pytest.raises(UsageError, match="no RexBridge"):
        ends_for(_args("devnet-b"), _manifest(1, bridge=False), _Peer())
