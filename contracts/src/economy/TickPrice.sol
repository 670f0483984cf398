// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Tick price
/// @notice `1.0001^-tick` as a 128-bit binary fixed-point number, for ticks of a Uniswap V3
/// oracle. The price of a pool's token0 in token1 base units at a tick `t` is `1.0001^t`.
/// @dev Binary exponentiation over the bits of `tick`: each constant `C[i]` is
/// `floor(1.0001^-(2^i) * 2^128)`, computed with Python's `decimal` at 120 digits
/// (src/rexos/economy/tick_math.py computes the same integers and a test checks both).
/// Every factor is below 2^128, so each product fits in 256 bits and the result only
/// shrinks; the truncation error is at most one unit of 2^-128 per set bit.
library TickPrice {
    /// @notice Largest tick magnitude accepted (Uniswap V3's `MAX_TICK`).
    uint256 internal constant MAX_TICK = 887_272;

    /// @notice `floor(1.0001^-absTick * 2^128)` (approximately: see the contract's notes).
    /// @dev Reverts "TickPrice: TICK" above `MAX_TICK`.
    /// @param absTick A tick magnitude, <= `MAX_TICK`.
    /// @return ratio The factor, a Q128 number in (0, 2^128].
    function inverseRatioX128(uint256 absTick) internal pure returns (uint256 ratio) {
        require(absTick <= MAX_TICK, "TickPrice: TICK");
        ratio = 1 << 128;
        if (absTick & 0x1 != 0) ratio = (ratio * 0xfff97272373d413259a46990580e2139) >> 128;
        if (absTick & 0x2 != 0) ratio = (ratio * 0xfff2e50f5f656932ef12357cf3c7fdcb) >> 128;
        if (absTick & 0x4 != 0) ratio = (ratio * 0xffe5caca7e10e4e61c3624eaa0941ccf) >> 128;
        if (absTick & 0x8 != 0) ratio = (ratio * 0xffcb9843d60f6159c9db58835c926643) >> 128;
        if (absTick & 0x10 != 0) ratio = (ratio * 0xff973b41fa98c081472e6896dfb254bf) >> 128;
        if (absTick & 0x20 != 0) ratio = (ratio * 0xff2ea16466c96a3843ec78b326b52860) >> 128;
        if (absTick & 0x40 != 0) ratio = (ratio * 0xfe5dee046a99a2a811c461f1969c3052) >> 128;
        if (absTick & 0x80 != 0) ratio = (ratio * 0xfcbe86c7900a88aedcffc83b479aa3a3) >> 128;
        if (absTick & 0x100 != 0) ratio = (ratio * 0xf987a7253ac413176f2b074cf7815e53) >> 128;
        if (absTick & 0x200 != 0) ratio = (ratio * 0xf3392b0822b70005940c7a398e4b70f2) >> 128;
        if (absTick & 0x400 != 0) ratio = (ratio * 0xe7159475a2c29b7443b29c7fa6e889d8) >> 128;
        if (absTick & 0x800 != 0) ratio = (ratio * 0xd097f3bdfd2022b8845ad8f792aa5825) >> 128;
        if (absTick & 0x1000 != 0) ratio = (ratio * 0xa9f746462d870fdf8a65dc1f90e061e4) >> 128;
        if (absTick & 0x2000 != 0) ratio = (ratio * 0x70d869a156d2a1b890bb3df62baf32f6) >> 128;
        if (absTick & 0x4000 != 0) ratio = (ratio * 0x31be135f97d08fd981231505542fcfa5) >> 128;
        if (absTick & 0x8000 != 0) ratio = (ratio * 0x9aa508b5b7a84e1c677de54f3e99bc8) >> 128;
        if (absTick & 0x10000 != 0) ratio = (ratio * 0x5d6af8dedb81196699c329225ee604) >> 128;
        if (absTick & 0x20000 != 0) ratio = (ratio * 0x2216e584f5fa1ea926041bedfe97) >> 128;
        if (absTick & 0x40000 != 0) ratio = (ratio * 0x48a170391f7dc42444e8fa2) >> 128;
        if (absTick & 0x80000 != 0) ratio = (ratio * 0x149b34ee7ac262) >> 128;
    }
}
