// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IFeeRouter} from "./IFeeRouter.sol";

/// @title Fee receiver
/// @notice A service's payee that serves a payment in the same transaction: the fee router
/// calls it after taking the payment through `IFeeRouter.payAndCall`.
interface IFeeReceiver {
    /// @notice `payer` has just paid `usd` (USD with 18 decimals) of `serviceId` by `method`;
    /// serve it. Reverting undoes the payment.
    /// @param serviceId The service paid.
    /// @param payer Who paid.
    /// @param method How the payer paid.
    /// @param usd The value paid, USD with 18 decimals (before any REX discount).
    /// @param received Base units of the paid token this receiver got (after the service's
    /// pool and treasury shares); 0 for points.
    /// @param ref The payer's reference.
    /// @param data The payer's request, in the receiver's encoding.
    /// @return result What the receiver opened, in its encoding (returned to the payer).
    function onFeePaid(
        bytes32 serviceId,
        address payer,
        IFeeRouter.Method method,
        uint256 usd,
        uint256 received,
        bytes32 ref,
        bytes calldata data
    ) external returns (bytes memory result);
}
