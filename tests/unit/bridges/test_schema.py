from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from rexos.bridges import TRUST_CLASSES, BridgeRequest, trust_of
from rexos.errors import InvalidAmount, UsageError

from ._support import REQUEST


@pytest.mark.parametrize("amount", [0, -1])
def test_non_positive_amount_is_a_usage_error(amount: int) -> None:
    with pytest.raises(InvalidAmount, match="must be positive"):
        replace(REQUEST, amount_in=amount)
    assert issubclass(InvalidAmount, UsageError)


def test_same_chain_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="same chain"):
        replace(REQUEST, to_chain=REQUEST.from_chain)


def test_negative_price_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        replace(REQUEST, in_price_usd=Decimal("-1"))


def test_valid_request_keeps_its_fields() -> None:
    request = BridgeRequest(1, 10, "0xa", "0xb", 5, "0xc")
    assert (request.from_chain, request.to_chain, request.amount_in) == (1, 10, 5)


def test_trust_table() -> None:
    assert TRUST_CLASSES == ("native", "optimistic", "liquidity-network", "multisig", "unknown")
    assert trust_of("Across") == "optimistic"
    assert trust_of("stargate") == "liquidity-network"
    assert trust_of("arbitrum-bridge") == "native"
    assert trust_of("multichain") == "multisig"
    assert trust_of("some-new-bridge") == "unknown"
