// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title opML dispute game interface
/// @notice An n-ary dissection over Merkle-committed states of a straight-line integer
/// program, down to one instruction that the contract re-executes. The `RequestBook`
/// opens a game when an answer of an `OPML` model is challenged and reads its result
/// when the dispute is resolved.
/// @dev Revert strings (prefix `OpmlGame: `): `ZERO_ADDRESS`, `BAD_PARAMS`, `NOT_OWNER`,
/// `BOOK_SET`, `NOT_REQUEST_BOOK`, `BAD_PROGRAM`, `PROGRAM_EXISTS`, `UNKNOWN_PROGRAM`,
/// `GAME_EXISTS`, `NO_GAME`, `GAME_OVER`, `NOT_YOUR_TURN`, `NOT_RESPONDER`, `NOT_CHALLENGER`,
/// `MOVE_TIMEOUT`, `BAD_ROOTS`, `BAD_POINTS`, `BAD_INDEX`, `BAD_OUTPUT`, `BAD_PROOF`,
/// `PROMPT_HASH`.
interface IOpmlGame {
    /// @notice Whose move it is, or how the game ended.
    enum Turn {
        None,
        Claim, // responder: post the final state root with a proof of the output
        Bisect, // responder: post the roots at the dissection points of the interval
        Pick, // challenger: choose the first sub-interval whose end it disputes
        Prove, // anyone (the challenger loses if nobody does): the one-step proof
        ResponderWon,
        ChallengerWon
    }

    /// @notice A verifiable program; its `keccak256(abi.encode(Program))` is the model's
    /// weights hash in the model registry.
    struct Program {
        bytes32 codeRoot; // Merkle root of the instruction words, depth `codeDepth`
        bytes32 initRoot; // Merkle root of the memory before step 0, depth `memDepth`
        uint32 steps; // number of instructions executed (the program is straight-line)
        uint8 codeDepth;
        uint8 memDepth;
        uint8 outStart; // output byte i is the low byte of memory word outStart + i
        uint8 outCount;
    }

    /// @notice The state of one game (keyed by request id).
    struct Game {
        uint32 lo; // states up to `lo` are agreed (root `loRoot`)
        uint32 hi; // the responder's state at `hi` is disputed
        uint48 deadline; // the party to move loses after this time
        Turn turn;
        uint8 memDepth; // the program's output layout, copied so that the claim reads one slot
        uint8 outStart;
        uint8 outCount;
        address responder;
        address challenger;
        bytes32 roots; // keccak of the roots the next move must pass back (before the claim: the initial root)
        bytes32 promptHash;
        bytes32 outputHash;
        bytes32 program; // key of the program
    }

    /// @notice What the one-step proof supplies: the instruction at index `lo` and the
    /// words it reads (`x` at address b, `y` at address c) and overwrites (`old` at a),
    /// each with its Merkle path in the pre-state.
    struct StepProof {
        uint256 instruction;
        bytes32[] codePath;
        uint256 x;
        bytes32[] xPath;
        uint256 y;
        bytes32[] yPath;
        uint256 old;
        bytes32[] oldPath;
    }

    /// @notice A program was registered under `key`.
    event ProgramRegistered(bytes32 indexed key, Program program);
    /// @notice The book opened game `id` over `program`.
    event GameOpened(
        uint256 indexed id, address responder, address challenger, bytes32 program, uint32 steps, uint48 deadline
    );
    /// @notice The responder claimed `finalRoot` as the state after the last step.
    event Claimed(uint256 indexed id, bytes32 finalRoot, uint48 deadline);
    /// @notice The responder posted the roots at the dissection points of [lo, hi]; they are
    /// in the transaction's calldata (`bisect(id, points)`), not in the log, to save gas.
    event Bisected(uint256 indexed id, uint32 lo, uint32 hi, bytes32 pointsHash, uint48 deadline);
    /// @notice The challenger narrowed the dispute to [lo, hi].
    event Picked(uint256 indexed id, uint32 lo, uint32 hi, uint48 deadline);
    /// @notice Step `index` was re-executed: its post-state is `computed`.
    event Proved(uint256 indexed id, uint32 index, bytes32 computed, bool responderWon);

