// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title The oracle part of a Uniswap V3 pool
/// @notice Written from the published ABI of UniswapV3Pool (npm @uniswap/v3-core 1.0.1).
interface IUniswapV3Oracle {
    /// @notice Cumulative tick and seconds-per-liquidity at each of `secondsAgos` before now.
    /// @dev Reverts "OLD" when the oldest stored observation is younger than a target.
    function observe(uint32[] calldata secondsAgos)
        external
        view
        returns (int56[] memory tickCumulatives, uint160[] memory secondsPerLiquidityCumulativeX128s);

    /// @notice The pool's first token (the lower address).
    function token0() external view returns (address);

    /// @notice The pool's second token.
    function token1() external view returns (address);
}
