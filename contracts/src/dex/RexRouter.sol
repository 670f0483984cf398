// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {RexV2Pair} from "./RexV2Pair.sol";
import {StableSwapPool} from "./StableSwapPool.sol";

/// @title Rex router
/// @notice Executes a list of exact-input swap steps (the fills of a rexos.dex route, in
/// execution order) atomically for `msg.sender`, across Uniswap-V2-interface pairs and
/// StableSwap pools: split orders, multi-hop paths and both at once.
/// @dev A step selling `tokenIn` (the sold token) pulls its amount from the sender:
/// straight into a V2 pair, or through the router for a StableSwap pool. Every other step
/// spends tokens the router received from earlier steps; `amountIn == 0` spends all the
/// router holds of that token, so exact outputs chain without off-chain rounding and nothing
/// is left behind. V2 outputs of `tokenOut` go straight to the recipient. V2 amounts out are
/// ⌊a·(10000 − f)·R_out / (R_in·10000 + a·(10000 − f))⌋ on the pair's live reserves, with the
/// fee `f` the step names (a wrong fee reverts in the pair's K check or pays less, which
/// `minAmountOut` bounds). Tokens with a fee on transfer are not supported. The router keeps
/// no balances between transactions; its only state is the allowances it grants StableSwap
/// pools (unlimited, set once per pool and token). Steps call the pools and tokens they name:
/// a sender must only name contracts it trusts, as with any router.
contract RexRouter is ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Kinds of venue a step can trade on.
    enum Kind {
        V2,
        STABLE
    }

    /// @notice One swap: sell `amountIn` of `tokenIn` on `pool` for `tokenOut`.
    /// @param kind The venue kind.
    /// @param pool The V2 pair or StableSwap pool.
    /// @param tokenIn Token sold.
    /// @param tokenOut Token bought.
    /// @param feeBps V2: the pair's fee in basis points; ignored for StableSwap.
    /// @param i StableSwap: coin index of `tokenIn`; ignored for V2.
    /// @param j StableSwap: coin index of `tokenOut`; ignored for V2.
    /// @param amountIn Base units sold; 0 sells all the router holds of `tokenIn`.
    struct Step {
        Kind kind;
        address pool;
        address tokenIn;
        address tokenOut;
        uint16 feeBps;
        uint8 i;
        uint8 j;
        uint256 amountIn;
    }

    uint256 private constant BPS = 10_000;

    /// @notice Run `steps` in order, selling `tokenIn` from the sender for at least
    /// `minAmountOut` of `tokenOut` delivered to `recipient`.
    /// @dev The sender must have approved the router for the sum of the steps selling
    /// `tokenIn`. Reverts "RexRouter: EXPIRED" after `deadline`, "RexRouter: SLIPPAGE" when
    /// the steps yield less than `minAmountOut` of `tokenOut`, "RexRouter: NO_STEPS",
    /// "RexRouter: RECIPIENT" for the zero address or the router, "RexRouter: ZERO_AMOUNT"
    /// for a step with nothing to sell, "RexRouter: NO_OUTPUT" for a V2 step that buys nothing.
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
        uint256 inWithFee = amount * (BPS - step.feeBps);
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
}
