// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Rex multicall
/// @notice Batches calls into one: the `aggregate3` interface of Multicall3 (the same
/// function and result layout, so clients written for Multicall3 read it), written for
/// RexOS. Used for batched reads (`eth_call`); it holds no funds and no state.
contract RexMulticall {
    /// @notice One call: its target, whether its failure is tolerated, and its calldata.
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    /// @notice One call's outcome: whether it succeeded and what it returned (or its revert data).
    struct Result {
        bool success;
        bytes returnData;
    }

    /// @notice Make every call in order; revert "RexMulticall: CALL_FAILED" when a call that
    /// does not allow failure fails.
    /// @param calls The calls.
    /// @return returnData One result per call, in order.
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData) {
        uint256 n = calls.length;
        returnData = new Result[](n);
        for (uint256 k = 0; k < n; ++k) {
            Call3 calldata c = calls[k];
            (bool ok, bytes memory data) = c.target.call(c.callData);
            require(ok || c.allowFailure, "RexMulticall: CALL_FAILED");
            returnData[k] = Result(ok, data);
        }
    }

    /// @notice The current block number (as Multicall3's `getBlockNumber`).
    /// @return blockNumber `block.number`.
    function getBlockNumber() external view returns (uint256 blockNumber) {
        return block.number;
    }
}
