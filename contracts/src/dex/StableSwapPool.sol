// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title StableSwap pool
/// @notice A Curve-style StableSwap pool of 2 to 4 coins, written from the StableSwap
/// whitepaper: A·nⁿ·Σx + D = A·D·nⁿ + D^(n+1) / (nⁿ·Πx) over balances normalised to
/// 18 decimals. D and the output balance are found by Newton's method in checked uint256
/// arithmetic; rexos.dex.stable mirrors every step, so quotes agree to the wei.
/// @dev Units: `amp` is A·A_PRECISION (A_PRECISION = 100), A in Curve's on-chain convention
/// (the whitepaper's A·nⁿ is A·n here); `rates[k]` is 10^(36 − decimals)
/// (base units → 18 decimals, scaled by 1e18); `fee` is in 1e-10 (FEE_DENOMINATOR = 1e10).
/// The whole fee stays in the pool, accruing to liquidity providers. Balances are tracked by
/// the pool, so tokens sent to it without a call are ignored. Liquidity shares are internal
/// (`sharesOf`), not an ERC-20.
contract StableSwapPool is ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Scale of `rates` and of balances normalised to 18 decimals.
    uint256 public constant PRECISION = 1e18;
    /// @notice `fee` is in units of 1 / FEE_DENOMINATOR.
    uint256 public constant FEE_DENOMINATOR = 1e10;
    /// @notice The largest fee: 50 %.
    uint256 public constant MAX_FEE = 5e9;
    /// @notice `amp` is A·A_PRECISION.
    uint256 public constant A_PRECISION = 100;
    /// @notice The largest A.
    uint256 public constant MAX_A = 1e6;
    uint256 private constant MAX_ITERATIONS = 255;

    /// @notice A·A_PRECISION.
    uint256 public immutable amp;
    /// @notice Swap fee in units of 1e-10.
    uint256 public immutable fee;
    /// @notice Number of coins (2 to 4).
    uint256 public immutable nCoins;

    address[] private _coins;
    uint256[] private _rates;
    uint256[] private _balances;

    /// @notice Liquidity shares in existence.
    uint256 public totalSupply;
    /// @notice Liquidity shares held by each account.
    mapping(address account => uint256) public sharesOf;

    /// @notice `buyer` sold `dx` of coin `i` for `dy` of coin `j`.
    event TokenExchange(address indexed buyer, uint256 i, uint256 dx, uint256 j, uint256 dy);
    /// @notice `provider` deposited `amounts`, paid `fees` (left in the pool) and got `shares`.
    event AddLiquidity(address indexed provider, uint256[] amounts, uint256[] fees, uint256 shares);
    /// @notice `provider` burned `shares` for `amounts`.
    event RemoveLiquidity(address indexed provider, uint256[] amounts, uint256 shares);

    /// @param coins_ The pool's tokens, 2 to 4, distinct.
    /// @param rates_ Per coin, 10^(36 − decimals): base units to 18 decimals, scaled by 1e18.
    /// @param amp_ A·A_PRECISION, between A_PRECISION and MAX_A·A_PRECISION.
    /// @param fee_ Swap fee in 1e-10, at most MAX_FEE.
    constructor(address[] memory coins_, uint256[] memory rates_, uint256 amp_, uint256 fee_) {
        uint256 n = coins_.length;
        require(n >= 2 && n <= 4, "StableSwapPool: COIN_COUNT");
        require(rates_.length == n, "StableSwapPool: RATES_LENGTH");
        require(amp_ >= A_PRECISION && amp_ <= MAX_A * A_PRECISION, "StableSwapPool: AMP");
        require(fee_ <= MAX_FEE, "StableSwapPool: FEE");
        for (uint256 k = 0; k < n; ++k) {
            require(coins_[k] != address(0), "StableSwapPool: ZERO_ADDRESS");
            require(rates_[k] > 0, "StableSwapPool: ZERO_RATE");
            for (uint256 m = 0; m < k; ++m) {
                require(coins_[m] != coins_[k], "StableSwapPool: DUPLICATE_COIN");
            }
        }
        _coins = coins_;
        _rates = rates_;
        _balances = new uint256[](n);
        amp = amp_;
        fee = fee_;
        nCoins = n;
    }

    /// @notice The token at index `i`.
    /// @param i Coin index.
    /// @return The token address.
    function coins(uint256 i) external view returns (address) {
        return _coins[i];
    }

    /// @notice The rate of coin `i` (10^(36 − decimals)).
    /// @param i Coin index.
    /// @return The rate.
    function rates(uint256 i) external view returns (uint256) {
        return _rates[i];
    }

    /// @notice The pool's balance of coin `i`, in its base units.
    /// @param i Coin index.
    /// @return The balance.
    function balances(uint256 i) external view returns (uint256) {
        return _balances[i];
    }

    /// @notice Every balance at once, in coin order.
    /// @return The balances.
    function getBalances() external view returns (uint256[] memory) {
        return _balances;
    }

    /// @notice The invariant D of the current balances (18 decimals).
    /// @return D.
    function getD() external view returns (uint256) {
        return _getD(_xp(_balances), amp);
    }

    /// @notice What `exchange(i, j, dx, 0)` would pay now, after the fee.
    /// @param i Index of the coin sold.
    /// @param j Index of the coin bought.
    /// @param dx Base units of coin `i` sold.
    /// @return Base units of coin `j` received.
    function get_dy(uint256 i, uint256 j, uint256 dx) external view returns (uint256) {
        return _getDy(i, j, dx);
    }

    /// @notice Sell exactly `dx` of coin `i` for at least `minDy` of coin `j`.
    /// @dev The caller must have approved `dx` of coin `i` to the pool.
    /// @param i Index of the coin sold.
    /// @param j Index of the coin bought.
    /// @param dx Base units of coin `i` sold.
    /// @param minDy Least acceptable output; reverts "StableSwapPool: SLIPPAGE" below it.
    /// @return dy Base units of coin `j` sent to the caller.
    function exchange(uint256 i, uint256 j, uint256 dx, uint256 minDy) external nonReentrant returns (uint256 dy) {
        dy = _getDy(i, j, dx);
        require(dy >= minDy, "StableSwapPool: SLIPPAGE");
        _balances[i] += dx;
        _balances[j] -= dy;
        IERC20(_coins[i]).safeTransferFrom(msg.sender, address(this), dx);
        IERC20(_coins[j]).safeTransfer(msg.sender, dy);
        emit TokenExchange(msg.sender, i, dx, j, dy);
    }

    /// @notice Deposit coins for liquidity shares. The first deposit needs every coin and mints
    /// D shares; later ones mint in proportion to the rise in D, after a fee on the part of the
    /// deposit that is out of balance with the pool (fee·n / (4·(n − 1)) per coin).
    /// @dev The caller must have approved each amount to the pool.
    /// @param amounts Base units of each coin, in coin order.
    /// @param minShares Least acceptable shares; reverts "StableSwapPool: SLIPPAGE" below it.
    /// @return shares Shares credited to the caller.
    function add_liquidity(uint256[] calldata amounts, uint256 minShares)
        external
        nonReentrant
        returns (uint256 shares)
    {
        uint256 n = nCoins;
        require(amounts.length == n, "StableSwapPool: AMOUNTS_LENGTH");
        uint256 supply = totalSupply;
        uint256[] memory before = _balances;
        uint256[] memory afterDeposit = new uint256[](n);
        for (uint256 k = 0; k < n; ++k) {
            require(supply > 0 || amounts[k] > 0, "StableSwapPool: INITIAL_DEPOSIT_NEEDS_EVERY_COIN");
            afterDeposit[k] = before[k] + amounts[k];
        }
        uint256 d0 = supply == 0 ? 0 : _getD(_xp(before), amp);
        uint256 d1 = _getD(_xp(afterDeposit), amp);
        require(d1 > d0, "StableSwapPool: ZERO_DEPOSIT");
        uint256[] memory fees = new uint256[](n);
        if (supply == 0) {
            shares = d1;
        } else {
            uint256 coinFee = fee * n / (4 * (n - 1));
            uint256[] memory charged = new uint256[](n);
            for (uint256 k = 0; k < n; ++k) {
                uint256 ideal = d1 * before[k] / d0;
                uint256 gap = ideal > afterDeposit[k] ? ideal - afterDeposit[k] : afterDeposit[k] - ideal;
                fees[k] = coinFee * gap / FEE_DENOMINATOR;
                charged[k] = afterDeposit[k] - fees[k];
            }
            uint256 d2 = _getD(_xp(charged), amp);
            require(d2 > d0, "StableSwapPool: ZERO_DEPOSIT");
            shares = supply * (d2 - d0) / d0;
        }
        require(shares > 0 && shares >= minShares, "StableSwapPool: SLIPPAGE");
        _balances = afterDeposit;
        totalSupply = supply + shares;
        sharesOf[msg.sender] += shares;
        for (uint256 k = 0; k < n; ++k) {
            if (amounts[k] > 0) IERC20(_coins[k]).safeTransferFrom(msg.sender, address(this), amounts[k]);
        }
        emit AddLiquidity(msg.sender, amounts, fees, shares);
    }

    /// @notice Burn `shares` for the same fraction of every balance.
    /// @param shares Shares to burn.
    /// @param minAmounts Least acceptable amount of each coin; reverts "StableSwapPool: SLIPPAGE".
    /// @return amounts Base units of each coin sent to the caller.
    function remove_liquidity(uint256 shares, uint256[] calldata minAmounts)
        external
        nonReentrant
        returns (uint256[] memory amounts)
    {
        uint256 n = nCoins;
        require(minAmounts.length == n, "StableSwapPool: AMOUNTS_LENGTH");
        require(shares > 0, "StableSwapPool: ZERO_AMOUNT");
        require(sharesOf[msg.sender] >= shares, "StableSwapPool: INSUFFICIENT_SHARES");
        uint256 supply = totalSupply;
        amounts = new uint256[](n);
        for (uint256 k = 0; k < n; ++k) {
            amounts[k] = _balances[k] * shares / supply;
            require(amounts[k] >= minAmounts[k], "StableSwapPool: SLIPPAGE");
            _balances[k] -= amounts[k];
        }
        sharesOf[msg.sender] -= shares;
        totalSupply = supply - shares;
        for (uint256 k = 0; k < n; ++k) {
            if (amounts[k] > 0) IERC20(_coins[k]).safeTransfer(msg.sender, amounts[k]);
        }
        emit RemoveLiquidity(msg.sender, amounts, shares);
    }

    function _getDy(uint256 i, uint256 j, uint256 dx) private view returns (uint256) {
        uint256 n = nCoins;
        require(i != j && i < n && j < n, "StableSwapPool: BAD_INDEX");
        require(dx > 0, "StableSwapPool: ZERO_AMOUNT");
        uint256[] memory xp = _xp(_balances);
        uint256 x = xp[i] + dx * _rates[i] / PRECISION;
        uint256 y = _getY(i, j, x, xp, amp);
        require(y + 1 < xp[j], "StableSwapPool: ZERO_OUTPUT");
        uint256 dy = xp[j] - y - 1;
        uint256 dyFee = dy * fee / FEE_DENOMINATOR;
        uint256 out = (dy - dyFee) * PRECISION / _rates[j];
        require(out > 0, "StableSwapPool: ZERO_OUTPUT");
        return out;
    }

    function _xp(uint256[] memory amounts) private view returns (uint256[] memory xp) {
        uint256 n = amounts.length;
        xp = new uint256[](n);
        for (uint256 k = 0; k < n; ++k) {
            xp[k] = amounts[k] * _rates[k] / PRECISION;
        }
    }

    /// @dev Newton's method on D from D = Σx. In exact arithmetic the iterates fall onto the
    /// root; the loop stops at the first one that does not fall by more than 1 (floor noise).
    function _getD(uint256[] memory xp, uint256 amp_) private pure returns (uint256) {
        uint256 n = xp.length;
        uint256 sum = 0;
        for (uint256 k = 0; k < n; ++k) {
            require(xp[k] > 0, "StableSwapPool: EMPTY_BALANCE");
            sum += xp[k];
        }
        uint256 d = sum;
        uint256 ann = amp_ * n;
        for (uint256 step = 0; step < MAX_ITERATIONS; ++step) {
            uint256 dP = d;
            for (uint256 k = 0; k < n; ++k) {
                dP = dP * d / (xp[k] * n);
            }
            uint256 previous = d;
            uint256 numerator = (ann * sum / A_PRECISION + dP * n) * d;
            uint256 denominator = (ann - A_PRECISION) * d / A_PRECISION + (n + 1) * dP;
            d = numerator / denominator;
            if (d + 1 >= previous) return d;
        }
        revert("StableSwapPool: D_NOT_CONVERGED");
    }

    /// @dev The balance of coin j that keeps D when coin i's becomes x: Newton's method on
    /// y² + (b − D)·y = c from y = D. The first step may rise past the root (y can exceed D);
    /// after it the iterates fall, so the loop stops at a step of at most 1 or a later rise.
    function _getY(uint256 i, uint256 j, uint256 x, uint256[] memory xp, uint256 amp_)
        private
        pure
        returns (uint256)
    {
        uint256 n = xp.length;
        uint256 d = _getD(xp, amp_);
        uint256 ann = amp_ * n;
        uint256 c = d;
        uint256 others = 0;
        for (uint256 k = 0; k < n; ++k) {
            if (k == j) continue;
            uint256 xk = k == i ? x : xp[k];
            others += xk;
            c = c * d / (xk * n);
        }
        c = c * d * A_PRECISION / (ann * n);
        uint256 b = others + d * A_PRECISION / ann;
        uint256 y = d;
        for (uint256 step = 0; step < MAX_ITERATIONS; ++step) {
            uint256 previous = y;
            y = (y * y + c) / (2 * y + b - d);
            if (y + 1 >= previous && (step > 0 || y <= previous + 1)) return y;
        }
        revert("StableSwapPool: Y_NOT_CONVERGED");
    }
}
