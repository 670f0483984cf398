// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @dev `Request.callbackMode` flag: call `onAnswer` when the request is answered (provisional).
uint8 constant CALLBACK_ON_ANSWER = 1;
/// @dev `Request.callbackMode` flag: call `onFinal` when the request is settled for good.
uint8 constant CALLBACK_ON_FINAL = 2;

/// @title DPrompt callback receiver
/// @notice Implemented by contracts that want their answer pushed to them. The requester
/// chooses, per request, which of the two calls it gets (`callbackMode`: 1 on answer, 2 on
/// finality, 3 both); each runs with the gas limit the requester set and a revert or an
/// out-of-gas in it never blocks the answer, its settlement or the provider's fee (the book
/// emits `CallbackFailed` instead).
/// @dev Safe pattern: act only in `onFinal`; treat `onAnswer`'s output as provisional
/// (display only: it may still be challenged and overturned). Check `msg.sender` is the
/// book, and that `id` is a request you made: anybody may name your contract as the
/// callback of their own request.
interface IDPromptConsumer {
    /// @notice Called by the `RequestBook` when request `id` is answered. The answer can
    /// still be challenged until its window closes: it is provisional.
    /// @param id The request identifier.
    /// @param output The provider's answer.
    function onAnswer(uint256 id, bytes calldata output) external;

    /// @notice Called by the `RequestBook` when request `id` ends for good: finalized after its
    /// challenge window (`answered` true, `output` the final answer, whose hash the book
    /// checked), or refunded (`answered` false, `output` empty): unanswered past the take-over
    /// grace, or its answer overturned by a dispute; the fee went back to the requester.
    /// @param id The request identifier.
    /// @param answered Whether the request ended with a final answer.
    /// @param output The final answer, or empty.
    function onFinal(uint256 id, bool answered, bytes calldata output) external;
}
