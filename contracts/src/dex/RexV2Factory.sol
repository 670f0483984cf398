// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RexV2Pair} from "./RexV2Pair.sol";

/// @title Rex V2 factory
/// @notice Creates RexV2Pair pools with the Uniswap V2 factory interface (getPair, allPairs,
/// createPair, PairCreated). One factory is one venue with a default fee (30 bps for a
/// Uniswap-like venue, 25 for a PancakeSwap-like one); `createPairWithFee` sets any other fee
/// for one pair. Pairs are created with CREATE2, salted by the sorted token addresses.
contract RexV2Factory {
    /// @notice Fee in basis points of pairs made by `createPair`.
    uint16 public immutable defaultFeeBps;

    /// @notice The pair of two tokens, in either order; zero if none.
    mapping(address tokenA => mapping(address tokenB => address pair)) public getPair;
    /// @notice Every pair, in creation order.
    address[] public allPairs;

    /// @notice `pair` trades `token0` (lower address) against `token1`; it is pair number `index`.
    event PairCreated(address indexed token0, address indexed token1, address pair, uint256 index);

    /// @param defaultFeeBps_ Fee in basis points of pairs made by `createPair`, below 10000.
    constructor(uint16 defaultFeeBps_) {
        require(defaultFeeBps_ < 10_000, "RexV2Factory: FEE");
        defaultFeeBps = defaultFeeBps_;
    }

    /// @notice Number of pairs created.
    /// @return The length of `allPairs`.
    function allPairsLength() external view returns (uint256) {
        return allPairs.length;
    }

    /// @notice Create the pair of `tokenA` and `tokenB` with the venue's default fee.
    /// @param tokenA One token.
    /// @param tokenB The other token.
    /// @return pair The new pair.
    function createPair(address tokenA, address tokenB) external returns (address pair) {
        return _create(tokenA, tokenB, defaultFeeBps);
    }

    /// @notice Create the pair of `tokenA` and `tokenB` with its own fee.
    /// @param tokenA One token.
    /// @param tokenB The other token.
    /// @param feeBps Swap fee in basis points, below 10000.
    /// @return pair The new pair.
    function createPairWithFee(address tokenA, address tokenB, uint16 feeBps) external returns (address pair) {
        return _create(tokenA, tokenB, feeBps);
    }

    function _create(address tokenA, address tokenB, uint16 feeBps) private returns (address pair) {
        require(tokenA != tokenB, "RexV2Factory: IDENTICAL_ADDRESSES");
        (address token0, address token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
        require(token0 != address(0), "RexV2Factory: ZERO_ADDRESS");
        require(getPair[token0][token1] == address(0), "RexV2Factory: PAIR_EXISTS");
        require(feeBps < 10_000, "RexV2Factory: FEE");
        pair = address(new RexV2Pair{salt: keccak256(abi.encodePacked(token0, token1))}());
        RexV2Pair(pair).initialize(token0, token1, feeBps);
        getPair[token0][token1] = pair;
        getPair[token1][token0] = pair;
        allPairs.push(pair);
        emit PairCreated(token0, token1, pair, allPairs.length);
    }
}
