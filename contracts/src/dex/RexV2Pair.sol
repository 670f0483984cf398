// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title Rex V2 pair
/// @notice A constant-product pair with the Uniswap V2 pair interface (getReserves, mint, burn,
/// swap, skim, sync and the same events) whose swap fee is stored per pair: 30 bps is Uniswap
/// V2, 25 bps PancakeSwap, anything below 10000 bps works. A swap is accepted when
/// (balanceIn·10000 − amountIn·fee)·(balanceOut·10000) ≥ reserveIn·reserveOut·10000², so the
/// largest output for `amountIn` is ⌊amountIn·(10000 − fee)·reserveOut /
/// (reserveIn·10000 + amountIn·(10000 − fee))⌋, which rexos.dex.v2.V2Pool computes.
/// @dev Written from the Uniswap v2 whitepaper. Left out: flash swaps (`data` must be empty),
/// the protocol fee and the TWAP price accumulators. The liquidity token is this contract.
contract RexV2Pair is ERC20, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Basis-point scale of `feeBps`.
    uint256 public constant BPS = 10_000;
    /// @notice Liquidity locked for ever by the first deposit, so the share price stays sane.
    uint256 public constant MINIMUM_LIQUIDITY = 1_000;
    address private constant LOCKED_LIQUIDITY_HOLDER = address(0xdEaD);

    /// @notice The factory that created and initialised this pair.
    address public immutable factory;
    /// @notice The token with the lower address.
    address public token0;
    /// @notice The token with the higher address.
    address public token1;
    /// @notice Swap fee in basis points, fixed at creation.
    uint16 public feeBps;

    uint112 private _reserve0;
    uint112 private _reserve1;
    uint32 private _blockTimestampLast;

    /// @notice Liquidity was added: `amount0` and `amount1` paid in.
    event Mint(address indexed sender, uint256 amount0, uint256 amount1);
    /// @notice Liquidity was removed: `amount0` and `amount1` sent to `to`.
    event Burn(address indexed sender, uint256 amount0, uint256 amount1, address indexed to);
    /// @notice A swap: what came in and what went out to `to`.
    event Swap(
        address indexed sender,
        uint256 amount0In,
        uint256 amount1In,
        uint256 amount0Out,
        uint256 amount1Out,
        address indexed to
    );
    /// @notice The reserves are now `reserve0` and `reserve1`.
    event Sync(uint112 reserve0, uint112 reserve1);

    constructor() ERC20("Rex V2 LP", "REX-V2") {
        factory = msg.sender;
    }

    /// @notice Set the tokens and the fee; called once by the factory right after creation.
    /// @param token0_ The token with the lower address.
    /// @param token1_ The token with the higher address.
    /// @param feeBps_ Swap fee in basis points, below 10000.
    function initialize(address token0_, address token1_, uint16 feeBps_) external {
        require(msg.sender == factory, "RexV2Pair: FORBIDDEN");
        require(token0 == address(0), "RexV2Pair: ALREADY_INITIALIZED");
        require(feeBps_ < BPS, "RexV2Pair: FEE");
        token0 = token0_;
        token1 = token1_;
        feeBps = feeBps_;
    }

    /// @notice The reserves the pair prices with, and the timestamp of the block that set them.
    /// @return reserve0 Reserve of token0.
    /// @return reserve1 Reserve of token1.
    /// @return blockTimestampLast Timestamp (mod 2³²) of the last update.
    function getReserves() public view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast) {
        return (_reserve0, _reserve1, _blockTimestampLast);
    }

    /// @notice Mint liquidity for the tokens sent to the pair since the last update.
    /// @param to Receiver of the liquidity tokens.
    /// @return liquidity Liquidity tokens minted.
    function mint(address to) external nonReentrant returns (uint256 liquidity) {
        (uint112 reserve0, uint112 reserve1,) = getReserves();
        uint256 balance0 = IERC20(token0).balanceOf(address(this));
        uint256 balance1 = IERC20(token1).balanceOf(address(this));
        uint256 amount0 = balance0 - reserve0;
        uint256 amount1 = balance1 - reserve1;
        uint256 supply = totalSupply();
        if (supply == 0) {
            liquidity = Math.sqrt(amount0 * amount1);
            require(liquidity > MINIMUM_LIQUIDITY, "RexV2Pair: INSUFFICIENT_LIQUIDITY_MINTED");
            liquidity -= MINIMUM_LIQUIDITY;
            _mint(LOCKED_LIQUIDITY_HOLDER, MINIMUM_LIQUIDITY);
        } else {
            liquidity = Math.min(amount0 * supply / reserve0, amount1 * supply / reserve1);
        }
        require(liquidity > 0, "RexV2Pair: INSUFFICIENT_LIQUIDITY_MINTED");
        _mint(to, liquidity);
        _update(balance0, balance1);
        emit Mint(msg.sender, amount0, amount1);
    }

    /// @notice Burn the liquidity tokens sent to the pair for the same share of both reserves.
    /// @param to Receiver of the tokens.
    /// @return amount0 Token0 sent.
    /// @return amount1 Token1 sent.
    function burn(address to) external nonReentrant returns (uint256 amount0, uint256 amount1) {
        IERC20 t0 = IERC20(token0);
        IERC20 t1 = IERC20(token1);
        uint256 balance0 = t0.balanceOf(address(this));
        uint256 balance1 = t1.balanceOf(address(this));
        uint256 liquidity = balanceOf(address(this));
        uint256 supply = totalSupply();
        amount0 = liquidity * balance0 / supply;
        amount1 = liquidity * balance1 / supply;
        require(amount0 > 0 && amount1 > 0, "RexV2Pair: INSUFFICIENT_LIQUIDITY_BURNED");
        _burn(address(this), liquidity);
        t0.safeTransfer(to, amount0);
        t1.safeTransfer(to, amount1);
        _update(t0.balanceOf(address(this)), t1.balanceOf(address(this)));
        emit Burn(msg.sender, amount0, amount1, to);
    }

    /// @notice Send `amount0Out` and `amount1Out` to `to` against the tokens already paid in;
    /// reverts "RexV2Pair: K" unless the fee-adjusted product of the balances covers the old one.
    /// @param amount0Out Token0 to send.
    /// @param amount1Out Token1 to send.
    /// @param to Receiver.
    /// @param data Must be empty: flash swaps are not supported.
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external nonReentrant {
        require(amount0Out > 0 || amount1Out > 0, "RexV2Pair: INSUFFICIENT_OUTPUT_AMOUNT");
        require(data.length == 0, "RexV2Pair: FLASH_SWAPS_UNSUPPORTED");
        (uint112 reserve0, uint112 reserve1,) = getReserves();
        require(amount0Out < reserve0 && amount1Out < reserve1, "RexV2Pair: INSUFFICIENT_LIQUIDITY");
        require(to != token0 && to != token1, "RexV2Pair: INVALID_TO");
        if (amount0Out > 0) IERC20(token0).safeTransfer(to, amount0Out);
        if (amount1Out > 0) IERC20(token1).safeTransfer(to, amount1Out);
        (uint256 amount0In, uint256 amount1In) =
            _settle(reserve0 - amount0Out, reserve1 - amount1Out, reserve0, reserve1);
        emit Swap(msg.sender, amount0In, amount1In, amount0Out, amount1Out, to);
    }

    /// @notice Send any tokens above the reserves to `to`.
    /// @param to Receiver.
    function skim(address to) external nonReentrant {
        IERC20 t0 = IERC20(token0);
        IERC20 t1 = IERC20(token1);
        t0.safeTransfer(to, t0.balanceOf(address(this)) - _reserve0);
        t1.safeTransfer(to, t1.balanceOf(address(this)) - _reserve1);
    }

    /// @notice Set the reserves to the balances.
    function sync() external nonReentrant {
        _update(IERC20(token0).balanceOf(address(this)), IERC20(token1).balanceOf(address(this)));
    }

    /// @dev After the outputs left: the inputs are the balances above what the outputs left of the
    /// reserves; check the fee-adjusted K and store the new reserves.
    function _settle(uint256 left0, uint256 left1, uint256 reserve0, uint256 reserve1)
        private
        returns (uint256 amount0In, uint256 amount1In)
    {
        uint256 balance0 = IERC20(token0).balanceOf(address(this));
        uint256 balance1 = IERC20(token1).balanceOf(address(this));
        amount0In = balance0 > left0 ? balance0 - left0 : 0;
        amount1In = balance1 > left1 ? balance1 - left1 : 0;
        require(amount0In > 0 || amount1In > 0, "RexV2Pair: INSUFFICIENT_INPUT_AMOUNT");
        require(balance0 <= type(uint112).max && balance1 <= type(uint112).max, "RexV2Pair: OVERFLOW");
        uint256 fee = feeBps;
        uint256 adjusted0 = balance0 * BPS - amount0In * fee;
        uint256 adjusted1 = balance1 * BPS - amount1In * fee;
        require(adjusted0 * adjusted1 >= reserve0 * reserve1 * BPS * BPS, "RexV2Pair: K");
        _update(balance0, balance1);
    }

    function _update(uint256 balance0, uint256 balance1) private {
        require(balance0 <= type(uint112).max && balance1 <= type(uint112).max, "RexV2Pair: OVERFLOW");
        _reserve0 = uint112(balance0);
        _reserve1 = uint112(balance1);
        _blockTimestampLast = uint32(block.timestamp);
        emit Sync(_reserve0, _reserve1);
    }
}
