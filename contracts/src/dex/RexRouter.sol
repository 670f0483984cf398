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
/// StableSwap pools and Uniswap V3 pools: split orders, multi-hop paths and both at once.
/// @dev A step selling `tokenIn` (the sold token) pulls its amount from the sender:
/// straight into a V2 pair, or through the router for a StableSwap pool. Every other step
/// spends tokens the router received from earlier steps; `amountIn == 0` spends all the
/// router holds of that token, so exact outputs chain without off-chain rounding and nothing
/// is left behind. V2 outputs of `tokenOut` go straight to the recipient. V2 amounts out are
/// ⌊a·(10000 − f)·R_out / (R_in·10000 + a·(10000 − f))⌋ on the pair's live reserves, with the
/// fee `f` the step names (a wrong fee reverts in the pair's K check or pays less, which
/// `minAmountOut` bounds). A V3 step sells exactly its amount (a pool that stops early at
/// the price limit reverts the swap); the pool pays out first and then calls
/// `uniswapV3SwapCallback`, which pays only the pool the router is swapping with at that
/// moment, a pool the step's factory created (checked with `getPool` before the swap), and
/// that factory must be one the router was deployed with. Tokens with a fee on transfer are
/// not supported. The router keeps no balances between transactions; its only state is the
/// allowances it grants StableSwap pools (unlimited, set once per pool and token) and the
/// trusted V3 factories. V2 and StableSwap steps call the pools and tokens they name: a
/// sender must only name contracts it trusts, as with any router.
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
    /// @param pool The V2 pair or StableSwap pool.
    /// @param tokenIn Token sold.
    /// @param tokenOut Token bought.
    /// @param fee V2: the pair's fee in basis points; V3: the pool's fee in millionths
    /// (3000 = 0.3 %); ignored for StableSwap.
    /// @param i StableSwap: coin index of `tokenIn`; ignored otherwise.
    /// @param j StableSwap: coin index of `tokenOut`; ignored otherwise.
    /// @param factory V3: the factory that created `pool`; ignored otherwise.
    /// @param amountIn Base units sold; 0 sells all the router holds of `tokenIn`.
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

    /// @dev The V3 pool being swapped with, who pays it, what and how much; set only
    /// around one pool's `swap` call, so the callback pays nobody else, at no other time.
    address private transient _v3Pool;
    address private transient _v3Payer;
    address private transient _v3Token;
    uint256 private transient _v3Amount;

    /// @param v3Factories The Uniswap V3 (or interface-compatible) factories whose pools V3
    /// steps may trade on; fixed for the router's life.
    constructor(address[] memory v3Factories) {
        for (uint256 k = 0; k < v3Factories.length; ++k) {
            trustedV3Factory[v3Factories[k]] = true;
        }
    }

    /// @notice Run `steps` in order, selling `tokenIn` from the sender for at least
    /// `minAmountOut` of `tokenOut` delivered to `recipient`.
    /// @dev The sender must have approved the router for the sum of the steps selling
    /// `tokenIn`. Reverts "RexRouter: EXPIRED" after `deadline`, "RexRouter: SLIPPAGE" when
    /// the steps yield less than `minAmountOut` of `tokenOut`, "RexRouter: NO_STEPS",
    /// "RexRouter: RECIPIENT" for the zero address or the router, "RexRouter: ZERO_AMOUNT"
    /// for a step with nothing to sell, "RexRouter: NO_OUTPUT" for a V2 step that buys nothing,
    /// "RexRouter: FACTORY" / "RexRouter: POOL" for a V3 step naming an untrusted factory or a
    /// pool it did not create, "RexRouter: V3_PARTIAL" when a V3 pool takes less than the step.
    /// @param steps The swaps, in execution order.
    /// @param tokenIn The token sold by the sender.
    /// @param tokenOut The token bought.
    /// @param minAmountOut Least acceptable total of `tokenOut`.
    /// @param recipient Receiver of `tokenOut`.
    /// @param deadline Last valid block timestamp.
    /// @return amountOut Base units of `tokenOut` delivered to `recipient`.
    function swap(
        Step[] calldata steps,
        address tokenIn,
        address tokenOut,
        uint256 minAmountOut,
        address recipient,
        uint256 deadline
    ) external nonReentrant returns (uint256 amountOut) {
        require(block.timestamp <= deadline, "RexRouter: EXPIRED");
        require(steps.length > 0, "RexRouter: NO_STEPS");
        require(recipient != address(0) && recipient != address(this), "RexRouter: RECIPIENT");
        uint256 held = 0;
        for (uint256 k = 0; k < steps.length; ++k) {
            Step calldata step = steps[k];
            bool fromSender = step.tokenIn == tokenIn;
            uint256 amount = step.amountIn;
            if (amount == 0 && !fromSender) amount = IERC20(step.tokenIn).balanceOf(address(this));
            require(amount > 0, "RexRouter: ZERO_AMOUNT");
            bool last = step.tokenOut == tokenOut;
            if (step.kind == Kind.V2) {
                address to = last ? recipient : address(this);
                uint256 out = _swapV2(step, amount, fromSender, to);
                if (last) amountOut += out;
            } else if (step.kind == Kind.V3) {
                address to = last ? recipient : address(this);
                uint256 out = _swapV3(step, amount, fromSender, to);
                if (last) amountOut += out;
            } else {
                uint256 out = _swapStable(step, amount, fromSender);
                if (last) held += out;
            }
        }
        if (held > 0) IERC20(tokenOut).safeTransfer(recipient, held);
        amountOut += held;
        require(amountOut >= minAmountOut, "RexRouter: SLIPPAGE");
    }

    function _swapV2(Step calldata step, uint256 amount, bool fromSender, address to)
        private
        returns (uint256 out)
    {
        RexV2Pair pair = RexV2Pair(step.pool);
        (uint256 reserve0, uint256 reserve1,) = pair.getReserves();
        bool zeroForOne = step.tokenIn < step.tokenOut;
        (uint256 reserveIn, uint256 reserveOut) = zeroForOne ? (reserve0, reserve1) : (reserve1, reserve0);
        uint256 inWithFee = amount * (BPS - step.fee);
        out = inWithFee * reserveOut / (reserveIn * BPS + inWithFee);
        require(out > 0, "RexRouter: NO_OUTPUT");
        if (fromSender) IERC20(step.tokenIn).safeTransferFrom(msg.sender, address(pair), amount);
        else IERC20(step.tokenIn).safeTransfer(address(pair), amount);
        (uint256 out0, uint256 out1) = zeroForOne ? (uint256(0), out) : (out, uint256(0));
        pair.swap(out0, out1, to, "");
    }

    function _swapStable(Step calldata step, uint256 amount, bool fromSender) private returns (uint256) {
        IERC20 token = IERC20(step.tokenIn);
        if (fromSender) token.safeTransferFrom(msg.sender, address(this), amount);
        if (token.allowance(address(this), step.pool) < amount) token.forceApprove(step.pool, type(uint256).max);
        return StableSwapPool(step.pool).exchange(step.i, step.j, amount, 0);
    }

    /// @notice Pays a V3 pool what a swap the router started owes it. Only the pool being
    /// swapped with may call, once, during that swap; it must owe exactly the step's amount.
    /// @dev Reverts "RexRouter: CALLBACK" for any other caller or time, "RexRouter: V3_PARTIAL"
    /// when the pool owes a different amount.
    /// @param amount0Delta Token0 the pool is owed (positive) or paid out (negative).
    /// @param amount1Delta Token1 the pool is owed (positive) or paid out (negative).
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata) external {
        address pool = _v3Pool;
        require(pool != address(0) && msg.sender == pool, "RexRouter: CALLBACK");
        _v3Pool = address(0);
        uint256 owed = uint256(amount0Delta > 0 ? amount0Delta : amount1Delta);
        require(owed == _v3Amount, "RexRouter: V3_PARTIAL");
        address payer = _v3Payer;
        if (payer == address(this)) IERC20(_v3Token).safeTransfer(pool, owed);
        else IERC20(_v3Token).safeTransferFrom(payer, pool, owed);
    }

    function _swapV3(Step calldata step, uint256 amount, bool fromSender, address to) private returns (uint256) {
        require(trustedV3Factory[step.factory], "RexRouter: FACTORY");
        require(
            IUniswapV3FactoryLike(step.factory).getPool(step.tokenIn, step.tokenOut, step.fee) == step.pool,
            "RexRouter: POOL"
        );
        require(amount <= uint256(type(int256).max), "RexRouter: AMOUNT");
        bool zeroForOne = step.tokenIn < step.tokenOut;
        _v3Pool = step.pool;
        _v3Payer = fromSender ? msg.sender : address(this);
        _v3Token = step.tokenIn;
        _v3Amount = amount;
        (int256 amount0, int256 amount1) = IUniswapV3PoolLike(step.pool).swap(
            to, zeroForOne, int256(amount), zeroForOne ? MIN_SQRT_PRICE_LIMIT : MAX_SQRT_PRICE_LIMIT, ""
        );
        require(_v3Pool == address(0), "RexRouter: CALLBACK");
        int256 paid = zeroForOne ? amount1 : amount0;
        require(paid < 0, "RexRouter: NO_OUTPUT");
        return uint256(-paid);
    }
}