    /// @notice Name the request book that may open games (the owner, once).
    /// @param book The `RequestBook`.
    function setRequestBook(address book) external;

    /// @notice Register `program` (anyone; the key is its hash).
    /// @param program The program; depths 1..32, `steps` in 1..2^codeDepth, outputs within memory.
    /// @return key `keccak256(abi.encode(program))`.
    function registerProgram(Program calldata program) external returns (bytes32 key);

    /// @notice Open the game of request `id` (the request book only).
    /// @param id The request identifier.
    /// @param responder The party defending the answer.
    /// @param challenger The party disputing it.
    /// @param program Key of a registered program (the model's weights hash).
    /// @param promptHash keccak256 of the prompt.
    /// @param outputHash keccak256 of the disputed output.
    function open(
        uint256 id,
        address responder,
        address challenger,
        bytes32 program,
        bytes32 promptHash,
        bytes32 outputHash
    ) external;

    /// @notice Responder: claim `finalRoot` and prove that its output words hash to the
    /// disputed output hash.
    /// @param id The request identifier.
    /// @param finalRoot The memory root after the last step.
    /// @param words The output words, `outCount` of them.
    /// @param paths Their Merkle paths in `finalRoot`.
    function claim(uint256 id, bytes32 finalRoot, uint256[] calldata words, bytes32[][] calldata paths) external;

    /// @notice Responder: post the roots at the dissection points of the disputed interval.
    /// @param id The request identifier.
    /// @param points `m + 1` roots, `m = min(arity, hi - lo)`; the first and last are the
    /// current interval's ends, root i is the state after step `lo + i * (hi - lo) / m`.
    function bisect(uint256 id, bytes32[] calldata points) external;

    /// @notice Challenger: choose sub-interval `j` of the posted points (it agrees with
    /// root j and disputes root j + 1).
    /// @param id The request identifier.
    /// @param points The roots the responder posted.
    /// @param j Index of the chosen sub-interval, `< points.length - 1`.
    function pick(uint256 id, bytes32[] calldata points, uint256 j) external;

    /// @notice Anyone: re-execute step `lo` of a one-step interval and end the game.
    /// @param id The request identifier.
    /// @param pre The agreed root before the step.
    /// @param post The responder's root after it.
    /// @param proof The instruction and the words it touches with their paths.
    /// @param prompt The prompt (checked against the prompt hash when the step reads it).
    function prove(uint256 id, bytes32 pre, bytes32 post, StepProof calldata proof, bytes calldata prompt)
        external;

    /// @notice The post-state root of executing step `index` of `program` from `pre`.
    /// @param program Key of a registered program.
    /// @param index The step (instruction index).
    /// @param pre The memory root before the step.
    /// @param proof The instruction and the words it touches with their paths.
    /// @param prompt The prompt the input instruction reads.
    /// @return The memory root after the step.
    function execute(bytes32 program, uint256 index, bytes32 pre, StepProof calldata proof, bytes calldata prompt)
        external
        view
        returns (bytes32);

    /// @notice Whether game `id` is over and who won (a missed deadline loses).
    /// @param id The request identifier.
    /// @return over True once a party won or the mover's deadline passed.
    /// @return responderWon True when the responder won.
    function result(uint256 id) external view returns (bool over, bool responderWon);

    /// @notice The state of game `id`.
    /// @param id The request identifier.
    /// @return The game record (zero when none).
    function gameOf(uint256 id) external view returns (Game memory);

    /// @notice The program registered under `key`.
    /// @param key The program key.
    /// @return The program (zero when unknown).
    function programOf(bytes32 key) external view returns (Program memory);

    /// @notice Most sub-intervals a bisection splits the interval into.
    /// @return The arity.
    function arity() external view returns (uint256);

    /// @notice Seconds each party has for its move.
    /// @return The move timeout.
    function moveTimeout() external view returns (uint256);
}
