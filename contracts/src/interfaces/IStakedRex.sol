// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";

/// @title StakedRex (sREX) interface
/// @notice Stake REX, earn streamed REX rewards and points; unstaking early pays a
/// deduction that is half burned, half recycled into future reward epochs.
/// sREX is a non-transferable ERC-20 view of the stake.
/// @dev Revert strings:
/// - `StakedRex: NON_TRANSFERABLE` on `transfer`, `transferFrom`, `approve`;
/// - `StakedRex: ZERO_AMOUNT` on `stake`, `unstake`, `fund` with amount 0;
/// - `StakedRex: INSUFFICIENT_STAKE` on `unstake` above the caller's stake;
/// - `StakedRex: STREAM_ACTIVE` on `startStream` before `periodFinish`;
/// - `StakedRex: ZERO_RATE` on `startStream` when `amount / duration == 0`;
/// - `StakedRex: BAD_SCHEDULE` / `StakedRex: ZERO_EPOCH` / `StakedRex: ZERO_ADDRESS`
///   from the constructor.
/// `startStream` by a non-owner reverts with OpenZeppelin's `OwnableUnauthorizedAccount`.
interface IStakedRex is IERC20Metadata {
    /// @notice `account` staked `amount`; its weighted-average entry time is now `entryTime`.
    event Staked(address indexed account, uint256 amount, uint256 entryTime);

    /// @notice The owner allowed (or forbade) `depositor` to stake for others.
    event DepositorSet(address indexed depositor, bool allowed);
    /// @notice `account` unstaked `amount`, received `received`; `deduction` was kept,
    /// of which `burned` was burned and the rest added to `pendingRewards`.
    event Unstaked(address indexed account, uint256 amount, uint256 received, uint256 deduction, uint256 burned);
    /// @notice `account` was paid `amount` of accrued rewards.
    event RewardClaimed(address indexed account, uint256 amount);
    /// @notice `from` added `amount` to `pendingRewards`.
    event RewardFunded(address indexed from, uint256 amount);
    /// @notice A stream of `amount` at `rate` wei/second started; it ends at `periodFinish`.
    event RewardStreamed(uint256 amount, uint256 rate, uint256 periodFinish);

    // ---------------------------------------------------------------- actions

    /// @notice Stake `amount` REX (pulled with `transferFrom`; approve first).
    /// @param amount REX wei to stake, > 0.
    function stake(uint256 amount) external;

    /// @notice Stake `amount` REX pulled from the caller into `account`'s stake, for a
    /// depositor the owner allowed (the airdrop distributor, whose claim-and-stake stakes
    /// only for the claimant who calls it). Restricted because a stake lowers the account's
    /// holding age (the amount-weighted average of its entry time and now): an unrestricted
    /// gift just before an age threshold could raise someone's unstake deduction.
    /// @param account The staker credited, not the zero address.
    /// @param amount REX wei to stake, > 0.
    function stakeFor(address account, uint256 amount) external;

    /// @notice Allow or forbid `depositor` to call `stakeFor` (owner only).
    /// @param depositor The contract allowed, not the zero address.
    /// @param allowed Whether it may.
    function setDepositor(address depositor, bool allowed) external;

    /// @notice Whether `depositor` may call `stakeFor`.
    /// @param depositor The address asked about.
    /// @return allowed True when the owner allowed it.
    function isDepositor(address depositor) external view returns (bool allowed);

    /// @notice Unstake `amount`, paying the deduction for the stake's holding age.
    /// @param amount sREX wei to unstake, 0 < amount <= balance.
    /// @return received REX wei sent to the caller.
    function unstake(uint256 amount) external returns (uint256 received);

    /// @notice Pay the caller every accrued reward.
    /// @return reward REX wei sent to the caller.
    function claim() external returns (uint256 reward);

    /// @notice Add `amount` REX to `pendingRewards` (anyone); it streams in later epochs.
    /// @param amount REX wei to pull from the caller, > 0.
    function fund(uint256 amount) external;

    /// @notice Owner only: start a stream of `amount` over `duration` seconds; the
    /// remainder `amount % duration` goes to `pendingRewards`.
    /// @param amount REX wei to pull from the owner.
    /// @param duration Stream length in seconds.
    function startStream(uint256 amount, uint256 duration) external;

    /// @notice Bring the reward accumulator up to date and roll an epoch if due (anyone).
    function poke() external;

    // ------------------------------------------------------------------ views

    /// @notice The REX token staked and paid out.
    function rex() external view returns (address);

    /// @notice Seconds per recycled reward epoch.
    function epochDuration() external view returns (uint64);

    /// @notice Points per sREX per day, scaled by 1e18.
    function pointsPerDay() external view returns (uint256);

    /// @notice The deduction schedule: `rates[i]` (bps) applies below `thresholds[i]`
    /// seconds of holding age; the last rate applies beyond the last threshold.
    function deductionSchedule() external view returns (uint64[] memory thresholds, uint16[] memory rates);

    /// @notice Sum of all stakes (equals `totalSupply`).
    function totalStaked() external view returns (uint96);

    /// @notice Last time the accumulator was brought up to date.
    function lastUpdateTime() external view returns (uint64);

    /// @notice End of the current reward stream.
    function periodFinish() external view returns (uint64);

    /// @notice Current stream rate, REX wei per second.
    function rewardRate() external view returns (uint96);

    /// @notice Stored reward per staked wei, scaled by 1e18.
    function rewardPerTokenStored() external view returns (uint192);

    /// @notice REX committed to streams and not yet claimed.
    function rewardReserve() external view returns (uint128);

    /// @notice REX waiting to be streamed in a later epoch.
    function pendingRewards() external view returns (uint128);

    /// @notice Total REX ever committed to streams.
    function totalNotified() external view returns (uint128);

    /// @notice Total REX ever claimed.
    function totalClaimed() external view returns (uint128);

    /// @notice Total REX burned from unstake deductions.
    function totalDeductionBurned() external view returns (uint128);

    /// @notice `rewardPerTokenStored` brought up to now, without writing.
    function rewardPerToken() external view returns (uint256);

    /// @notice Rewards `account` could claim now.
    function earned(address account) external view returns (uint256);

    /// @notice Points accrued by `account` (1e18 = one sREX held one day at the default rate).
    function points(address account) external view returns (uint256);

    /// @notice What `unstake(amount)` by `account` would pay now (does not check the balance).
    function previewUnstake(address account, uint256 amount)
        external
        view
        returns (uint256 received, uint256 deduction, uint256 burned);

    /// @notice Deduction rate (bps) for a holding age of `age` seconds.
    function deductionRate(uint256 age) external view returns (uint256);

    /// @notice Seconds since `account`'s weighted-average entry time (0 with no stake).
    function holdingAge(address account) external view returns (uint256);

    /// @notice The stored per-account record.
    function accountOf(address account)
        external
        view
        returns (
            uint256 balance,
            uint256 entryTime,
            uint256 pointsTime,
            uint256 balanceSeconds,
            uint256 rewards,
            uint256 rewardPerTokenPaid
        );
}
