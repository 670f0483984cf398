"""Gas estimation for the in-process py-evm chain in two or three executions, not fourteen.

py-evm's default estimator bisects from the transaction's intrinsic gas to the block gas
limit (60M here) in steps of 21,000 gas: about fourteen full executions for every
``eth_estimateGas``, which made estimation most of the time a transaction takes on the
embedded chain and the py-evm devnet. This one runs the transaction once with the block
gas limit, reads what it consumed before refunds, and confirms a limit a little above
that (room for the 1/64 each nested call holds back and the 2,300 gas an ``SSTORE`` needs
left). Only when that limit fails does it double the limit until one succeeds, then bisect
between the two.

Like the default, what it returns is a limit at which the transaction was run and did not
fail (or the block gas limit), and an error at the block gas limit is raised as the
default raises it.
"""

from __future__ import annotations

from typing import cast

from eth.abc import ComputationAPI, SignedTransactionAPI, StateAPI
from eth.estimators.gas import binary_gas_search_intrinsic_tolerance
from eth.vm.spoof import SpoofTransaction

__all__ = ["HEADROOM_DIVISOR", "estimate_gas"]

HEADROOM_DIVISOR = 10
"""The first limit tried is the gas consumed plus a tenth (and 2,300): enough for calls
nested about six deep before the bisection is needed."""

_SSTORE_STIPEND = 2_300
_TOLERANCE = 21_000


def _run(state: StateAPI, transaction: SignedTransactionAPI, gas: int) -> ComputationAPI:
    """``transaction`` applied with ``gas`` and no gas price, then undone."""
    spoof = cast(SignedTransactionAPI, SpoofTransaction(transaction, gas=gas, gas_price=0))
    snapshot = state.snapshot()
    try:
        return state.apply_transaction(spoof)
    finally:
        state.revert(snapshot)


def estimate_gas(state: StateAPI, transaction: SignedTransactionAPI) -> int:
    """The gas limit to send ``transaction`` with: a limit it was run at without failing."""
    intrinsic = transaction.intrinsic_gas
    if not _run(state, transaction, intrinsic).is_error:
        return intrinsic
    top = _run(state, transaction, state.gas_limit)
    if top.is_error:  # let the default raise its own error for it
        return cast(int, binary_gas_search_intrinsic_tolerance(state, transaction))
    used = intrinsic + top.get_gas_used()
    candidate = min(state.gas_limit, used + used // HEADROOM_DIVISOR + _SSTORE_STIPEND)
    if not _run(state, transaction, candidate).is_error:
        return candidate
    failed, viable = candidate, min(state.gas_limit, 2 * candidate)
    while viable < state.gas_limit and _run(state, transaction, viable).is_error:
        failed, viable = viable, min(state.gas_limit, 2 * viable)
    while viable - failed > _TOLERANCE:
        midpoint = (viable + failed) // 2
        if _run(state, transaction, midpoint).is_error:
            failed = midpoint
        else:
            viable = midpoint
    return viable
