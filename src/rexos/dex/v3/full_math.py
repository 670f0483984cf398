"""512-bit-safe ``a·b/d`` in uint256, rounded down or up, as FullMath and UnsafeMath do.

Python integers never overflow, so the full product is exact; what the
contracts add is the rule that the *result* must fit in 256 bits (they revert
otherwise). Every function here enforces that rule by raising
:class:`~rexos.errors.DexError`, which the pool turns into the revert it models.
"""

from __future__ import annotations

from rexos.errors import DexError

__all__ = [
    "MAX_UINT128",
    "MAX_UINT160",
    "MAX_UINT256",
    "div_rounding_up",
    "mul_div",
    "mul_div_rounding_up",
]

MAX_UINT128 = 2**128 - 1
MAX_UINT160 = 2**160 - 1
MAX_UINT256 = 2**256 - 1


def mul_div(a: int, b: int, denominator: int) -> int:
    """``⌊a·b / denominator⌋`` for uint256 operands; ``DexError`` if it exceeds uint256."""
    if denominator <= 0:
        raise DexError("mul_div: denominator must be positive")
    result = a * b // denominator
    if result > MAX_UINT256:
        raise DexError("mul_div: result overflows uint256")
    return result


def mul_div_rounding_up(a: int, b: int, denominator: int) -> int:
    """``⌈a·b / denominator⌉`` for uint256 operands; ``DexError`` if it exceeds uint256."""
    if denominator <= 0:
        raise DexError("mul_div_rounding_up: denominator must be positive")
    result = -(-(a * b) // denominator)
    if result > MAX_UINT256:
        raise DexError("mul_div_rounding_up: result overflows uint256")
    return result


def div_rounding_up(x: int, y: int) -> int:
    """``⌈x / y⌉`` for a uint256 ``x`` and a positive ``y`` (UnsafeMath.divRoundingUp)."""
    if y <= 0:
        raise DexError("div_rounding_up: divisor must be positive")
    return -(-x // y)
