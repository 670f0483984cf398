// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IStakedRex} from "../interfaces/IStakedRex.sol";
import {IFeeReceiver} from "./interfaces/IFeeReceiver.sol";
import {IFeeRouter} from "./interfaces/IFeeRouter.sol";
import {IUniswapV3Oracle} from "./interfaces/IUniswapV3Oracle.sol";
import {TickPrice} from "./TickPrice.sol";

/// @title Fee router
/// @notice Takes payments for RexOS services priced in USD: in a stablecoin, in REX at a
/// discount converted at a time-weighted average price, or with AI points. The owner sets
/// services, stablecoins and terms only within the bounds fixed below; it can never move a
/// payer's tokens or points.
/// @dev The REX price is the TWAP over `twapWindow` of two Uniswap V3 pools: REX against a
/// bridge token (WETH on the devnet) and the bridge against a USD stablecoin whose whole
/// token is one dollar. A swap moves a pool's tick for the seconds that follow it only, so a
/// price pushed within one block (or one transaction, as a flash loan would) weighs nothing
/// in the average of that block, and `1 / twapWindow` of the push per second it is held.
/// The contract holds no balance between transactions.
contract FeeRouter is IFeeRouter, Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Basis-point denominator.
    uint256 public constant BPS = 10_000;
    /// @notice Most the sREX reward pool may take of a payment.
    uint16 public constant MAX_POOL_BPS = 3_000;
    /// @notice Most the treasury may take of a payment.
    uint16 public constant MAX_TREASURY_BPS = 2_000;
    /// @notice Largest REX discount: 50 %.
    uint16 public constant MAX_DISCOUNT_BPS = 5_000;
    /// @notice Shortest TWAP window: 10 minutes.
    uint32 public constant MIN_TWAP_WINDOW = 600;
    /// @notice Longest TWAP window: 1 day.
    uint32 public constant MAX_TWAP_WINDOW = 86_400;
    /// @notice Highest service price: one million USD.
    uint256 public constant MAX_PRICE_USD = 1e24;
    /// @notice Highest points rate: one million points per USD.
    uint256 public constant MAX_POINTS_PER_USD = 1e24;
    /// @notice Most uses one `payAndCall` may pay for.
    uint256 public constant MAX_UNITS = 1e6;

    uint256 private constant WAD = 1e18;
    uint256 private constant Q128 = 1 << 128;

    /// @notice The REX token.
    IERC20 public immutable rex;
    /// @notice The sREX contract: its points are what payers spend, its pool takes REX shares.
    IStakedRex public immutable staked;
    /// @notice Receiver of the treasury share.
    address public immutable treasury;
    /// @notice The REX/bridge Uniswap V3 pool.
    IUniswapV3Oracle public immutable rexPool;
    /// @notice The bridge/USD Uniswap V3 pool.
    IUniswapV3Oracle public immutable usdPool;
    /// @notice The USD token of `usdPool`, valued at $1 a whole token.
    address public immutable usdToken;

    bool private immutable _rexIsToken0;
    bool private immutable _bridgeIsToken0;
    uint256 private immutable _usdUnit;

    /// @dev Terms in one slot.
    struct Terms {
        uint16 rexDiscountBps;
        uint32 twapWindow;
        address poolKeeper;
    }

    Terms private _terms;
    uint256 private _pointsPerUsd;
    mapping(bytes32 serviceId => Service) private _services;
    /// @dev Decimals + 1 of each accepted stablecoin; 0: not accepted.
    mapping(address token => uint8) private _stable;
    mapping(address account => uint256) private _spent;

    /// @notice Deploy the router; approves `staked_` to pull the pool share.
    /// @param rex_ The REX token.
    /// @param staked_ The sREX contract.
    /// @param treasury_ Receiver of the treasury share (and, at first, the pool keeper).
    /// @param owner_ Sets services, stablecoins and terms within the bounds.
    /// @param rexPool_ A Uniswap V3 pool of REX and a bridge token.
    /// @param usdPool_ A Uniswap V3 pool of the bridge token and a USD stablecoin.
    /// @param rexDiscountBps_ Initial REX discount.
    /// @param twapWindow_ Initial TWAP window, seconds.
    /// @param pointsPerUsd_ Initial points rate.
    constructor(
        address rex_,
        address staked_,
        address treasury_,
        address owner_,
        address rexPool_,
        address usdPool_,
        uint16 rexDiscountBps_,
        uint32 twapWindow_,
        uint256 pointsPerUsd_
    ) Ownable(owner_) {
        require(
            rex_ != address(0) && staked_ != address(0) && treasury_ != address(0) && rexPool_ != address(0)
                && usdPool_ != address(0),
            "FeeRouter: ZERO_ADDRESS"
        );
        rex = IERC20(rex_);
        staked = IStakedRex(staked_);
        treasury = treasury_;
        rexPool = IUniswapV3Oracle(rexPool_);
        usdPool = IUniswapV3Oracle(usdPool_);
        address bridge;
        address usd;
        (bridge, _rexIsToken0) = _other(rexPool_, rex_);
        (usd, _bridgeIsToken0) = _other(usdPool_, bridge);
        usdToken = usd;
        _usdUnit = 10 ** _decimals(usd);
        _terms.poolKeeper = treasury_;
        _setTerms(rexDiscountBps_, twapWindow_, pointsPerUsd_);
        IERC20(rex_).forceApprove(staked_, type(uint256).max);
    }

    // ---------------------------------------------------------------- owner

    /// @inheritdoc IFeeRouter
    function setService(
        bytes32 serviceId,
        address payee,
        uint256 priceUsd,
        uint16 poolBps,
        uint16 treasuryBps,
        bool acceptsPoints
    ) external onlyOwner {
        require(priceUsd > 0 && priceUsd <= MAX_PRICE_USD, "FeeRouter: BAD_PRICE");
        require(poolBps <= MAX_POOL_BPS && treasuryBps <= MAX_TREASURY_BPS, "FeeRouter: BAD_SHARES");
        // priceUsd <= 1e24 < 2^80, so the narrowing is exact.
        _services[serviceId] = Service(payee, uint80(priceUsd), poolBps, treasuryBps, acceptsPoints);
        emit ServiceSet(serviceId, payee, priceUsd, poolBps, treasuryBps, acceptsPoints);
    }

    /// @inheritdoc IFeeRouter
    function removeService(bytes32 serviceId) external onlyOwner {
        _service(serviceId);
        delete _services[serviceId];
        emit ServiceRemoved(serviceId);
    }

    /// @inheritdoc IFeeRouter
    function setStablecoin(address token, bool accepted) external onlyOwner {
        require(token != address(0), "FeeRouter: ZERO_ADDRESS");
        uint8 decimals = 0;
        if (accepted) {
            decimals = _decimals(token);
            _stable[token] = decimals + 1;
        } else {
            delete _stable[token];
        }
        emit StablecoinSet(token, accepted, decimals);
    }

    /// @inheritdoc IFeeRouter
    function setTerms(uint16 rexDiscountBps_, uint32 twapWindow_, uint256 pointsPerUsd_) external onlyOwner {
        _setTerms(rexDiscountBps_, twapWindow_, pointsPerUsd_);
    }

    /// @inheritdoc IFeeRouter
    function setPoolKeeper(address keeper) external onlyOwner {
        require(keeper != address(0), "FeeRouter: ZERO_ADDRESS");
        require(keeper != address(this), "FeeRouter: BAD_KEEPER");
        _terms.poolKeeper = keeper;
        emit PoolKeeperSet(keeper);
    }

    // ---------------------------------------------------------------- payments

    /// @inheritdoc IFeeRouter
    function payStable(bytes32 serviceId, address token, uint256 maxAmount, address payee, bytes32 ref)
        external
        nonReentrant
        returns (uint256 amount)
    {
        (amount,,) = _pay(serviceId, Method.Stable, token, 1, maxAmount, payee, ref);
    }

    /// @inheritdoc IFeeRouter
    function payRex(bytes32 serviceId, uint256 maxRex, address payee, bytes32 ref)
        external
        nonReentrant
        returns (uint256 amount)
    {
        (amount,,) = _pay(serviceId, Method.Rex, address(rex), 1, maxRex, payee, ref);
    }

    /// @inheritdoc IFeeRouter
    function payPoints(bytes32 serviceId, uint256 maxPoints, address payee, bytes32 ref)
        external
        nonReentrant
        returns (uint256 points)
    {
        (points,,) = _pay(serviceId, Method.Points, address(0), 1, maxPoints, payee, ref);
    }

    /// @inheritdoc IFeeRouter
    function payAndCall(
        bytes32 serviceId,
        Method method,
        address token,
        uint256 units,
        uint256 maxAmount,
        bytes32 ref,
        bytes calldata data
    ) external nonReentrant returns (uint256 amount, bytes memory result) {
        require(units != 0 && units <= MAX_UNITS, "FeeRouter: BAD_UNITS");
        address paidIn = method == Method.Stable ? token : method == Method.Rex ? address(rex) : address(0);
        (uint256 paid, Service memory s, uint256 received) =
            _pay(serviceId, method, paidIn, units, maxAmount, address(0), ref);
        amount = paid;
        // _pay refused a service without a fixed payee (NO_PAYEE): the receiver is the
        // owner's choice, never the payer's.
        result = _notify(s, serviceId, method, units, received, ref, data);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IFeeRouter
    function serviceOf(bytes32 serviceId) external view returns (Service memory) {
        return _services[serviceId];
    }

    /// @inheritdoc IFeeRouter
    function stablecoinOf(address token) external view returns (bool accepted, uint8 decimals) {
        uint8 stored = _stable[token];
        return stored == 0 ? (false, 0) : (true, stored - 1);
    }

    /// @inheritdoc IFeeRouter
    function rexDiscountBps() external view returns (uint16) {
        return _terms.rexDiscountBps;
    }

    /// @inheritdoc IFeeRouter
    function twapWindow() external view returns (uint32) {
        return _terms.twapWindow;
    }

    /// @inheritdoc IFeeRouter
    function pointsPerUsd() external view returns (uint256) {
        return _pointsPerUsd;
    }

    /// @inheritdoc IFeeRouter
    function poolKeeper() external view returns (address) {
        return _terms.poolKeeper;
    }

    /// @inheritdoc IFeeRouter
    function quoteStable(bytes32 serviceId, address token) external view returns (uint256) {
        return _stableAmount(_service(serviceId).priceUsd, token);
    }

    /// @inheritdoc IFeeRouter
    function quoteRex(bytes32 serviceId) external view returns (uint256) {
        return _rexAmount(_service(serviceId).priceUsd);
    }

    /// @inheritdoc IFeeRouter
    function quotePoints(bytes32 serviceId) external view returns (uint256) {
        Service memory s = _service(serviceId);
        return _pointsCost(s, s.priceUsd);
    }

    /// @inheritdoc IFeeRouter
    function rexForUsd(uint256 usd) external view returns (uint256) {
        return _convert(usd);
    }

    /// @inheritdoc IFeeRouter
    function twapTicks() external view returns (int24 rexTick, int24 usdTick) {
        uint32 window = _terms.twapWindow;
        return (_averageTick(rexPool, window), _averageTick(usdPool, window));
    }

    /// @inheritdoc IFeeRouter
    function pointsSpent(address account) external view returns (uint256) {
        return _spent[account];
    }

    /// @inheritdoc IFeeRouter
    function pointsAvailable(address account) external view returns (uint256) {
        uint256 earned = staked.points(account);
        uint256 spent = _spent[account];
        return earned > spent ? earned - spent : 0;
    }

    // --------------------------------------------------------------- internals

    /// @dev Tell the service's payee that the caller paid `units` uses, and return its answer.
    function _notify(
        Service memory s,
        bytes32 serviceId,
        Method method,
        uint256 units,
        uint256 received,
        bytes32 ref,
        bytes calldata data
    ) private returns (bytes memory) {
        uint256 usd = uint256(s.priceUsd) * units;
        return IFeeReceiver(s.payee).onFeePaid(serviceId, msg.sender, method, usd, received, ref, data);
    }

    /// @dev Take the payment for `units` uses of `serviceId` from the caller by `method`
    /// and emit `Paid`; return the amount (token base units or points), the service and what
    /// its payee received (token base units; 0 for points).
    function _pay(
        bytes32 serviceId,
        Method method,
        address token,
        uint256 units,
        uint256 maxAmount,
        address payee,
        bytes32 ref
    ) private returns (uint256 amount, Service memory s, uint256 received) {
        s = _service(serviceId);
        address to = _payee(s, payee);
        uint256 usd = uint256(s.priceUsd) * units;
        if (method == Method.Points) {
            amount = _pointsCost(s, usd);
            require(amount <= maxAmount, "FeeRouter: SLIPPAGE");
            uint256 spent = _spent[msg.sender] + amount;
            require(spent <= staked.points(msg.sender), "FeeRouter: INSUFFICIENT_POINTS");
            _spent[msg.sender] = spent;
        } else if (method == Method.Rex) {
            amount = _rexAmount(usd);
            require(amount <= maxAmount, "FeeRouter: SLIPPAGE");
            received = _transfer(rex, amount, s, address(this), to);
        } else {
            amount = _stableAmount(usd, token);
            require(amount <= maxAmount, "FeeRouter: SLIPPAGE");
            received = _transfer(IERC20(token), amount, s, _terms.poolKeeper, to);
        }
        emit Paid(serviceId, msg.sender, method, token, usd, amount, to, ref);
    }

    /// @dev The token of `pool` other than `known`, and whether `known` is its token0;
    /// reverts "FeeRouter: BAD_POOL" when the pool does not hold `known`.
    function _other(address pool, address known) private view returns (address other, bool knownIsToken0) {
        address t0 = IUniswapV3Oracle(pool).token0();
        address t1 = IUniswapV3Oracle(pool).token1();
        require(t0 == known || t1 == known, "FeeRouter: BAD_POOL");
        return t0 == known ? (t1, true) : (t0, false);
    }

    /// @dev A token's decimals, at most 18.
    function _decimals(address token) private view returns (uint8 decimals) {
        decimals = IERC20Metadata(token).decimals();
        require(decimals <= 18, "FeeRouter: BAD_DECIMALS");
    }

    function _setTerms(uint16 discountBps, uint32 window, uint256 perUsd) private {
        require(discountBps <= MAX_DISCOUNT_BPS, "FeeRouter: BAD_DISCOUNT");
        require(window >= MIN_TWAP_WINDOW && window <= MAX_TWAP_WINDOW, "FeeRouter: BAD_WINDOW");
        require(perUsd > 0 && perUsd <= MAX_POINTS_PER_USD, "FeeRouter: BAD_RATE");
        _terms.rexDiscountBps = discountBps;
        _terms.twapWindow = window;
        _pointsPerUsd = perUsd;
        emit TermsSet(discountBps, window, perUsd);
    }

    /// @dev The stored service; reverts when there is none.
    function _service(bytes32 serviceId) private view returns (Service memory s) {
        s = _services[serviceId];
        require(s.priceUsd != 0, "FeeRouter: UNKNOWN_SERVICE");
    }

    /// @dev The payee of one payment: the service's own, or the one given for a service
    /// that takes it at payment.
    function _payee(Service memory s, address given) private pure returns (address) {
        if (s.payee == address(0)) {
            require(given != address(0), "FeeRouter: NO_PAYEE");
            return given;
        }
        require(given == address(0) || given == s.payee, "FeeRouter: PAYEE_FIXED");
        return s.payee;
    }

    /// @dev Move `amount` of `token` from the payer: the pool and treasury shares rounded
    /// down, the payee the rest, so the three sum to `amount` exactly. A REX pool share
    /// (`poolTo` is this contract) goes into sREX's reward pool through `fund`.
    function _transfer(IERC20 token, uint256 amount, Service memory s, address poolTo, address to)
        private
        returns (uint256 toPayee)
    {
        uint256 pool = (amount * s.poolBps) / BPS;
        uint256 toTreasury = (amount * s.treasuryBps) / BPS;
        toPayee = amount - pool - toTreasury;
        if (pool != 0) {
            token.safeTransferFrom(msg.sender, poolTo, pool);
            if (poolTo == address(this)) staked.fund(pool);
        }
        if (toTreasury != 0) token.safeTransferFrom(msg.sender, treasury, toTreasury);
        if (toPayee != 0) token.safeTransferFrom(msg.sender, to, toPayee);
    }

    /// @dev `priceUsd` in base units of an accepted stablecoin, rounded up.
    function _stableAmount(uint256 priceUsd, address token) private view returns (uint256) {
        uint8 stored = _stable[token];
        require(stored != 0, "FeeRouter: NOT_STABLECOIN");
        return Math.mulDiv(priceUsd, 10 ** (stored - 1), WAD, Math.Rounding.Ceil);
    }

    /// @dev `priceUsd` less the discount, in REX wei at the TWAP, rounded up.
    function _rexAmount(uint256 priceUsd) private view returns (uint256) {
        uint256 discounted = Math.mulDiv(priceUsd, BPS - _terms.rexDiscountBps, BPS, Math.Rounding.Ceil);
        return _convert(discounted);
    }

    /// @dev Points for `usd` of a service, rounded up.
    function _pointsCost(Service memory s, uint256 usd) private view returns (uint256) {
        require(s.acceptsPoints, "FeeRouter: NO_POINTS");
        return Math.mulDiv(usd, _pointsPerUsd, WAD, Math.Rounding.Ceil);
    }

    /// @dev REX wei worth `usd` at the TWAP, rounded up: USD base units, then bridge units
    /// (divide by the bridge's USD price), then REX (divide by REX's bridge price).
    function _convert(uint256 usd) private view returns (uint256) {
        uint32 window = _terms.twapWindow;
        int256 usdTick = _averageTick(usdPool, window);
        int256 rexTick = _averageTick(rexPool, window);
        // 1.0001^usdTick is token1 per token0 of the USD pool; bridge-per-USD-unit is its
        // inverse when the bridge is token0.
        uint256 x = usd * _usdUnit;
        x = _scaleByTick(x, _bridgeIsToken0 ? usdTick : -usdTick);
        x = _scaleByTick(x, _rexIsToken0 ? rexTick : -rexTick);
        return Math.ceilDiv(x, WAD);
    }

    /// @dev `x * 1.0001^-tick`, rounded up.
    function _scaleByTick(uint256 x, int256 tick) private pure returns (uint256) {
        if (tick >= 0) return Math.mulDiv(x, TickPrice.inverseRatioX128(uint256(tick)), Q128, Math.Rounding.Ceil);
        return Math.mulDiv(x, Q128, TickPrice.inverseRatioX128(uint256(-tick)), Math.Rounding.Ceil);
    }

    /// @dev The pool's arithmetic-mean tick over the last `window` seconds, rounded toward
    /// negative infinity; reverts "FeeRouter: ORACLE_TOO_YOUNG" when its oracle holds no
    /// observation that old.
    function _averageTick(IUniswapV3Oracle pool, uint32 window) private view returns (int24) {
        uint32[] memory ago = new uint32[](2);
        ago[0] = window;
        try pool.observe(ago) returns (int56[] memory cumulatives, uint160[] memory) {
            int256 delta = int256(cumulatives[1]) - int256(cumulatives[0]);
            int256 mean = delta / int256(uint256(window));
            if (delta < 0 && delta % int256(uint256(window)) != 0) mean -= 1;
            return int24(mean);
        } catch {
            revert("FeeRouter: ORACLE_TOO_YOUNG");
        }
    }
}
