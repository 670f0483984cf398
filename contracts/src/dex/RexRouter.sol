// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IUniswapV3FactoryLike, IUniswapV3PoolLike} from "../interfaces/IUniswapV3.sol";
import {RexV2Pair} from "./RexV2Pair.sol";
import {StableSwapPool} from "./StableSwapPool.sol";

/// @title Rex router
/// @notice Executes a list of exact-input swap steps (the fills of a rexos.dex route, in
/// execution order) atomically for `msg.sender`, across Uniswap-V2-interface pairs,
/// StableSwap pools and Uniswap V3 (and PancakeSwap V3) pools: split orders, multi-hop
/// paths, a pool visited more than once and arbitrage loops through any token, the sold and
/// the bought one included.
/// @dev The router pulls exactly `amountIn` of `tokenIn` from the sender once, at the start.
/// Every step then spends the router's own balance (`amountIn == 0`: all it holds of that
/// token, so exact outputs chain without off-chain rounding); no step can take anything from
/// the sender. At the end the router's whole `tokenOut` balance goes to the recipient (at
/// least `minAmountOut`, measured as the recipient's balance change, so a pool that lies
/// about what it paid cannot pass the check) and whatever is left of `tokenIn` and of every
/// token a step names goes back to the sender: the router holds nothing between
/// transactions. When no step sells `tokenOut`, V2 and V3 outputs of it go straight to the
/// recipient (one transfer less). V2 amounts out are
/// ⌊a·(10000 − f)·R_out / (R_in·10000 + a·(10000 − f))⌋ on the pair's live reserves, with the
/// fee `f` the step names (a wrong fee reverts in the pair's K check or pays less, which
/// `minAmountOut` bounds). A StableSwap pool is approved for exactly the step's amount, and
/// the approval is cleared after the exchange. A V3 step sells exactly its amount (a pool
/// that stops early at the price limit reverts the swap); the pool pays out first and then
/// calls `uniswapV3SwapCallback` (PancakeSwap V3: `pancakeV3SwapCallback`), which pays, from
/// the router's balance, only the pool the router is swapping with at that moment, once and
/// exactly the step's amount, a pool the step's factory created (checked with `getPool`
/// before the swap), and that factory must be one the router was deployed with. Tokens with
/// a fee on transfer are not supported. V2 and StableSwap steps call the pools and tokens
/// they name: a sender must only name contracts it trusts, as with any router; they can at
/// worst lose that sender's own tokens of this swap, which is all the router holds.
contract RexRouter is ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Kinds of venue a step can trade on.
    enum Kind {
        V2,
        STABLE,
        V3
    }

    /// @notice One swap: sell `amountIn` of `tokenIn` on `pool` for `tokenOut`.
    /// @param kind The venue kind.
    /// @param pool The V2 pair, StableSwap pool or V3 pool.
    /// @param tokenIn Token sold.
    /// @param tokenOut Token bought.
    /// @param fee V2: the pair's fee in basis points; V3: the pool's fee in millionths
    /// (3000 = 0.3 %); ignored for StableSwap.
    /// @param i StableSwap: coin index of `tokenIn`; ignored otherwise.
    /// @param j StableSwap: coin index of `tokenOut`; ignored otherwise.
    /// @param factory V3: the factory that created `pool`; ignored otherwise.
    /// @param amountIn Base units sold from the router's balance; 0 sells all it holds of
    /// `tokenIn`.
    struct Step {
        Kind kind;
        address pool;
        address tokenIn;
        address tokenOut;
        uint24 fee;
        uint8 i;
        uint8 j;
        address factory;
        uint256 amountIn;
    }

    uint256 private constant BPS = 10_000;
    /// @dev TickMath.MIN_SQRT_RATIO + 1 and MAX_SQRT_RATIO - 1: no price limit.
    uint160 private constant MIN_SQRT_PRICE_LIMIT = 4295128740;
    uint160 private constant MAX_SQRT_PRICE_LIMIT = 1461446703485210103287273052203988822378723970341;

    /// @notice Whether V3 steps may name this factory.
    mapping(address factory => bool) public trustedV3Factory;

    /// @dev The V3 pool being swapped with, what it is owed and how much; set only around
    /// one pool's `swap` call, so the callback pays nobody else, at no other time.
    address private transient _v3Pool;
    address private transient _v3Token;
    uint256 private transient _v3Amount;

    /// @param v3Factories The Uniswap V3 (or interface-compatible, e.g. PancakeSwap V3)
    /// factories whose pools V3 steps may trade on; fixed for the router's life.
    constructor(address[] memory v3Factories) {
        for (uint256 k = 0; k < v3Factories.length; ++k) {
            trustedV3Factory[v3Factories[k]] = true;
        }
    }

    /// @notice Pull `amountIn` of `tokenIn` from the sender, run `steps` in order, and deliver
    /// at least `minAmountOut` of `tokenOut` to `recipient`; the rest goes back to the sender.
    /// @dev The sender must have approved the router for `amountIn` of `tokenIn`. Reverts
    /// "RexRouter: EXPIRED" after `deadline`, "RexRouter: SLIPPAGE" when the recipient gets
    /// less than `minAmountOut` of `tokenOut`, "RexRouter: NO_STEPS", "RexRouter: TOKENS" when
    /// `tokenIn == tokenOut`, "RexRouter: RECIPIENT" for the zero address or the router,
    /// "RexRouter: ZERO_AMOUNT" for `amountIn == 0` or a step with nothing to sell,
    /// "RexRouter: NO_OUTPUT" for a V2 or V3 step that buys nothing, "RexRouter: FACTORY" /
    /// "RexRouter: POOL" for a V3 step naming an untrusted factory or a pool it did not
    /// create, "RexRouter: V3_PARTIAL" when a V3 pool takes less than the step; a step selling
    /// more than the router holds reverts in the token's transfer.
    /// @param steps The swaps, in execution order.
    /// @param tokenIn The token sold by the sender.
    /// @param amountIn Base units of `tokenIn` pulled from the sender (once).
    /// @param tokenOut The token bought.
    /// @param minAmountOut Least acceptable total of `tokenOut` the recipient receives.
    /// @param recipient Receiver of `tokenOut`.
    /// @param deadline Last valid block timestamp.
    /// @return amountOut Base units of `tokenOut` the recipient received.
    function swap(
        Step[] calldata steps,
        address tokenIn,
        uint256 amountIn,
        address tokenOut,
        uint256 minAmountOut,
        address recipient,
        uint256 deadline
    ) external nonReentrant returns (uint256 amountOut) {
        require(block.timestamp <= deadline, "RexRouter: EXPIRED");
        require(steps.length > 0, "RexRouter: NO_STEPS");
        require(tokenIn != tokenOut, "RexRouter: TOKENS");
        require(recipient != address(0) && recipient != address(this), "RexRouter: RECIPIENT");
        require(amountIn > 0, "RexRouter: ZERO_AMOUNT");
        IERC20 bought = IERC20(tokenOut);
        uint256 before = bought.balanceOf(recipient);
        IERC20(tokenIn).safeTransferFrom(msg.sender, address(this), amountIn);
        bool direct = true; // no step sells tokenOut: its V2/V3 outputs may go straight out
        for (uint256 k = 0; k < steps.length; ++k) {
            if (steps[k].tokenIn == tokenOut) {
                direct = false;
                break;
            }
        }
        for (uint256 k = 0; k < steps.length; ++k) {
            Step calldata step = steps[k];
            uint256 amount = step.amountIn;
            if (amount == 0) amount = IERC20(step.tokenIn).balanceOf(address(this));
            require(amount > 0, "RexRouter: ZERO_AMOUNT");
            address to = direct && step.tokenOut == tokenOut ? recipient : address(this);
            if (step.kind == Kind.V2) _swapV2(step, amount, to);
            else if (step.kind == Kind.V3) _swapV3(step, amount, to);
            else _swapStable(step, amount);
        }
        uint256 held = bought.balanceOf(address(this));
        if (held > 0) bought.safeTransfer(recipient, held);
        amountOut = bought.balanceOf(recipient) - before;
        require(amountOut >= minAmountOut, "RexRouter: SLIPPAGE");
        _refund(steps, tokenIn, tokenOut);
    }

    /// @dev Send the sender every token of this swap the router still holds (but `tokenOut`,
    /// already delivered): what a truncated plan left over.
    function _refund(Step[] calldata steps, address tokenIn, address tokenOut) private {
        address[] memory seen = new address[](2 * steps.length + 1);
        uint256 count = 0;
        count = _refundOnce(seen, count, tokenIn, tokenOut);
        for (uint256 k = 0; k < steps.length; ++k) {
            count = _refundOnce(seen, count, steps[k].tokenIn, tokenOut);
            count = _refundOnce(seen, count, steps[k].tokenOut, tokenOut);
        }
    }

    function _refundOnce(address[] memory seen, uint256 count, address token, address tokenOut)
        private
        returns (uint256)
    {
        if (token == tokenOut) return count;
        for (uint256 k = 0; k < count; ++k) {
            if (seen[k] == token) return count;
        }
        seen[count] = token;
        uint256 left = IERC20(token).balanceOf(address(this));
        if (left > 0) IERC20(token).safeTransfer(msg.sender, left);
        return count + 1;
    }

    function _swapV2(Step calldata step, uint256 amount, address to) private {
        RexV2Pair pair = RexV2Pair(step.pool);
        (uint256 reserve0, uint256 reserve1,) = pair.getReserves();
        bool zeroForOne = step.tokenIn < step.tokenOut;
        (uint256 reserveIn, uint256 reserveOut) = zeroForOne ? (reserve0, reserve1) : (reserve1, reserve0);
        uint256 inWithFee = amount * (BPS - step.fee);
        uint256 out = inWithFee * reserveOut / (reserveIn * BPS + inWithFee);
        require(out > 0, "RexRouter: NO_OUTPUT");
        IERC20(step.tokenIn).safeTransfer(address(pair), amount);
        (uint256 out0, uint256 out1) = zeroForOne ? (uint256(0), out) : (out, uint256(0));
        pair.swap(out0, out1, to, "");
    }

    function _swapStable(Step calldata step, uint256 amount) private {
        IERC20 token = IERC20(step.tokenIn);
        token.forceApprove(step.pool, amount);
        StableSwapPool(step.pool).exchange(step.i, step.j, amount, 0);
        if (token.allowance(address(this), step.pool) != 0) token.forceApprove(step.pool, 0);
    }

    /// @notice Pays a Uniswap V3 pool what a swap the router started owes it. Only the pool
    /// being swapped with may call, once, during that swap; it must owe exactly the step's
    /// amount, which the router pays from its own balance.
    /// @dev Reverts "RexRouter: CALLBACK" for any other caller or time, "RexRouter: V3_PARTIAL"
    /// when the pool owes a different amount.
    /// @param amount0Delta Token0 the pool is owed (positive) or paid out (negative).
    /// @param amount1Delta Token1 the pool is owed (positive) or paid out (negative).
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata) external {
        _pay(amount0Delta, amount1Delta);
    }

    /// @notice The same for a PancakeSwap V3 pool, which calls this name with the same
    /// arguments; the same checks apply.
    /// @param amount0Delta Token0 the pool is owed (positive) or paid out (negative).
    /// @param amount1Delta Token1 the pool is owed (positive) or paid out (negative).
    function pancakeV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata) external {
        _pay(amount0Delta, amount1Delta);
    }

    function _pay(int256 amount0Delta, int256 amount1Delta) private {
        address pool = _v3Pool;
        require(pool != address(0) && msg.sender == pool, "RexRouter: CALLBACK");
        _v3Pool = address(0);
        uint256 owed = uint256(amount0Delta > 0 ? amount0Delta : amount1Delta);
        require(owed == _v3Amount, "RexRouter: V3_PARTIAL");
        IERC20(_v3Token).safeTransfer(pool, owed);
    }

    function _swapV3(Step calldata step, uint256 amount, address to) private {
        require(trustedV3Factory[step.factory], "RexRouter: FACTORY");
        require(
            IUniswapV3FactoryLike(step.factory).getPool(step.tokenIn, step.tokenOut, step.fee) == step.pool,
            "RexRouter: POOL"
        );
        require(amount <= uint256(type(int256).max), "RexRouter: AMOUNT");
        bool zeroForOne = step.tokenIn < step.tokenOut;
        _v3Pool = step.pool;
        _v3Token = step.tokenIn;
        _v3Amount = amount;
        (int256 amount0, int256 amount1) = IUniswapV3PoolLike(step.pool).swap(
            to, zeroForOne, int256(amount), zeroForOne ? MIN_SQRT_PRICE_LIMIT : MAX_SQRT_PRICE_LIMIT, ""
        );
        require(_v3Pool == address(0), "RexRouter: CALLBACK");
        require((zeroForOne ? amount1 : amount0) < 0, "RexRouter: NO_OUTPUT");
    }
}
