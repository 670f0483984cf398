// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";
import {VestingWalletCliff} from "@openzeppelin/contracts/finance/VestingWalletCliff.sol";

/// @title RexOS vesting bucket
/// @notice One vested allocation (e.g. "team_advisors"): OpenZeppelin's
/// `VestingWalletCliff`, owned by the beneficiary, with a human-readable label.
/// Vested at `t`: 0 before `start + cliffSeconds`, everything from
/// `start + duration`, else `allocation * (t - start) / duration`.
contract RexVesting is VestingWalletCliff {
    /// @notice The bucket label this wallet holds (e.g. "investors").
    string public bucket;

    /// @notice Create a vesting wallet for one bucket.
    /// @param bucket_ The bucket label.
    /// @param beneficiary The owner, who receives released tokens.
    /// @param startTimestamp Unix time at which linear vesting starts.
    /// @param durationSeconds Seconds from `startTimestamp` until everything is vested.
    /// @param cliffSeconds Seconds from `startTimestamp` before anything is releasable (<= duration).
    constructor(string memory bucket_, address beneficiary, uint64 startTimestamp, uint64 durationSeconds, uint64 cliffSeconds)
        VestingWallet(beneficiary, startTimestamp, durationSeconds)
        VestingWalletCliff(cliffSeconds)
    {
        bucket = bucket_;
    }
}
