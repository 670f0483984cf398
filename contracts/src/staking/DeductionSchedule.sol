// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Holding-age deduction schedule of StakedRex
/// @notice `rates[i]` (bps) applies to a holding age below `thresholds[i]`
/// seconds; the last rate applies from the last threshold on.
abstract contract DeductionSchedule {
    uint256 private constant BPS = 10_000;

    uint64[] private _thresholds;
    uint16[] private _rates;

    /// @param thresholds Seconds, strictly increasing, non-empty.
    /// @param rates Bps, `thresholds.length + 1` entries, non-increasing, each <= 10,000.
    constructor(uint64[] memory thresholds, uint16[] memory rates) {
        uint256 n = thresholds.length;
        require(n != 0 && rates.length == n + 1 && rates[0] <= BPS, "StakedRex: BAD_SCHEDULE");
        for (uint256 i = 1; i < n; ++i) {
            require(thresholds[i] > thresholds[i - 1], "StakedRex: BAD_SCHEDULE");
        }
        for (uint256 i = 1; i <= n; ++i) {
            require(rates[i] <= rates[i - 1], "StakedRex: BAD_SCHEDULE");
        }
        _thresholds = thresholds;
        _rates = rates;
    }

    /// @dev The schedule as given to the constructor.
    function _deductionSchedule() internal view returns (uint64[] memory thresholds, uint16[] memory rates) {
        return (_thresholds, _rates);
    }

    /// @dev `rates[i]` for the first `i` with `age < thresholds[i]`, else the last rate.
    function _deductionRate(uint256 age) internal view returns (uint256) {
        uint256 n = _thresholds.length;
        for (uint256 i; i < n; ++i) {
            if (age < _thresholds[i]) return _rates[i];
        }
        return _rates[n];
    }

    /// @dev Split an unstake of `amount` at holding age `age`.
    function _deduct(uint256 amount, uint256 age)
        internal
        view
        returns (uint256 received, uint256 deduction, uint256 burned)
    {
        deduction = (amount * _deductionRate(age)) / BPS;
        burned = deduction / 2;
        received = amount - deduction;
    }
}
