// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Fee router interface
/// @notice Services are priced in USD (18 decimals). A payer pays a service's price in an
/// accepted stablecoin (valued at $1), in REX at a discount converted at a time-weighted
/// average price read from two Uniswap V3 oracles (REX/bridge and bridge/USD, never the spot
/// price), or with AI points earned in sREX at a published rate. Token payments split three
/// ways, exactly: the sREX reward pool, the treasury, and the payee (the service's provider or
/// developer) takes the rest. Spent points are recorded per account and can never be spent
/// twice: `pointsAvailable = sREX.points(account) - pointsSpent(account)`.
/// @dev Revert strings:
/// - `FeeRouter: ZERO_ADDRESS` from the constructor and the owner's setters;
/// - `FeeRouter: BAD_POOL` from the constructor when a pool does not hold the tokens it should;
/// - `FeeRouter: BAD_SHARES` for a pool or treasury share above its bound;
/// - `FeeRouter: BAD_PRICE` for a service price of 0 or above `MAX_PRICE_USD`;
/// - `FeeRouter: BAD_DISCOUNT` above `MAX_DISCOUNT_BPS`;
/// - `FeeRouter: BAD_WINDOW` for a TWAP window outside [`MIN_TWAP_WINDOW`, `MAX_TWAP_WINDOW`];
/// - `FeeRouter: BAD_RATE` for a points rate of 0 or above `MAX_POINTS_PER_USD`;
/// - `FeeRouter: BAD_KEEPER` for this contract as the pool keeper;
/// - `FeeRouter: BAD_DECIMALS` for a stablecoin with more than 18 decimals;
/// - `FeeRouter: UNKNOWN_SERVICE` for a service id never set or removed;
/// - `FeeRouter: NOT_STABLECOIN` for a token not accepted;
/// - `FeeRouter: NO_PAYEE` when the service takes its payee at payment and none is given
///   (always, for `payAndCall`);
/// - `FeeRouter: PAYEE_FIXED` when a payee other than the service's own is given;
/// - `FeeRouter: NO_POINTS` for a service that does not accept points;
/// - `FeeRouter: BAD_UNITS` for a `payAndCall` of 0 or more than `MAX_UNITS` uses;
/// - `FeeRouter: SLIPPAGE` when the amount exceeds the payer's maximum;
/// - `FeeRouter: INSUFFICIENT_POINTS` when the cost exceeds the payer's available points;
/// - `FeeRouter: ORACLE_TOO_YOUNG` when a pool's oracle cannot cover the TWAP window yet;
/// - `TickPrice: TICK` for an average tick beyond Uniswap V3's range (cannot happen with a
///   real pool).
/// The owner's setters by anyone else revert with OpenZeppelin's `OwnableUnauthorizedAccount`.
interface IFeeRouter {
    /// @notice How a payment was made.
    enum Method {
        Stable,
        Rex,
        Points
    }

    /// @notice A service as stored.
    /// @param payee Receiver of the payee share; the zero address: given at each payment.
    /// @param priceUsd Price in USD with 18 decimals, > 0 for a service that exists.
    /// @param poolBps Share for the sREX reward pool, basis points.
    /// @param treasuryBps Share for the treasury, basis points.
    /// @param acceptsPoints Whether AI points may pay for it.
    struct Service {
        address payee;
        uint80 priceUsd;
        uint16 poolBps;
        uint16 treasuryBps;
        bool acceptsPoints;
    }

