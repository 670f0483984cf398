// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";

/// @title The non-transferable ERC-20 face of StakedRex
/// @notice sREX metadata; every transfer and approval reverts. Balances and
/// supply come from the staking contract.
abstract contract StakedRexERC20 is IERC20Metadata {
    /// @inheritdoc IERC20Metadata
    function name() external pure returns (string memory) {
        return "Staked REX";
    }

    /// @inheritdoc IERC20Metadata
    function symbol() external pure returns (string memory) {
        return "sREX";
    }

    /// @inheritdoc IERC20Metadata
    function decimals() external pure returns (uint8) {
        return 18;
    }

    /// @notice Always 0: sREX cannot be approved.
    function allowance(address, address) external pure returns (uint256) {
        return 0;
    }

    /// @notice Always reverts with `StakedRex: NON_TRANSFERABLE`.
    function transfer(address, uint256) external pure returns (bool) {
        revert("StakedRex: NON_TRANSFERABLE");
    }

    /// @notice Always reverts with `StakedRex: NON_TRANSFERABLE`.
    function transferFrom(address, address, uint256) external pure returns (bool) {
        revert("StakedRex: NON_TRANSFERABLE");
    }

    /// @notice Always reverts with `StakedRex: NON_TRANSFERABLE`.
    function approve(address, uint256) external pure returns (bool) {
        revert("StakedRex: NON_TRANSFERABLE");
    }
}
