// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Prepaid REX credit
/// @notice What DPrompt's request book and the Agent Market share: accounts keep REX credit
/// inside the contract, which requests, jobs and bonds draw on.
interface ICreditBook {
    /// @notice Move `amount` REX from the caller into its credit (approve first).
    function deposit(uint256 amount) external;

    /// @notice Send `amount` of the caller's credit to the caller.
    function withdrawCredit(uint256 amount) external;

    /// @notice REX credit of `account`.
    function creditOf(address account) external view returns (uint256);
}
