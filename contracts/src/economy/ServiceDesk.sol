// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ICreditBook} from "./interfaces/ICreditBook.sol";
import {IFeeReceiver} from "./interfaces/IFeeReceiver.sol";
import {IFeeRouter} from "./interfaces/IFeeRouter.sol";

/// @title Service desk
/// @notice Sells a REX-priced on-chain service (a DPrompt request, an Agent Market job) for
/// USD through the fee router: a payer pays the desk's service with `IFeeRouter.payAndCall`
/// (a stablecoin, REX at the router's discount, or AI points), and in the same transaction
/// the desk opens what the payer asked in its own name, from its REX float (its credit in the
/// book), spending at most what was paid: REX as paid, a stablecoin or points at their USD
/// value converted at the router's time-weighted price (never the spot price).
/// @dev What the opening leaves of that value, and what the book later gives back (a refund,
/// the unspent rest of a job), become the payer's voucher: REX the payer may spend on later
/// openings here (`spendVoucher`), never withdraw, so paying with points or discounted REX
/// cannot be turned into REX. The float always covers the vouchers; the owner tops it up
/// and collects what payers paid, never a voucher. Revert strings (prefix `ServiceDesk:`):
/// `ZERO_ADDRESS`, `ONLY_ROUTER` (a payment notice from anyone but the router),
/// `WRONG_SERVICE`, `INSUFFICIENT_VOUCHER`, `FLOAT_LOW` (the float cannot pay and still
/// cover the vouchers), `ZERO_AMOUNT`; the book's own strings pass through.
abstract contract ServiceDesk is IFeeReceiver, Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice The fee router whose `payAndCall` pays the desk.
    IFeeRouter public immutable router;
    /// @notice The REX token.
    IERC20 public immutable rex;
    /// @notice The router's service this desk serves.
    bytes32 public immutable serviceId;
    /// @dev The book whose credit is the float.
    ICreditBook internal immutable _book;

    /// @notice REX wei owed to all payers as vouchers.
    uint256 public vouchersOwed;
    mapping(address payer => uint256) private _vouchers;
    mapping(uint256 id => address) private _payers;

    /// @notice `id` was opened for `payer` with a budget of `budget` REX wei, of which the
    /// opening took `spent` (the rest went to the voucher); `voucher`: paid from the voucher.
    event Served(uint256 indexed id, address indexed payer, uint256 budget, uint256 spent, bool voucher, bytes32 ref);
    /// @notice The book gave back `amount` REX wei of `id`, now `payer`'s voucher.
    event Returned(uint256 indexed id, address indexed payer, uint256 amount);
    /// @notice `from` added `amount` REX wei to the float.
    event Funded(address indexed from, uint256 amount);
    /// @notice The owner took `amount` REX wei of the float to `to`.
    event FloatWithdrawn(address indexed to, uint256 amount);
    /// @notice The owner collected `amount` of `token` that payers paid.
    event Collected(address indexed token, address indexed to, uint256 amount);

    /// @param router_ The fee router.
    /// @param book_ The book whose credit is the float (approved to pull REX).
    /// @param rex_ The REX token.
    /// @param owner_ Tops up the float and collects payments.
    /// @param serviceId_ The router's service whose payee this desk is.
    constructor(address router_, address book_, address rex_, address owner_, bytes32 serviceId_) Ownable(owner_) {
        require(router_ != address(0) && book_ != address(0) && rex_ != address(0), "ServiceDesk: ZERO_ADDRESS");
        router = IFeeRouter(router_);
        _book = ICreditBook(book_);
        rex = IERC20(rex_);
        serviceId = serviceId_;
        IERC20(rex_).forceApprove(book_, type(uint256).max);
    }

    // ---------------------------------------------------------------- opening

    /// @inheritdoc IFeeReceiver
    /// @dev The budget is what was paid, in REX: REX paid is put in the float as it is (the
    /// router's discount does not apply to services priced in REX at the source: a provider
    /// or developer buying from itself at a discount would be paid more than it paid), and a
    /// stablecoin or points payment buys its USD value at the router's TWAP.
    function onFeePaid(
        bytes32 serviceId_,
        address payer,
        IFeeRouter.Method method,
        uint256 usd,
        uint256 received,
        bytes32 ref,
        bytes calldata data
    ) external nonReentrant returns (bytes memory) {
        require(msg.sender == address(router), "ServiceDesk: ONLY_ROUTER");
        require(serviceId_ == serviceId, "ServiceDesk: WRONG_SERVICE");
        uint256 budget;
        if (method == IFeeRouter.Method.Rex) {
            budget = received;
            _book.deposit(received);
        } else {
            budget = router.rexForUsd(usd);
        }
        return abi.encode(_serve(payer, budget, false, ref, data));
    }

    /// @notice Open what `data` asks, paid from the caller's voucher.
    /// @param budget REX wei of the voucher to spend at most (the rest returns to it).
    /// @param ref The caller's reference, recorded in `Served`.
    /// @param data The request, in the desk's encoding.
    /// @return id What was opened.
    function spendVoucher(uint256 budget, bytes32 ref, bytes calldata data) external nonReentrant returns (uint256 id) {
        uint256 held = _vouchers[msg.sender];
        require(budget != 0 && budget <= held, "ServiceDesk: INSUFFICIENT_VOUCHER");
        _vouchers[msg.sender] = held - budget;
        vouchersOwed -= budget;
        return _serve(msg.sender, budget, true, ref, data);
    }

    // ---------------------------------------------------------------- the float

    /// @notice Add `amount` REX wei of the caller's to the float (approve first).
    /// @param amount REX wei, > 0.
    function fund(uint256 amount) external nonReentrant {
        require(amount != 0, "ServiceDesk: ZERO_AMOUNT");
        rex.safeTransferFrom(msg.sender, address(this), amount);
        _book.deposit(amount);
        emit Funded(msg.sender, amount);
    }

    /// @notice Take `amount` REX wei of the float (owner only); what stays covers the vouchers.
    /// @param to Receiver.
    /// @param amount REX wei, > 0.
    function withdrawFloat(address to, uint256 amount) external onlyOwner nonReentrant {
        require(amount != 0, "ServiceDesk: ZERO_AMOUNT");
        _book.withdrawCredit(amount);
        _covered();
        rex.safeTransfer(to, amount);
        emit FloatWithdrawn(to, amount);
    }

    /// @notice Send `amount` of a token the desk holds (what payers paid) to `to` (owner only).
    /// @param token A stablecoin, or REX paid at the discount.
    /// @param to Receiver.
    /// @param amount Base units, > 0.
    function collect(address token, address to, uint256 amount) external onlyOwner nonReentrant {
        require(amount != 0, "ServiceDesk: ZERO_AMOUNT");
        IERC20(token).safeTransfer(to, amount);
        emit Collected(token, to, amount);
    }

    // ---------------------------------------------------------------- views

    /// @notice REX wei `payer` may spend here through `spendVoucher`.
    /// @param payer The payer.
    /// @return REX wei.
    function voucherOf(address payer) external view returns (uint256) {
        return _vouchers[payer];
    }

    /// @notice Who paid for `id` (zero: not opened here).
    /// @param id A request or job id.
    /// @return The payer.
    function payerOf(uint256 id) public view returns (address) {
        return _payers[id];
    }

    /// @notice REX wei of the float: the desk's credit in the book.
    /// @return REX wei.
    function float() public view returns (uint256) {
        return _book.creditOf(address(this));
    }

    // --------------------------------------------------------------- internals

    /// @dev Open what `data` asks with at most `budget` REX wei of the float; returns its id.
    function _open(uint256 budget, bytes calldata data) internal virtual returns (uint256 id);

    /// @dev The book gave `amount` REX wei of `id` back to the float: credit its payer.
    function _return(uint256 id, uint256 amount) internal {
        address payer = _payers[id];
        if (amount != 0) {
            _vouchers[payer] += amount;
            vouchersOwed += amount;
        }
        emit Returned(id, payer, amount);
    }

    function _serve(address payer, uint256 budget, bool voucher, bytes32 ref, bytes calldata data)
        private
        returns (uint256 id)
    {
        uint256 before = float();
        id = _open(budget, data);
        uint256 spent = before - float();
        _payers[id] = payer;
        uint256 rest = budget - spent; // reverts if an opening took more than its budget
        if (rest != 0) {
            _vouchers[payer] += rest;
            vouchersOwed += rest;
        }
        _covered();
        emit Served(id, payer, budget, spent, voucher, ref);
    }

    /// @dev The float must cover every voucher.
    function _covered() private view {
        require(float() >= vouchersOwed, "ServiceDesk: FLOAT_LOW");
    }
}
