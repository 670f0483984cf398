// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IDPromptConsumer} from "./interfaces/IDPromptConsumer.sol";
import {IRequestBook} from "./interfaces/IRequestBook.sol";
import {CreditBook} from "./CreditBook.sol";

/// @title Example DPrompt consumer
/// @notice Asks a question through the request book, paying from its own credit, and
/// stores the answer the book pushes back.
contract ExampleConsumer is IDPromptConsumer {
    using SafeERC20 for IERC20;

    /// @notice The request book.
    IRequestBook public immutable book;
    /// @notice Answer text by request id (empty until answered).
    mapping(uint256 => string) public answers;
    /// @notice The last request this contract made.
    uint256 public lastRequest;

    /// @notice The book pushed the answer of `id`.
    event Answered(uint256 indexed id, string answer);

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

    /// @notice Ask `question` of `modelId`; the answer arrives in `onAnswer`.
    /// @param modelId An active model.
    /// @param question The prompt.
    /// @param maxFee Most this contract pays.
    /// @param callbackGasLimit Gas the book gives `onAnswer`.
    /// @param challengeWindow Seconds the answer may be challenged.
    /// @return id The request identifier.
    function ask(bytes32 modelId, string calldata question, uint96 maxFee, uint32 callbackGasLimit, uint32 challengeWindow)
        external
        returns (uint256 id)
    {
        bytes calldata prompt = bytes(question);
        id = book.request(modelId, keccak256(prompt), prompt, maxFee, address(this), callbackGasLimit, challengeWindow);
        lastRequest = id;
    }

    /// @inheritdoc IDPromptConsumer
    function onAnswer(uint256 id, bytes calldata output) external {
        require(msg.sender == address(book), "ExampleConsumer: NOT_BOOK");
        answers[id] = string(output);
        emit Answered(id, string(output));
    }
}