    /// @notice The owner set (or changed) a service.
    event ServiceSet(
        bytes32 indexed serviceId,
        address payee,
        uint256 priceUsd,
        uint16 poolBps,
        uint16 treasuryBps,
        bool acceptsPoints
    );
    /// @notice The owner removed a service.
    event ServiceRemoved(bytes32 indexed serviceId);
    /// @notice The owner accepted (or stopped accepting) a stablecoin.
    event StablecoinSet(address indexed token, bool accepted, uint8 decimals);
    /// @notice The owner set the REX discount, the TWAP window and the points rate.
    event TermsSet(uint16 rexDiscountBps, uint32 twapWindow, uint256 pointsPerUsd);
    /// @notice The owner set who receives the pool share of stablecoin payments.
    event PoolKeeperSet(address indexed keeper);
    /// @notice `payer` paid for uses of `serviceId` (one, or `units` through `payAndCall`):
    /// `usd` (their price, 18 decimals) as
    /// `amount` base units of `token` (the zero address and points for `Method.Points`),
    /// split between the sREX pool, the treasury and `payee` by the service's shares.
    event Paid(
        bytes32 indexed serviceId,
        address indexed payer,
        Method method,
        address token,
        uint256 usd,
        uint256 amount,
        address payee,
        bytes32 ref
    );

    // ---------------------------------------------------------------- owner

    /// @notice Set a service (owner only); an existing one is replaced.
    /// @param serviceId The service's id (RexOS uses `keccak256(name)`).
    /// @param payee Receiver of the payee share, or the zero address to take it at payment.
    /// @param priceUsd Price, USD with 18 decimals, in (0, `MAX_PRICE_USD`].
    /// @param poolBps sREX reward pool share, <= `MAX_POOL_BPS`.
    /// @param treasuryBps Treasury share, <= `MAX_TREASURY_BPS`.
    /// @param acceptsPoints Whether AI points may pay for it.
    function setService(
        bytes32 serviceId,
        address payee,
        uint256 priceUsd,
        uint16 poolBps,
        uint16 treasuryBps,
        bool acceptsPoints
    ) external;

    /// @notice Remove a service (owner only).
    /// @param serviceId A service that exists.
    function removeService(bytes32 serviceId) external;

    /// @notice Accept or stop accepting a stablecoin (owner only); its decimals are read now.
    /// @param token An ERC-20 with at most 18 decimals, valued at $1 a whole token.
    /// @param accepted Whether payments may use it.
    function setStablecoin(address token, bool accepted) external;

    /// @notice Set the REX discount, the TWAP window and the points rate (owner only).
    /// @param rexDiscountBps Discount for paying in REX, <= `MAX_DISCOUNT_BPS`.
    /// @param twapWindow Seconds averaged, in [`MIN_TWAP_WINDOW`, `MAX_TWAP_WINDOW`].
    /// @param pointsPerUsd Points (18 decimals) one USD costs, in (0, `MAX_POINTS_PER_USD`].
    function setTerms(uint16 rexDiscountBps, uint32 twapWindow, uint256 pointsPerUsd) external;

    /// @notice Set who receives the pool share of stablecoin payments (owner only): the sREX
    /// pool holds only REX, so a keeper buys REX with it and funds the pool.
    /// @param keeper The receiver, neither the zero address nor this contract.
    function setPoolKeeper(address keeper) external;

    // ---------------------------------------------------------------- payments

    /// @notice Pay one use of a service in a stablecoin (approve this contract first).
    /// @param serviceId The service.
    /// @param token An accepted stablecoin.
    /// @param maxAmount Most base units the payer accepts to pay.
    /// @param payee The payee for a service that takes it at payment, else zero or its own.
    /// @param ref The payer's reference (a request id, a report hash), recorded in `Paid`.
    /// @return amount Base units of `token` paid: the price rounded up.
    function payStable(bytes32 serviceId, address token, uint256 maxAmount, address payee, bytes32 ref)
        external
        returns (uint256 amount);

    /// @notice Pay one use of a service in REX at the discount, converted at the TWAP.
    /// @param serviceId The service.
    /// @param maxRex Most REX wei the payer accepts to pay (slippage guard).
    /// @param payee The payee for a service that takes it at payment, else zero or its own.
    /// @param ref The payer's reference, recorded in `Paid`.
    /// @return amount REX wei paid.
    function payRex(bytes32 serviceId, uint256 maxRex, address payee, bytes32 ref) external returns (uint256 amount);

