// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ServiceDesk} from "../economy/ServiceDesk.sol";
import {IAgentMarket} from "./interfaces/IAgentMarket.sol";

/// @title Market desk
/// @notice Sells Agent Market jobs for USD (the `market.job` service, priced per cent of
/// budget): a payer pays through the fee router and the desk opens the job in the same
/// transaction from its float, holding at most the payment's REX value. When the operator
/// settles (or the job expires and is refunded), `settleUp` turns what the market gave back
/// into the payer's voucher; the payer rates the job through the desk.
/// @dev Revert strings besides `ServiceDesk`'s: `MarketDesk: NOT_OURS` (a job this desk did
/// not open, or settled up already), `NOT_DONE` (still open), `NOT_PAYER`, `SELF_RATING`
/// (the payer owns or operates the listing); the market's pass through
/// (`AgentMarket: BELOW_PRICE` when the budget is below the listing's price).
contract MarketDesk is ServiceDesk {
    /// @notice What a payer asks, ABI-encoded as the `data` of `payAndCall`.
    /// @param specHash The agent version to run.
    /// @param maxPrice Most REX wei the job may hold; 0: the whole budget.
    /// @param expiry When the operator's time to settle ends (the market bounds it).
    struct Buy {
        bytes32 specHash;
        uint96 maxPrice;
        uint40 expiry;
    }

    /// @notice The Agent Market.
    IAgentMarket public immutable market;

    mapping(uint256 jobId => uint256) private _held;

    /// @param router_ The fee router.
    /// @param market_ The Agent Market.
    /// @param rex_ The REX token.
    /// @param owner_ Tops up the float and collects payments.
    /// @param serviceId_ The router's service whose payee this desk is.
    constructor(address router_, address market_, address rex_, address owner_, bytes32 serviceId_)
        ServiceDesk(router_, market_, rex_, owner_, serviceId_)
    {
        market = IAgentMarket(market_);
    }

    /// @notice Turn what the market gave back of a settled or refunded job into its payer's
    /// voucher (anyone may call; once per job).
    /// @param jobId The job.
    function settleUp(uint256 jobId) external nonReentrant {
        uint256 held = _held[jobId];
        require(held != 0, "MarketDesk: NOT_OURS");
        IAgentMarket.Job memory j = market.jobOf(jobId);
        require(j.status != IAgentMarket.JobStatus.Open, "MarketDesk: NOT_DONE");
        delete _held[jobId];
        // settled: the market returned what the price left; refunded: all of it
        _return(jobId, j.status == IAgentMarket.JobStatus.Settled ? held - j.amount : held);
    }

    /// @notice Rate a settled job the caller paid for here, 1 to 5.
    /// @param jobId The job.
    /// @param score The rating.
    function rate(uint256 jobId, uint8 score) external nonReentrant {
        require(payerOf(jobId) == msg.sender && msg.sender != address(0), "MarketDesk: NOT_PAYER");
        IAgentMarket.Listing memory l = market.listingOf(jobId >> 64);
        require(msg.sender != l.owner && msg.sender != l.operator, "MarketDesk: SELF_RATING");
        market.rate(jobId, score);
    }

    /// @notice REX wei job `jobId` holds for this desk until it is settled up (0: none).
    /// @param jobId The job.
    /// @return REX wei.
    function heldFor(uint256 jobId) external view returns (uint256) {
        return _held[jobId];
    }

    /// @inheritdoc ServiceDesk
    function _open(uint256 budget, bytes calldata data) internal override returns (uint256 jobId) {
        Buy memory b = abi.decode(data, (Buy));
        uint256 cap = b.maxPrice == 0 || b.maxPrice > budget ? budget : b.maxPrice;
        if (cap > type(uint96).max) cap = type(uint96).max;
        jobId = market.openJob(b.specHash, uint96(cap), b.expiry);
        _held[jobId] = cap;
    }
}
