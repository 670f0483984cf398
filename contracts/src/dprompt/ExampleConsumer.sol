// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IDPromptConsumer, CALLBACK_ON_ANSWER, CALLBACK_ON_FINAL} from "./interfaces/IDPromptConsumer.sol";
import {IRequestBook} from "./interfaces/IRequestBook.sol";
import {CreditBook} from "./CreditBook.sol";

/// @title Example DPrompt consumer
/// @notice Asks a question through the request book, paying from its own credit, and shows
/// the safe pattern: it asks to be called both on answer and on finality, keeps the answer
/// it gets first as `provisional` (for display only: it may still be challenged and
/// overturned) and acts only on the final one (`answers`, `Answered`). A request that ends
/// refunded is marked `Failed`. Should a push fail (a callback out of gas), anyone may
/// deliver the outcome with `settle`, which checks it against the book, so the contract is
/// never stuck.
/// @dev Revert strings: `ExampleConsumer: NOT_BOOK` (a callback not from the book),
/// `NOT_PENDING` (a request this contract did not make, or one already settled),
/// `BAD_REQUEST` (a struct the book does not hold), `BAD_OUTPUT`, `NOT_SETTLED`.
contract ExampleConsumer is IDPromptConsumer {
    using SafeERC20 for IERC20;

    /// @notice Where one of this contract's requests stands.
    enum State {
        None, // not a request of this contract
        Pending, // asked, not final yet
        Final, // answered for good: `answers` holds the answer
        Failed // refunded: no answer will come
    }

    /// @notice The request book.
    IRequestBook public immutable book;
    /// @notice Where each request stands.
    mapping(uint256 => State) public stateOf;
    /// @notice The answer as first posted (empty until answered, cleared when refunded).
    /// Display only: it may still be overturned; never act on it.
    mapping(uint256 => string) public provisional;
    /// @notice The final answer by request id (empty until final): the one to act on.
    mapping(uint256 => string) public answers;
    /// @notice The last request this contract made.
    uint256 public lastRequest;

    /// @notice Request `id` was answered, not final yet.
    event ProvisionalAnswer(uint256 indexed id, string answer);
    /// @notice Request `id`'s answer is final.
    event Answered(uint256 indexed id, string answer);
    /// @notice Request `id` ended refunded, without an answer.
    event Failed(uint256 indexed id);

    /// @notice Deploy a consumer of `book_`.
    /// @param book_ The request book.
    constructor(address book_) {
        book = IRequestBook(book_);
    }

    /// @notice Move `amount` REX from the caller into this contract's credit at the book (approve first).
    /// @param amount REX wei.
    function fund(uint256 amount) external {
        IERC20 rex = CreditBook(address(book)).rex();
        rex.safeTransferFrom(msg.sender, address(this), amount);
        rex.forceApprove(address(book), amount);
        CreditBook(address(book)).deposit(amount);
    }

    /// @notice Ask `question` of `modelId`, to be called on answer and on finality.
    /// @param modelId An active model.
    /// @param question The prompt.
    /// @param maxFee Most this contract pays.
    /// @param callbackGasLimit Gas the book gives each callback.
    /// @param challengeWindow Seconds the answer may be challenged.
    /// @return id The request identifier.
    function ask(bytes32 modelId, string calldata question, uint96 maxFee, uint32 callbackGasLimit, uint32 challengeWindow)
        external
        returns (uint256 id)
    {
        bytes calldata prompt = bytes(question);
        id = book.request(
            modelId,
            keccak256(prompt),
            prompt,
            maxFee,
            address(this),
            callbackGasLimit,
            CALLBACK_ON_ANSWER | CALLBACK_ON_FINAL,
            challengeWindow
        );
        stateOf[id] = State.Pending;
        lastRequest = id;
    }

    /// @inheritdoc IDPromptConsumer
    function onAnswer(uint256 id, bytes calldata output) external {
        require(msg.sender == address(book), "ExampleConsumer: NOT_BOOK");
        require(stateOf[id] == State.Pending, "ExampleConsumer: NOT_PENDING");
        provisional[id] = string(output);
        emit ProvisionalAnswer(id, string(output));
    }

    /// @inheritdoc IDPromptConsumer
    function onFinal(uint256 id, bool answered, bytes calldata output) external {
        require(msg.sender == address(book), "ExampleConsumer: NOT_BOOK");
        _settle(id, answered, output);
    }

    /// @notice Deliver the outcome of request `id` when its `onFinal` push failed (anyone
    /// may): `req` must be what the book holds now, final (with its `output`) or refunded.
    /// @param id The request identifier.
    /// @param req The request as the book stores it.
    /// @param output The answer as emitted in `Responded` (ignored when refunded).
    function settle(uint256 id, IRequestBook.Request calldata req, bytes calldata output) external {
        require(book.requestHash(id) == keccak256(abi.encode(req)), "ExampleConsumer: BAD_REQUEST");
        if (req.status == uint8(IRequestBook.Status.Final)) {
            require(keccak256(output) == req.outputHash, "ExampleConsumer: BAD_OUTPUT");
            _settle(id, true, output);
        } else {
            require(req.status == uint8(IRequestBook.Status.Refunded), "ExampleConsumer: NOT_SETTLED");
            _settle(id, false, "");
        }
    }

    /// @dev Where a consumer acts: only on a final answer, once per request of its own.
    function _settle(uint256 id, bool answered, bytes memory output) private {
        require(stateOf[id] == State.Pending, "ExampleConsumer: NOT_PENDING");
        if (answered) {
            stateOf[id] = State.Final;
            answers[id] = string(output);
            emit Answered(id, string(output));
        } else {
            stateOf[id] = State.Failed;
            delete provisional[id];
            emit Failed(id);
        }
    }
}
