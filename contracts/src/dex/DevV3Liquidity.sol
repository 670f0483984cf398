// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IUniswapV3PoolLike} from "../interfaces/IUniswapV3.sol";

/// @title Devnet V3 liquidity
/// @notice Adds liquidity to Uniswap V3 (and PancakeSwap V3) pools on the devnet from tokens
/// sent to it first: the pool asks for what a position costs in `uniswapV3MintCallback`
/// (`pancakeV3MintCallback`) and this contract pays from its own balance. Only its owner may mint; positions belong to the owner.
contract DevV3Liquidity {
    using SafeERC20 for IERC20;

    /// @notice Who may mint (and owns the positions).
    address public immutable owner;

    address private transient _pool;

    /// @param owner_ The account allowed to mint.
    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice Add `liquidity` to `pool` over [`tickLower`, `tickUpper`) for the owner.
    /// @dev Reverts "DevV3Liquidity: OWNER" for anyone else; the pool reverts when this
    /// contract holds too little of a token.
    /// @param pool The V3 pool.
    /// @param tickLower Lower tick of the range.
    /// @param tickUpper Upper tick of the range.
    /// @param liquidity Liquidity added.
    function mint(address pool, int24 tickLower, int24 tickUpper, uint128 liquidity) external {
        require(msg.sender == owner, "DevV3Liquidity: OWNER");
        _pool = pool;
        IUniswapV3PoolLike(pool).mint(owner, tickLower, tickUpper, liquidity, "");
        _pool = address(0);
    }

    /// @notice Pays the pool being minted into what the new position costs.
    /// @dev Reverts "DevV3Liquidity: CALLBACK" for any caller but that pool.
    /// @param amount0Owed Token0 owed.
    /// @param amount1Owed Token1 owed.
    function uniswapV3MintCallback(uint256 amount0Owed, uint256 amount1Owed, bytes calldata) external {
        _pay(amount0Owed, amount1Owed);
    }

    /// @notice The same for a PancakeSwap V3 pool, which calls this name; the same check applies.
    /// @param amount0Owed Token0 owed.
    /// @param amount1Owed Token1 owed.
    function pancakeV3MintCallback(uint256 amount0Owed, uint256 amount1Owed, bytes calldata) external {
        _pay(amount0Owed, amount1Owed);
    }

    function _pay(uint256 amount0Owed, uint256 amount1Owed) private {
        require(msg.sender == _pool && _pool != address(0), "DevV3Liquidity: CALLBACK");
        IUniswapV3PoolLike pool = IUniswapV3PoolLike(msg.sender);
        if (amount0Owed > 0) IERC20(pool.token0()).safeTransfer(msg.sender, amount0Owed);
        if (amount1Owed > 0) IERC20(pool.token1()).safeTransfer(msg.sender, amount1Owed);
    }
}