    /// @notice Pay one use of a service with AI points; no token moves.
    /// @param serviceId A service that accepts points.
    /// @param maxPoints Most points (18 decimals) the payer accepts to spend.
    /// @param payee The payee for a service that takes it at payment, else zero or its own.
    /// @param ref The payer's reference, recorded in `Paid`.
    /// @return points Points spent.
    function payPoints(bytes32 serviceId, uint256 maxPoints, address payee, bytes32 ref)
        external
        returns (uint256 points);

    /// @notice Pay `units` uses of a service whose payee is a contract, then call its
    /// `IFeeReceiver.onFeePaid` with `data`, so the payee serves the payment in the same
    /// transaction (a DPrompt request, an agent job). The payee is the service's own, never
    /// the payer's choice. `Paid` records the whole USD value (`units` times the price).
    /// @param serviceId A service with a fixed payee implementing `IFeeReceiver`.
    /// @param method How to pay.
    /// @param token An accepted stablecoin for `Method.Stable`; ignored otherwise.
    /// @param units Uses paid for, in [1, `MAX_UNITS`] (a service priced per cent of budget
    /// takes as many as the payer wants to spend).
    /// @param maxAmount Most base units (or points) the payer accepts to pay.
    /// @param ref The payer's reference, recorded in `Paid` and passed on.
    /// @param data What the payee needs to serve the payment.
    /// @return amount Base units (or points) paid.
    /// @return result What the payee returned (e.g. the id of what it opened).
    function payAndCall(
        bytes32 serviceId,
        Method method,
        address token,
        uint256 units,
        uint256 maxAmount,
        bytes32 ref,
        bytes calldata data
    ) external returns (uint256 amount, bytes memory result);

    // ---------------------------------------------------------------- views

    /// @notice A service as stored (`priceUsd == 0`: no such service).
    /// @param serviceId The service.
    /// @return service Its record.
    function serviceOf(bytes32 serviceId) external view returns (Service memory service);

    /// @notice Decimals of an accepted stablecoin.
    /// @param token The token.
    /// @return accepted Whether payments may use it.
    /// @return decimals Its decimals (0 when not accepted).
    function stablecoinOf(address token) external view returns (bool accepted, uint8 decimals);

    /// @notice Discount for paying in REX, basis points.
    function rexDiscountBps() external view returns (uint16);

    /// @notice Seconds the TWAP averages.
    function twapWindow() external view returns (uint32);

    /// @notice Points (18 decimals) one USD of price costs.
    function pointsPerUsd() external view returns (uint256);

    /// @notice Receiver of the pool share of stablecoin payments.
    function poolKeeper() external view returns (address);

    /// @notice Base units of `token` one use of the service costs.
    /// @param serviceId The service.
    /// @param token An accepted stablecoin.
    /// @return amount The price in `token`, rounded up.
    function quoteStable(bytes32 serviceId, address token) external view returns (uint256 amount);

    /// @notice REX wei one use of the service costs now (discount applied, TWAP price).
    /// @param serviceId The service.
    /// @return amount The price in REX wei, rounded up.
    function quoteRex(bytes32 serviceId) external view returns (uint256 amount);

    /// @notice Points one use of the service costs.
    /// @param serviceId A service that accepts points.
    /// @return points The price in points (18 decimals), rounded up.
    function quotePoints(bytes32 serviceId) external view returns (uint256 points);

    /// @notice REX wei worth `usd` (18 decimals) at the TWAP, without discount, rounded up.
    /// @param usd A USD value with 18 decimals.
    /// @return rexAmount REX wei.
    function rexForUsd(uint256 usd) external view returns (uint256 rexAmount);

    /// @notice The average ticks over the TWAP window of the two pools.
    /// @return rexTick Average tick of the REX/bridge pool.
    /// @return usdTick Average tick of the bridge/USD pool.
    function twapTicks() external view returns (int24 rexTick, int24 usdTick);

    /// @notice Points `account` has spent here.
    /// @param account The account.
    /// @return spent Points (18 decimals), never decreasing.
    function pointsSpent(address account) external view returns (uint256 spent);

    /// @notice Points `account` may still spend: earned in sREX minus spent here.
    /// @param account The account.
    /// @return available Points (18 decimals), never negative.
    function pointsAvailable(address account) external view returns (uint256 available);
}
