// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title The parts of a Uniswap V3 factory RexOS calls
/// @notice Written from the published ABI of UniswapV3Factory (npm @uniswap/v3-core 1.0.1);
/// PancakeSwap V3's factory has the same function.
interface IUniswapV3FactoryLike {
    /// @notice The pool the factory created for two tokens (any order) and a fee, or zero.
    function getPool(address tokenA, address tokenB, uint24 fee) external view returns (address pool);
}

/// @title The parts of a Uniswap V3 pool RexOS calls
/// @notice Written from the published ABI of UniswapV3Pool (npm @uniswap/v3-core 1.0.1).
interface IUniswapV3PoolLike {
    /// @notice Swap; the pool pays out first, then calls `uniswapV3SwapCallback` on the sender.
    /// @return amount0 Token0 the pool received (positive) or paid (negative).
    /// @return amount1 Token1 the pool received (positive) or paid (negative).
    function swap(
        address recipient,
        bool zeroForOne,
        int256 amountSpecified,
        uint160 sqrtPriceLimitX96,
        bytes calldata data
    ) external returns (int256 amount0, int256 amount1);

    /// @notice Add liquidity; the pool calls `uniswapV3MintCallback` on the sender for the tokens.
    function mint(address recipient, int24 tickLower, int24 tickUpper, uint128 amount, bytes calldata data)
        external
        returns (uint256 amount0, uint256 amount1);

    /// @notice The pool's first token (the lower address).
    function token0() external view returns (address);

    /// @notice The pool's second token.
    function token1() external view returns (address);
}
