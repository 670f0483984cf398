// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title Internal REX credit
/// @notice Accounts keep a REX balance inside the book so that requests, bonds and
/// payouts move one storage word instead of calling the token.
abstract contract CreditBook {
    using SafeERC20 for IERC20;

    /// @notice The REX token.
    IERC20 public immutable rex;

    mapping(address => uint256) internal _credit;

    /// @notice `account` moved `amount` REX into its credit.
    event Deposited(address indexed account, uint256 amount);
    /// @notice `account` took `amount` REX out of its credit.
    event CreditWithdrawn(address indexed account, uint256 amount);

    constructor(address rex_) {
        require(rex_ != address(0), "RequestBook: ZERO_ADDRESS");
        rex = IERC20(rex_);
    }

    /// @notice Move `amount` REX from the caller into its credit (approve first).
    /// @param amount REX wei, > 0.
    function deposit(uint256 amount) external {
        _deposit(amount);
    }

    /// @notice `deposit` with an ERC-2612 permit instead of an approval.
    /// @param amount REX wei, > 0.
    /// @param deadline Permit deadline.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external {
        IERC20Permit(address(rex)).permit(msg.sender, address(this), amount, deadline, v, r, s);
        _deposit(amount);
    }

    /// @notice Send `amount` of the caller's credit to the caller.
    /// @param amount REX wei, 0 < amount <= credit.
    function withdrawCredit(uint256 amount) external {
        require(amount > 0, "RequestBook: ZERO_AMOUNT");
        _debit(msg.sender, amount);
        rex.safeTransfer(msg.sender, amount);
        emit CreditWithdrawn(msg.sender, amount);
    }

    /// @notice REX credit of `account`.
    /// @param account The account.
    /// @return REX wei.
    function creditOf(address account) external view returns (uint256) {
        return _credit[account];
    }

    function _deposit(uint256 amount) private {
        require(amount > 0, "RequestBook: ZERO_AMOUNT");
        _credit[msg.sender] += amount;
        rex.safeTransferFrom(msg.sender, address(this), amount);
        emit Deposited(msg.sender, amount);
    }

    function _debit(address account, uint256 amount) internal {
        uint256 balance = _credit[account];
        require(amount <= balance, "RequestBook: INSUFFICIENT_CREDIT");
        unchecked {
            _credit[account] = balance - amount;
        }
    }
}
