// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title DPrompt request book interface
/// @notice Requests, escrow, responses, take-over, refunds, challenges with a
/// commit-reveal committee, and settlement. A request keeps one storage slot, the
/// hash of its `Request`; callers pass the whole `Request` back as calldata.
/// @dev Revert strings (prefix `RequestBook: `): `UNKNOWN_MODEL`, `PROMPT_TOO_LONG`,
/// `PROMPT_HASH`, `NO_PROVIDER`, `FEE_BELOW_PRICE`, `CHALLENGE_WINDOW`,
/// `CALLBACK_GAS_LIMIT`, `CALLBACK_MODE`, `BAD_OUTPUT`, `INSUFFICIENT_CREDIT`, `ZERO_AMOUNT`, `BAD_REQUEST`,
/// `ALREADY_ANSWERED`, `UNREGISTERED_PROVIDER`, `NOT_PRIORITY`, `CALLBACK_GAS`,
/// `NOT_OPEN`, `TOO_EARLY`, `NOT_ANSWERED`, `WINDOW_OPEN`, `WINDOW_CLOSED`,
/// `ALREADY_CHALLENGED`, `NO_COMMITTEE`, `GAME_ON`, `NOT_CHALLENGED`, `COMMIT_CLOSED`, `NOT_MEMBER`,
/// `ALREADY_COMMITTED`, `COMMIT_PHASE`, `REVEAL_CLOSED`, `NOT_COMMITTED`,
/// `ALREADY_REVEALED`, `ZERO_VOTE`, `BAD_REVEAL`, `REVEAL_PHASE`, `BAD_PARAMS`, `ZERO_ADDRESS`.
interface IRequestBook {
    /// @notice Life cycle of a request.
    enum Status {
        Open,
        Answered,
        Challenged,
        Final,
        Refunded
    }

    /// @notice How a challenge ended.
    enum Outcome {
        Upheld, // the committee agreed with the responder: challenger loses the bond
        Overturned, // the committee disagreed: responder slashed, requester refunded
        NoMajority // bond returned, the answer stands
    }

    /// @notice Everything about a request; only `keccak256(abi.encode(Request))` is stored.
    struct Request {
        address requester;
        uint96 fee;
        bytes32 modelId;
        bytes32 promptHash;
        address provider;
        uint48 deadline;
        address callback;
        uint32 callbackGasLimit;
        uint8 callbackMode; // CALLBACK_ON_ANSWER | CALLBACK_ON_FINAL flags; 0 without a callback
        uint32 challengeWindow;
        address responder;
        uint48 respondedAt;
        uint8 status;
        bytes32 outputHash;
        bytes32 receiptHash;
    }

    /// @notice Protocol parameters, fixed at deployment.
    struct Params {
        uint16 treasuryBps; // share of each fee sent to the treasury
        uint16 stakersBps; // share of each fee sent to StakedRex.fund
        uint32 responseTimeout; // seconds the priority provider has
        uint32 takeoverGrace; // seconds after the deadline before a refund is allowed
        uint32 minChallengeWindow;
        uint32 maxChallengeWindow;
        uint32 maxCallbackGas;
        uint96 minBond;
        uint16 bondMultiplier; // bond = max(minBond, fee * bondMultiplier)
        uint8 committeeSize; // odd
        uint32 commitPeriod;
        uint32 revealPeriod;
        uint96 slashAmount; // taken from a responder the committee overturns
        uint96 noRevealPenalty; // taken from a member who does not reveal
    }

    /// @notice The dispute of a challenged request.
    struct Dispute {
        address challenger;
        uint96 bond;
        uint48 commitEnd;
        uint48 revealEnd;
    }

    /// @notice Request `id` was made; `request` is what later calls pass back.
    event Requested(uint256 indexed id, Request request, bytes prompt);
    /// @notice Request `id` was answered by `responder` at `respondedAt`; `commitment` is the
    /// model commitment `receiptHash` binds (empty from `respond`), carried to every
    /// committee member in this event and never stored.
    event Responded(
        uint256 indexed id,
        address indexed responder,
        bytes output,
        bytes32 receiptHash,
        uint48 respondedAt,
        bytes commitment
    );
    /// @notice The callback of request `id` reverted or ran out of gas: `onFinal` when
    /// `onFinal` is true, else `onAnswer`; `reason` is its return data (at most 256 bytes).
    event CallbackFailed(uint256 indexed id, bool onFinal, bytes reason);
    /// @notice Request `id` expired unanswered; `fee` went back to the requester's credit.
    event Refunded(uint256 indexed id, uint256 fee);
    /// @notice Request `id` settled: `paid` credited to `responder`, the shares sent.
    event Finalized(uint256 indexed id, address indexed responder, uint256 paid, uint256 treasuryShare, uint256 stakersShare);
    /// @notice `challenger` disputed request `id` with `bond`; `committee` re-executes.
    event Challenged(
        uint256 indexed id, address indexed challenger, uint256 bond, address[] committee, uint48 commitEnd, uint48 revealEnd
    );
    /// @notice `member` committed a vote on request `id`.
    event Committed(uint256 indexed id, address indexed member);
    /// @notice `member` revealed `outputHash` on request `id`.
    event Revealed(uint256 indexed id, address indexed member, bytes32 outputHash);
    /// @notice `member` was slashed `amount` for not revealing on request `id`.
    event Penalised(uint256 indexed id, address indexed member, uint256 amount);
    /// @notice The dispute on request `id` ended with `outcome`; `majority` is the winning
    /// hash (zero without a majority); `slashed` was taken from the responder.
    event Resolved(uint256 indexed id, Outcome outcome, bytes32 majority, uint256 slashed);

