// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title RexOS Token (REX)
/// @notice Fixed-supply ERC-20 with ERC-2612 permit and burning. The whole
/// supply is minted once, at construction, to the genesis distributor; no
/// other mint exists. `totalSupply() + totalBurned() == TOTAL_MINTED` always.
contract RexToken is ERC20, ERC20Burnable, ERC20Permit {
    /// @notice The supply minted at construction: 3,000,000,000 REX.
    uint256 public constant TOTAL_MINTED = 3_000_000_000e18;

    uint256 private _totalBurned;

    /// @notice Mint the whole supply to `distributor`.
    /// @param distributor The genesis distributor receiving all REX.
    constructor(address distributor) ERC20("RexOS Token", "REX") ERC20Permit("RexOS Token") {
        _mint(distributor, TOTAL_MINTED);
    }

    /// @notice Every wei ever burned (by `burn`, `burnFrom` or any other path).
    /// @return The cumulative burned amount, in wei.
    function totalBurned() external view returns (uint256) {
        return _totalBurned;
    }

    /// @dev Counts burns; transfers and the mint pay only for one comparison.
    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (to == address(0)) {
            _totalBurned += value;
        }
    }
}
