// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title DPrompt callback receiver
/// @notice Implemented by contracts that want their answer pushed to them.
interface IDPromptConsumer {
    /// @notice Called by the `RequestBook` when request `id` is answered, with the
    /// gas limit the requester set. A revert here never blocks settlement.
    /// @param id The request identifier.
    /// @param output The provider's answer.
    function onAnswer(uint256 id, bytes calldata output) external;
}