    /// @notice Ask `modelId`; escrows the sampled provider's price from the caller's credit.
    /// @param modelId An active model.
    /// @param promptHash `keccak256(prompt)`.
    /// @param prompt The prompt (kept in the event only).
    /// @param maxFee Most the caller pays.
    /// @param callback Contract to call back (`IDPromptConsumer`), or zero.
    /// @param callbackGasLimit Gas for each callback, <= `maxCallbackGas`.
    /// @param callbackMode When to call `callback`: `CALLBACK_ON_ANSWER` (1, `onAnswer`,
    /// provisional), `CALLBACK_ON_FINAL` (2, `onFinal`, when final or refunded) or both (3);
    /// 0 exactly when `callback` is zero (`CALLBACK_MODE` otherwise).
    /// @param challengeWindow Seconds an answer may be challenged, within the bounds.
    /// @return id The request identifier.
    function request(
        bytes32 modelId,
        bytes32 promptHash,
        bytes calldata prompt,
        uint96 maxFee,
        address callback,
        uint32 callbackGasLimit,
        uint8 callbackMode,
        uint32 challengeWindow
    ) external returns (uint256 id);

    /// @notice Answer request `id`: the priority provider before the deadline, any active
    /// provider of the model after it. Calls `onAnswer` when the request asked for it; a
    /// failing callback is reported with `CallbackFailed` and never reverts the answer.
    /// @param id The request identifier.
    /// @param r The request as last emitted.
    /// @param output The answer (kept in the event only).
    /// @param receiptHash Hash binding model, prompt, decoding parameters, seed and output.
    function respond(uint256 id, Request calldata r, bytes calldata output, bytes32 receiptHash) external;

    /// @notice `respond` with the model commitment the receipt binds (models verified by
    /// scoring): the book emits it in `Responded` and does not store it; a committee judges
    /// an answer invalid when the commitment is missing, does not hash to what the receipt
    /// binds, or does not match its own scoring pass.
    /// @param id The request identifier.
    /// @param r The request as last emitted.
    /// @param output The answer (kept in the event only).
    /// @param receiptHash Hash binding model, prompt, decoding parameters, seed, output and
    /// `keccak256(commitment)`.
    /// @param commitment The model commitment (kept in the event only).
    function respondWithCommitment(
        uint256 id,
        Request calldata r,
        bytes calldata output,
        bytes32 receiptHash,
        bytes calldata commitment
    ) external;

    /// @notice Refund an unanswered request after `deadline + takeoverGrace`; then calls
    /// `onFinal(id, false, "")` when the request asked to be called on finality.
    /// @param id The request identifier.
    /// @param r The request as last emitted.
    function refund(uint256 id, Request calldata r) external;

    /// @notice Pay an answer once its window has passed (unchallenged, or its dispute upheld
    /// or without majority); then calls `onFinal(id, true, output)` when the request asked to
    /// be called on finality. Anyone may call it.
    /// @param id The request identifier.
    /// @param r The request as last emitted.
    /// @param output The answer as emitted in `Responded`: checked against `r.outputHash`
    /// (`BAD_OUTPUT`) and delivered when the request asked to be called on finality; ignored
    /// (pass it empty) otherwise.
    function finalize(uint256 id, Request calldata r, bytes calldata output) external;

    /// @notice Dispute an answer within its window (once per request); the bond
    /// `max(minBond, fee * bondMultiplier)` comes from the caller's credit. An LLM model's
    /// answer goes to a committee; an OPML model's answer opens the opML game (whose
    /// program is the model's weights hash; `OpmlGame: UNKNOWN_PROGRAM` otherwise).
    /// @param id The request identifier.
    /// @param r The request as last emitted.
    function challenge(uint256 id, Request calldata r) external;

    /// @notice Commit a committee vote: `keccak256(abi.encode(outputHash, salt, member))`.
    /// @param id The request identifier.
    /// @param commitment The vote commitment.
    function commit(uint256 id, bytes32 commitment) external;

    /// @notice Reveal a committed vote after the commit phase.
    /// @param id The request identifier.
    /// @param outputHash The output hash the member computed.
    /// @param salt The salt of the commitment.
    function reveal(uint256 id, bytes32 outputHash, bytes32 salt) external;

    /// @notice Settle a dispute: a committee dispute after the reveal phase by majority of
    /// revealed votes; an opML dispute once its game is over (`GAME_ON` before), upheld
    /// when the responder won. An overturned answer refunds the request and then calls
    /// `onFinal(id, false, "")` when the request asked to be called on finality.
    /// @param id The request identifier.
    /// @param r The request as last emitted.
    function resolve(uint256 id, Request calldata r) external;

    /// @notice The stored hash of request `id` (zero when unknown).
    /// @param id The request identifier.
    /// @return The hash of its current `Request`.
    function requestHash(uint256 id) external view returns (bytes32);

    /// @notice The dispute of request `id`.
    /// @param id The request identifier.
    /// @return The dispute record (zero when none).
    function disputeOf(uint256 id) external view returns (Dispute memory);

    /// @notice The committee of request `id`.
    /// @param id The request identifier.
    /// @return The members.
    function committeeOf(uint256 id) external view returns (address[] memory);

    /// @notice The protocol parameters.
    /// @return The parameters.
    function params() external view returns (Params memory);
}
