// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IFeeReceiver} from "../economy/interfaces/IFeeReceiver.sol";
import {IFeeRouter} from "../economy/interfaces/IFeeRouter.sol";
import {CreditBook} from "./CreditBook.sol";
import {IRequestBook} from "./interfaces/IRequestBook.sol";

/// @title DPrompt desk
/// @notice Sells DPrompt requests priced in USD through the fee router: a payer pays the
/// `dprompt.request` service in a stablecoin, in REX at the router's discount, or with AI
/// points (`IFeeRouter.payAndCall`), and in the same transaction the desk posts the request
/// to the request book from its REX float, spending at most the price's REX value at the
/// router's time-weighted price (never the spot price). The provider is paid by the book
/// as for any request, when the answer is final.
/// @dev What the provider's quote leaves of that value, and the fee of a request the book
/// refunds (`reclaim`), become the payer's voucher: REX the payer may spend on later
/// requests here (`askWithVoucher`), never withdraw, so paying with points or discounted
/// REX cannot be turned into REX. The float (the desk's credit in the book) always covers
/// the vouchers; the owner tops it up and collects what payers paid, never a voucher.
/// Revert strings: `DPromptDesk: ZERO_ADDRESS`, `ONLY_ROUTER` (onFeePaid from anyone but
/// the router), `WRONG_SERVICE`, `INSUFFICIENT_VOUCHER`, `FLOAT_LOW` (the float cannot pay
/// the fee and still cover the vouchers), `NOT_OURS` (reclaim of a request this desk did not
/// post, or reclaimed already), `BAD_REQUEST`, `NOT_REFUNDED`, `ZERO_AMOUNT`; the book's own
/// strings pass through (`RequestBook: FEE_BELOW_PRICE` when the provider's quote exceeds
/// the budget).
contract DPromptDesk is IFeeReceiver, Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice What a payer asks, ABI-encoded as the `data` of `payAndCall`.
    /// @param modelId The model.
    /// @param prompt The prompt (the book checks its length).
    /// @param maxFee Most REX wei the provider may charge; 0: the whole budget.
    /// @param callback Contract called with the answer, or the zero address.
    /// @param callbackGasLimit Gas for the callback.
    /// @param challengeWindow Seconds the answer may be challenged.
    struct Ask {
        bytes32 modelId;
        bytes prompt;
        uint96 maxFee;
        address callback;
        uint32 callbackGasLimit;
        uint32 challengeWindow;
    }

    /// @notice The fee router whose `payAndCall` pays the desk.
    IFeeRouter public immutable router;
    /// @notice The request book the desk posts to.
    IRequestBook public immutable book;
    /// @notice The REX token.
    IERC20 public immutable rex;
    /// @notice The router's service this desk serves (`keccak256("dprompt.request")`).
    bytes32 public immutable serviceId;

    /// @notice REX wei owed to all payers as vouchers.
    uint256 public vouchersOwed;
    mapping(address payer => uint256) private _vouchers;
    mapping(uint256 requestId => address) private _payers;

    /// @notice Request `id` was posted for `payer` with `budget` REX wei, of which the
    /// provider's fee took `fee` (the rest went to the payer's voucher).
    event Asked(uint256 indexed id, address indexed payer, uint256 budget, uint256 fee, bool voucher, bytes32 ref);
    /// @notice The refunded fee of request `id` became `payer`'s voucher.
    event Reclaimed(uint256 indexed id, address indexed payer, uint256 fee);
    /// @notice `from` added `amount` REX wei to the float.
    event Funded(address indexed from, uint256 amount);
    /// @notice The owner took `amount` REX wei of the float to `to`.
    event FloatWithdrawn(address indexed to, uint256 amount);
    /// @notice The owner collected `amount` of `token` that payers paid.
    event Collected(address indexed token, address indexed to, uint256 amount);

    /// @notice Deploy the desk; approves the book to pull the float.
    /// @param router_ The fee router.
    /// @param book_ The request book (its REX is the desk's).
    /// @param owner_ Tops up the float and collects payments.
    /// @param serviceId_ The router's service whose payee this desk is.
    constructor(address router_, address book_, address owner_, bytes32 serviceId_) Ownable(owner_) {
        require(router_ != address(0) && book_ != address(0), "DPromptDesk: ZERO_ADDRESS");
        router = IFeeRouter(router_);
        book = IRequestBook(book_);
        rex = CreditBook(book_).rex();
        serviceId = serviceId_;
        rex.forceApprove(book_, type(uint256).max);
    }

    // ---------------------------------------------------------------- asking

    /// @inheritdoc IFeeReceiver
    function onFeePaid(
        bytes32 serviceId_,
        address payer,
        IFeeRouter.Method,
        uint256 priceUsd,
        bytes32 ref,
        bytes calldata data
    ) external nonReentrant returns (bytes memory) {
        require(msg.sender == address(router), "DPromptDesk: ONLY_ROUTER");
        require(serviceId_ == serviceId, "DPromptDesk: WRONG_SERVICE");
        // the price's whole value, discount or not: the discount is what the float pays
        uint256 budget = router.rexForUsd(priceUsd);
        return abi.encode(_ask(payer, budget, false, ref, data));
    }

    /// @notice Post a request paid from the caller's voucher.
    /// @param budget REX wei of the voucher to spend at most (the rest returns to it).
    /// @param ref The caller's reference, recorded in `Asked`.
    /// @param data An ABI-encoded `Ask`.
    /// @return id The request's id in the book.
    function askWithVoucher(uint256 budget, bytes32 ref, bytes calldata data) external nonReentrant returns (uint256 id) {
        uint256 held = _vouchers[msg.sender];
        require(budget != 0 && budget <= held, "DPromptDesk: INSUFFICIENT_VOUCHER");
        _vouchers[msg.sender] = held - budget;
        vouchersOwed -= budget;
        return _ask(msg.sender, budget, true, ref, data);
    }

    /// @notice Turn the refunded fee of a request this desk posted into its payer's voucher
    /// (anyone may call; once per request).
    /// @param id The request's id.
    /// @param req The request as the book stores it (status `Refunded`).
    function reclaim(uint256 id, IRequestBook.Request calldata req) external nonReentrant {
        address payer = _payers[id];
        require(payer != address(0), "DPromptDesk: NOT_OURS");
        require(book.requestHash(id) == keccak256(abi.encode(req)), "DPromptDesk: BAD_REQUEST");
        require(req.status == uint8(IRequestBook.Status.Refunded), "DPromptDesk: NOT_REFUNDED");
        delete _payers[id];
        _vouchers[payer] += req.fee;
        vouchersOwed += req.fee;
        emit Reclaimed(id, payer, req.fee);
    }

    // ---------------------------------------------------------------- the float

    /// @notice Add `amount` REX wei of the caller's to the float (approve first).
    /// @param amount REX wei, > 0.
    function fund(uint256 amount) external nonReentrant {
        require(amount != 0, "DPromptDesk: ZERO_AMOUNT");
        rex.safeTransferFrom(msg.sender, address(this), amount);
        CreditBook(address(book)).deposit(amount);
        emit Funded(msg.sender, amount);
    }

    /// @notice Take `amount` REX wei of the float (owner only); what stays covers the vouchers.
    /// @param to Receiver.
    /// @param amount REX wei, > 0.
    function withdrawFloat(address to, uint256 amount) external onlyOwner nonReentrant {
        require(amount != 0, "DPromptDesk: ZERO_AMOUNT");
        CreditBook(address(book)).withdrawCredit(amount);
        _covered();
        rex.safeTransfer(to, amount);
        emit FloatWithdrawn(to, amount);
    }

    /// @notice Send `amount` of a token the desk holds (what payers paid) to `to` (owner only).
    /// @param token A stablecoin, or REX paid at the discount.
    /// @param to Receiver.
    /// @param amount Base units, > 0.
    function collect(address token, address to, uint256 amount) external onlyOwner nonReentrant {
        require(amount != 0, "DPromptDesk: ZERO_AMOUNT");
        IERC20(token).safeTransfer(to, amount);
        emit Collected(token, to, amount);
    }

    // ---------------------------------------------------------------- views

    /// @notice REX wei `payer` may spend here through `askWithVoucher`.
    /// @param payer The payer.
    /// @return REX wei.
    function voucherOf(address payer) external view returns (uint256) {
        return _vouchers[payer];
    }

    /// @notice Who paid for request `id` (zero: not posted here, or reclaimed).
    /// @param id The request's id.
    /// @return The payer.
    function payerOf(uint256 id) external view returns (address) {
        return _payers[id];
    }

    /// @notice REX wei of the float: the desk's credit in the book.
    /// @return REX wei.
    function float() public view returns (uint256) {
        return CreditBook(address(book)).creditOf(address(this));
    }

    // --------------------------------------------------------------- internals

    /// @dev Post `data` for `payer` with at most `budget` REX wei; the unspent rest goes to
    /// the payer's voucher.
    function _ask(address payer, uint256 budget, bool voucher, bytes32 ref, bytes calldata data)
        private
        returns (uint256 id)
    {
        Ask memory a = abi.decode(data, (Ask));
        uint256 cap = a.maxFee == 0 || a.maxFee > budget ? budget : a.maxFee;
        if (cap > type(uint96).max) cap = type(uint96).max;
        uint256 before = float();
        id = book.request(
            a.modelId,
            keccak256(a.prompt),
            a.prompt,
            uint96(cap),
            a.callback,
            a.callbackGasLimit,
            a.challengeWindow
        );
        uint256 fee = before - float();
        _payers[id] = payer;
        uint256 rest = budget - fee;
        if (rest != 0) {
            _vouchers[payer] += rest;
            vouchersOwed += rest;
        }
        _covered();
        emit Asked(id, payer, budget, fee, voucher, ref);
    }

    /// @dev The float must cover every voucher.
    function _covered() private view {
        require(float() >= vouchersOwed, "DPromptDesk: FLOAT_LOW");
    }
}
