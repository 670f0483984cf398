// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ServiceDesk} from "../economy/ServiceDesk.sol";
import {IRequestBook} from "./interfaces/IRequestBook.sol";

/// @title DPrompt desk
/// @notice Sells DPrompt requests for USD (the `dprompt.request` service): a payer pays
/// through the fee router and the desk posts the request to the book in the same transaction
/// from its float; the provider is paid by the book as for any request, when the answer is
/// final. A request the book refunds (timed out, or its answer overturned) goes back to its
/// payer as voucher through `reclaim`.
/// @dev Revert strings besides `ServiceDesk`'s: `DPromptDesk: NOT_OURS` (a request this desk
/// did not post, or reclaimed already), `BAD_REQUEST`, `NOT_REFUNDED`; the book's pass
/// through (`RequestBook: FEE_BELOW_PRICE` when the provider's price exceeds the budget).
contract DPromptDesk is ServiceDesk {
    /// @notice What a payer asks, ABI-encoded as the `data` of `payAndCall`.
    /// @param modelId The model.
    /// @param prompt The prompt (the book checks its length).
    /// @param maxFee Most REX wei the provider may charge; 0: the whole budget.
    /// @param callback Contract called back (`IDPromptConsumer`), or the zero address.
    /// @param callbackGasLimit Gas for each callback.
    /// @param callbackMode When to call it: 1 on answer, 2 on finality, 3 both; 0 without one.
    /// @param challengeWindow Seconds the answer may be challenged.
    struct Ask {
        bytes32 modelId;
        bytes prompt;
        uint96 maxFee;
        address callback;
        uint32 callbackGasLimit;
        uint8 callbackMode;
        uint32 challengeWindow;
    }

    /// @notice The request book the desk posts to.
    IRequestBook public immutable book;

    mapping(uint256 id => bool) private _reclaimed;

    /// @param router_ The fee router.
    /// @param book_ The request book.
    /// @param rex_ The REX token.
    /// @param owner_ Tops up the float and collects payments.
    /// @param serviceId_ The router's service whose payee this desk is.
    constructor(address router_, address book_, address rex_, address owner_, bytes32 serviceId_)
        ServiceDesk(router_, book_, rex_, owner_, serviceId_)
    {
        book = IRequestBook(book_);
    }

    /// @notice Turn the refunded fee of a request this desk posted into its payer's voucher
    /// (anyone may call; once per request).
    /// @param id The request's id.
    /// @param req The request as the book stores it (status `Refunded`).
    function reclaim(uint256 id, IRequestBook.Request calldata req) external nonReentrant {
        require(payerOf(id) != address(0) && !_reclaimed[id], "DPromptDesk: NOT_OURS");
        require(book.requestHash(id) == keccak256(abi.encode(req)), "DPromptDesk: BAD_REQUEST");
        require(req.status == uint8(IRequestBook.Status.Refunded), "DPromptDesk: NOT_REFUNDED");
        _reclaimed[id] = true;
        _return(id, req.fee);
    }

    /// @notice Whether request `id`'s refund is a voucher already.
    /// @param id The request's id.
    /// @return Reclaimed or not.
    function reclaimed(uint256 id) external view returns (bool) {
        return _reclaimed[id];
    }

    /// @inheritdoc ServiceDesk
    function _open(uint256 budget, bytes calldata data) internal override returns (uint256) {
        Ask memory a = abi.decode(data, (Ask));
        uint256 cap = a.maxFee == 0 || a.maxFee > budget ? budget : a.maxFee;
        if (cap > type(uint96).max) cap = type(uint96).max;
        return book.request(
            a.modelId, keccak256(a.prompt), a.prompt, uint96(cap), a.callback,
            a.callbackGasLimit,
            a.callbackMode,
            a.challengeWindow
        );
    }
}
