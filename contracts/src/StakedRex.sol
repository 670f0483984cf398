// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IStakedRex} from "./interfaces/IStakedRex.sol";
import {DeductionSchedule} from "./staking/DeductionSchedule.sol";
import {StakedRexERC20} from "./staking/StakedRexERC20.sol";

/// @title StakedRex (sREX)
/// @notice REX staking with a Synthetix-style reward stream, weighted-average
/// entry time, holding-age deductions (half burned, half recycled into later
/// epochs) and points. Implements docs/explanation/economy-spec.md exactly.
contract StakedRex is IStakedRex, StakedRexERC20, DeductionSchedule, Ownable, ReentrancyGuardTransient {
    using SafeCast for uint256;
    using SafeERC20 for IERC20;

    /// @dev One account's record in three slots, each holding a field that the
    /// first stake sets non-zero (balance, entryTime, pointsTime), so later actions
    /// never pay for a zero-to-non-zero write. Balances and rewards are bounded by
    /// the 3e27 REX supply (< 2^96); balance-seconds stay below 2^128 for millennia;
    /// reward-per-token values by `1e18 * totalNotified` < 2^188.
    struct Account {
        uint96 balance;
        uint96 rewards;
        uint128 balanceSeconds;
        uint64 entryTime;
        uint192 rewardPerTokenPaid;
        uint64 pointsTime;
    }

    uint256 private constant PRECISION = 1e18;

    /// @inheritdoc IStakedRex
    address public immutable rex;
    /// @inheritdoc IStakedRex
    uint64 public immutable epochDuration;
    /// @inheritdoc IStakedRex
    uint256 public immutable pointsPerDay;

    // Globals in five slots; the fields an action touches together share a slot,
    // and all but the last are non-zero once the first stream has started.
    // `lastUpdateTime` shares its slot with `totalStaked`: every update writes the
    // one and every stake or unstake the other, so a stake (above all the first,
    // which leaves `rewardPerTokenStored` as it is) pays one write for both.
    /// @inheritdoc IStakedRex
    uint192 public rewardPerTokenStored;
    /// @inheritdoc IStakedRex
    uint64 public periodFinish;
    /// @inheritdoc IStakedRex
    uint96 public totalStaked;
    /// @inheritdoc IStakedRex
    uint64 public lastUpdateTime;
    /// @inheritdoc IStakedRex
    uint96 public rewardRate;
    /// @inheritdoc IStakedRex
    uint128 public rewardReserve;
    /// @inheritdoc IStakedRex
    uint128 public pendingRewards;
    /// @inheritdoc IStakedRex
    uint128 public totalNotified;
    /// @inheritdoc IStakedRex
    uint128 public totalClaimed;
    /// @inheritdoc IStakedRex
    uint128 public totalDeductionBurned;

    mapping(address account => Account) private _accounts;

    /// @inheritdoc IStakedRex
    mapping(address depositor => bool) public isDepositor;

    /// @notice Deploy the staking contract.
    /// @param rex_ The REX token.
    /// @param owner_ May call `startStream`.
    /// @param thresholds Holding-age thresholds in seconds, strictly increasing, non-empty.
    /// @param rates Deduction rates in bps, `thresholds.length + 1` entries, non-increasing, each <= 10,000.
    /// @param epochDuration_ Seconds per recycled reward epoch, > 0.
    /// @param pointsPerDay_ Points per sREX per day, scaled by 1e18.
    constructor(
        address rex_,
        address owner_,
        uint64[] memory thresholds,
        uint16[] memory rates,
        uint64 epochDuration_,
        uint256 pointsPerDay_
    ) DeductionSchedule(thresholds, rates) Ownable(owner_) {
        require(rex_ != address(0), "StakedRex: ZERO_ADDRESS");
        require(epochDuration_ > 0, "StakedRex: ZERO_EPOCH");
        rex = rex_;
        epochDuration = epochDuration_;
        pointsPerDay = pointsPerDay_;
    }

    // ---------------------------------------------------------------- actions

    /// @inheritdoc IStakedRex
    function stake(uint256 amount) external nonReentrant {
        _stake(msg.sender, amount);
    }

    /// @inheritdoc IStakedRex
    function stakeFor(address account, uint256 amount) external nonReentrant {
        require(isDepositor[msg.sender], "StakedRex: NOT_DEPOSITOR");
        require(account != address(0), "StakedRex: ZERO_ADDRESS");
        _stake(account, amount);
    }

    /// @inheritdoc IStakedRex
    function setDepositor(address depositor, bool allowed) external onlyOwner {
        require(depositor != address(0), "StakedRex: ZERO_ADDRESS");
        isDepositor[depositor] = allowed;
        emit DepositorSet(depositor, allowed);
    }

    /// @dev Stake `amount` REX pulled from the caller into `account`'s stake; its holding
    /// age becomes the amount-weighted average of the old entry time and now.
    function _stake(address account, uint256 amount) private {
        require(amount > 0, "StakedRex: ZERO_AMOUNT");
        Account storage a = _accounts[account];
        uint256 balance = _updateAccount(a, _updateGlobal());
        uint256 entry = balance == 0
            ? block.timestamp
            : (balance * a.entryTime + amount * block.timestamp) / (balance + amount);
        a.balance = (balance + amount).toUint96();
        a.entryTime = uint64(entry);
        totalStaked += amount.toUint96();
        IERC20(rex).safeTransferFrom(msg.sender, address(this), amount);
        emit Staked(account, amount, entry);
        emit Transfer(address(0), account, amount);
    }

    /// @inheritdoc IStakedRex
    function unstake(uint256 amount) external nonReentrant returns (uint256 received) {
        require(amount > 0, "StakedRex: ZERO_AMOUNT");
        Account storage a = _accounts[msg.sender];
        uint256 balance = a.balance;
        require(amount <= balance, "StakedRex: INSUFFICIENT_STAKE");
        _updateAccount(a, _updateGlobal());
        uint256 deduction;
        uint256 burned;
        (received, deduction, burned) = _deduct(amount, block.timestamp - a.entryTime);
        // amount <= balance <= type(uint96).max, so the narrowings are exact.
        a.balance = uint96(balance - amount);
        totalStaked -= uint96(amount);
        if (deduction != burned) pendingRewards += uint128(deduction - burned);
        if (burned != 0) totalDeductionBurned += uint128(burned);
        if (received != 0) IERC20(rex).safeTransfer(msg.sender, received);
        if (burned != 0) ERC20Burnable(rex).burn(burned);
        emit Unstaked(msg.sender, amount, received, deduction, burned);
        emit Transfer(msg.sender, address(0), amount);
    }

    /// @inheritdoc IStakedRex
    function claim() external nonReentrant returns (uint256 reward) {
        Account storage a = _accounts[msg.sender];
        _updateAccount(a, _updateGlobal());
        reward = a.rewards;
        if (reward != 0) {
            a.rewards = 0;
            // reward <= type(uint96).max, so the narrowings are exact.
            rewardReserve -= uint128(reward);
            totalClaimed += uint128(reward);
            IERC20(rex).safeTransfer(msg.sender, reward);
        }
        emit RewardClaimed(msg.sender, reward);
    }

    /// @inheritdoc IStakedRex
    function fund(uint256 amount) external nonReentrant {
        require(amount > 0, "StakedRex: ZERO_AMOUNT");
        _updateGlobal();
        pendingRewards += amount.toUint128();
        IERC20(rex).safeTransferFrom(msg.sender, address(this), amount);
        emit RewardFunded(msg.sender, amount);
    }

    /// @inheritdoc IStakedRex
    function startStream(uint256 amount, uint256 duration) external onlyOwner nonReentrant {
        _updateGlobal();
        require(block.timestamp >= periodFinish, "StakedRex: STREAM_ACTIVE");
        uint256 rate = duration == 0 ? 0 : amount / duration;
        require(rate > 0, "StakedRex: ZERO_RATE");
        uint256 streamed = rate * duration;
        uint64 finish = (block.timestamp + duration).toUint64();
        rewardReserve += streamed.toUint128();
        totalNotified += streamed.toUint128();
        if (amount != streamed) pendingRewards += (amount - streamed).toUint128();
        rewardRate = rate.toUint96();
        periodFinish = finish;
        IERC20(rex).safeTransferFrom(msg.sender, address(this), amount);
        emit RewardStreamed(streamed, rate, finish);
    }

    /// @inheritdoc IStakedRex
    function poke() external nonReentrant {
        _updateGlobal();
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IStakedRex
    function rewardPerToken() public view returns (uint256) {
        uint256 staked = totalStaked;
        uint256 last = lastUpdateTime;
        uint256 t = _streamTime(periodFinish);
        if (staked == 0 || t <= last) return rewardPerTokenStored;
        return rewardPerTokenStored + (uint256(rewardRate) * (t - last) * PRECISION) / staked;
    }

    /// @inheritdoc IStakedRex
    function earned(address account) external view returns (uint256) {
        Account storage a = _accounts[account];
        return a.rewards + (uint256(a.balance) * (rewardPerToken() - a.rewardPerTokenPaid)) / PRECISION;
    }

    /// @inheritdoc IStakedRex
    function points(address account) external view returns (uint256) {
        Account storage a = _accounts[account];
        uint256 held = a.balanceSeconds + uint256(a.balance) * (block.timestamp - a.pointsTime);
        return (held * pointsPerDay) / (1 days * PRECISION);
    }

    /// @inheritdoc IStakedRex
    function previewUnstake(address account, uint256 amount)
        external
        view
        returns (uint256 received, uint256 deduction, uint256 burned)
    {
        return _deduct(amount, block.timestamp - _accounts[account].entryTime);
    }

    /// @inheritdoc IStakedRex
    function deductionRate(uint256 age) external view returns (uint256) {
        return _deductionRate(age);
    }

    /// @inheritdoc IStakedRex
    function deductionSchedule() external view returns (uint64[] memory thresholds, uint16[] memory rates) {
        return _deductionSchedule();
    }

    /// @inheritdoc IStakedRex
    function holdingAge(address account) external view returns (uint256) {
        Account storage a = _accounts[account];
        return a.balance == 0 ? 0 : block.timestamp - a.entryTime;
    }

    /// @inheritdoc IStakedRex
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
        )
    {
        Account storage a = _accounts[account];
        return (a.balance, a.entryTime, a.pointsTime, a.balanceSeconds, a.rewards, a.rewardPerTokenPaid);
    }

    /// @inheritdoc IERC20
    function totalSupply() external view returns (uint256) {
        return totalStaked;
    }

    /// @inheritdoc IERC20
    function balanceOf(address account) external view returns (uint256) {
        return _accounts[account].balance;
    }

    // --------------------------------------------------------------- internals

    /// @dev Spec `_updateGlobal`: accrue the stream up to `min(now, periodFinish)`
    /// (recycling it into `pendingRewards` when nobody is staked), then roll a new
    /// epoch from `pendingRewards` once the current stream has ended.
    /// @return rpt The up-to-date `rewardPerTokenStored`.
    function _updateGlobal() private returns (uint256 rpt) {
        uint256 last = lastUpdateTime;
        uint256 finish = periodFinish;
        rpt = rewardPerTokenStored;
        uint256 t = _streamTime(finish);
        if (t > last) {
            uint256 dist = uint256(rewardRate) * (t - last);
            uint256 staked = totalStaked;
            if (staked == 0) {
                // One read and one write of the slot the two share.
                uint256 reserve = rewardReserve;
                uint256 pending = pendingRewards;
                (rewardReserve, pendingRewards) = ((reserve - dist).toUint128(), (pending + dist).toUint128());
            } else {
                uint256 delta = (dist * PRECISION) / staked;
                if (delta != 0) {
                    rpt += delta;
                    rewardPerTokenStored = rpt.toUint192();
                }
            }
        }
        if (last != block.timestamp) lastUpdateTime = uint64(block.timestamp);
        if (block.timestamp >= finish) _rollEpoch();
    }

    /// @dev Start a new epoch-long stream from `pendingRewards` if it holds at least
    /// one wei per second of the epoch.
    function _rollEpoch() private {
        uint256 pending = pendingRewards;
        uint256 epoch = epochDuration;
        if (pending < epoch) return;
        uint256 rate = pending / epoch;
        uint256 amount = rate * epoch;
        uint256 finish = block.timestamp + epoch;
        // pending - amount < pending, so its narrowing is exact.
        (rewardReserve, pendingRewards) = ((rewardReserve + amount).toUint128(), uint128(pending - amount));
        totalNotified += amount.toUint128();
        rewardRate = rate.toUint96();
        periodFinish = finish.toUint64();
        emit RewardStreamed(amount, rate, finish);
    }

    /// @dev Spec `_updateAccount`: settle rewards and balance-seconds up to now.
    /// @return balance The account's (unchanged) staked balance.
    function _updateAccount(Account storage a, uint256 rpt) private returns (uint256 balance) {
        balance = a.balance;
        uint256 pointsTime = a.pointsTime;
        uint256 paid = a.rewardPerTokenPaid;
        if (balance != 0) {
            uint256 reward = (balance * (rpt - paid)) / PRECISION;
            uint256 seconds_ = balance * (block.timestamp - pointsTime);
            if (reward != 0) a.rewards += reward.toUint96();
            if (seconds_ != 0) a.balanceSeconds += seconds_.toUint128();
        }
        // rpt comes from the uint192 rewardPerTokenStored, so the narrowing is exact.
        if (paid != rpt) a.rewardPerTokenPaid = uint192(rpt);
        if (pointsTime != block.timestamp) a.pointsTime = uint64(block.timestamp);
    }

    /// @dev `min(now, finish)`.
    function _streamTime(uint256 finish) private view returns (uint256) {
        return block.timestamp < finish ? block.timestamp : finish;
    }
}
