// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IOpmlGame} from "./interfaces/IOpmlGame.sol";
import {OneStep} from "./OneStep.sol";

/// @title opML dispute game
/// @notice The responder claims the final memory root of a registered straight-line
/// program run on a request's prompt (and proves its output words hash to the answer),
/// then repeatedly posts the roots at up to `arity - 1` interior points of the disputed
/// interval; the challenger picks the first sub-interval whose end it disputes. When
/// one step is left, anyone submits the one-step proof and the contract re-executes it.
/// Only a hash of the roots the next move must pass back is stored.
contract OpmlGame is IOpmlGame {
    /// @inheritdoc IOpmlGame
    uint256 public immutable arity;
    /// @inheritdoc IOpmlGame
    uint256 public immutable moveTimeout;
    address private immutable _owner;

    /// @notice The request book allowed to open games.
    address public book;
    mapping(bytes32 => Program) private _programs;
    mapping(uint256 => Game) private _games;

    /// @notice Deploy the game.
    /// @param owner_ May name the request book (once).
    /// @param arity_ Most sub-intervals per bisection, 2..64.
    /// @param moveTimeout_ Seconds per move, 1..2^32-1.
    constructor(address owner_, uint256 arity_, uint256 moveTimeout_) {
        require(owner_ != address(0), "OpmlGame: ZERO_ADDRESS");
        require(
            arity_ >= 2 && arity_ <= 64 && moveTimeout_ > 0 && moveTimeout_ <= type(uint32).max,
            "OpmlGame: BAD_PARAMS"
        );
        _owner = owner_;
        arity = arity_;
        moveTimeout = moveTimeout_;
    }

    /// @inheritdoc IOpmlGame
    function setRequestBook(address book_) external {
        require(msg.sender == _owner, "OpmlGame: NOT_OWNER");
        require(book == address(0), "OpmlGame: BOOK_SET");
        require(book_ != address(0), "OpmlGame: ZERO_ADDRESS");
        book = book_;
    }

    /// @inheritdoc IOpmlGame
    function registerProgram(Program calldata p) external returns (bytes32 key) {
        require(
            p.codeDepth >= 1 && p.codeDepth <= 32 && p.memDepth >= 1 && p.memDepth <= 8 && p.steps != 0
                && uint256(p.steps) <= 1 << p.codeDepth && p.outCount != 0
                && uint256(p.outStart) + p.outCount <= 1 << p.memDepth,
            "OpmlGame: BAD_PROGRAM"
        );
        key = keccak256(abi.encode(p));
        require(_programs[key].steps == 0, "OpmlGame: PROGRAM_EXISTS");
        _programs[key] = p;
        emit ProgramRegistered(key, p);
    }

    /// @inheritdoc IOpmlGame
    function open(
        uint256 id,
        address responder,
        address challenger,
        bytes32 program,
        bytes32 promptHash,
        bytes32 outputHash
    ) external {
        require(msg.sender == book, "OpmlGame: NOT_REQUEST_BOOK");
        require(_games[id].turn == Turn.None, "OpmlGame: GAME_EXISTS");
        Program storage p = _programs[program];
        uint32 steps = p.steps;
        require(steps != 0, "OpmlGame: UNKNOWN_PROGRAM");
        uint48 deadline = uint48(block.timestamp + moveTimeout);
        // until the claim, `roots` holds the initial root (the claim pairs it with the final one)
        _games[id] = Game(
            0,
            steps,
            deadline,
            Turn.Claim,
            p.memDepth,
            p.outStart,
            p.outCount,
            responder,
            challenger,
            p.initRoot,
            promptHash,
            outputHash,
            program
        );
        emit GameOpened(id, responder, challenger, program, steps, deadline);
    }

    /// @inheritdoc IOpmlGame
    function claim(uint256 id, bytes32 finalRoot, uint256[] calldata words, bytes32[][] calldata paths) external {
        Game storage g = _games[id];
        _checkMove(g, Turn.Claim);
        require(msg.sender == g.responder, "OpmlGame: NOT_RESPONDER");
        (uint256 count, uint256 start, uint256 depth) = (g.outCount, g.outStart, g.memDepth);
        require(words.length == count && paths.length == count, "OpmlGame: BAD_OUTPUT");
        bytes memory output = new bytes(count);
        for (uint256 i; i < count; ++i) {
            require(OneStep.climb(bytes32(words[i]), start + i, paths[i], depth) == finalRoot, "OpmlGame: BAD_PROOF");
            output[i] = bytes1(uint8(words[i]));
        }
        require(keccak256(output) == g.outputHash, "OpmlGame: BAD_OUTPUT");
        g.roots = _pair(g.roots, finalRoot);
        uint48 deadline = _advance(g, g.hi - g.lo == 1 ? Turn.Prove : Turn.Bisect);
        emit Claimed(id, finalRoot, deadline);
    }

    /// @inheritdoc IOpmlGame
    function bisect(uint256 id, bytes32[] calldata points) external {
        Game storage g = _games[id];
        _checkMove(g, Turn.Bisect);
        require(msg.sender == g.responder, "OpmlGame: NOT_RESPONDER");
        (uint32 lo, uint32 hi) = (g.lo, g.hi);
        uint256 m = hi - lo;
        if (m > arity) m = arity;
        require(points.length == m + 1, "OpmlGame: BAD_POINTS");
        require(_pair(points[0], points[m]) == g.roots, "OpmlGame: BAD_ROOTS");
        bytes32 pointsHash = keccak256(abi.encodePacked(points));
        g.roots = pointsHash;
        uint48 deadline = _advance(g, Turn.Pick);
        emit Bisected(id, lo, hi, pointsHash, deadline);
    }

    /// @inheritdoc IOpmlGame
    function pick(uint256 id, bytes32[] calldata points, uint256 j) external {
        Game storage g = _games[id];
        _checkMove(g, Turn.Pick);
        require(msg.sender == g.challenger, "OpmlGame: NOT_CHALLENGER");
        require(keccak256(abi.encodePacked(points)) == g.roots, "OpmlGame: BAD_ROOTS");
        uint256 m = points.length - 1;
        require(j < m, "OpmlGame: BAD_INDEX");
        uint256 lo = g.lo;
        uint256 span = g.hi - lo;
        uint32 newLo = uint32(lo + j * span / m);
        uint32 newHi = uint32(lo + (j + 1) * span / m);
        (g.lo, g.hi) = (newLo, newHi);
        g.roots = _pair(points[j], points[j + 1]);
        uint48 deadline = _advance(g, newHi - newLo == 1 ? Turn.Prove : Turn.Bisect);
        emit Picked(id, newLo, newHi, deadline);
    }

    /// @inheritdoc IOpmlGame
    function prove(uint256 id, bytes32 pre, bytes32 post, StepProof calldata proof, bytes calldata prompt)
        external
    {
        Game storage g = _games[id];
        _checkMove(g, Turn.Prove);
        require(_pair(pre, post) == g.roots, "OpmlGame: BAD_ROOTS");
        if (proof.instruction >> 248 == OneStep.INPUT) {
            require(keccak256(prompt) == g.promptHash, "OpmlGame: PROMPT_HASH");
        }
        uint32 index = g.lo;
        bytes32 computed = _execute(_programs[g.program], index, pre, proof, prompt);
        bool responderWon = computed == post;
        g.turn = responderWon ? Turn.ResponderWon : Turn.ChallengerWon;
        emit Proved(id, index, computed, responderWon);
    }

    /// @inheritdoc IOpmlGame
    function execute(bytes32 program, uint256 index, bytes32 pre, StepProof calldata proof, bytes calldata prompt)
        external
        view
        returns (bytes32)
    {
        Program storage p = _programs[program];
        require(p.steps != 0, "OpmlGame: UNKNOWN_PROGRAM");
        return _execute(p, index, pre, proof, prompt);
    }

    /// @inheritdoc IOpmlGame
    function result(uint256 id) external view returns (bool over, bool responderWon) {
        Game storage g = _games[id];
        Turn turn = g.turn;
        if (turn == Turn.ResponderWon) return (true, true);
        if (turn == Turn.ChallengerWon) return (true, false);
        if (turn == Turn.None || block.timestamp <= g.deadline) return (false, false);
        return (true, turn == Turn.Pick || turn == Turn.Prove);
    }

    /// @inheritdoc IOpmlGame
    function gameOf(uint256 id) external view returns (Game memory) {
        return _games[id];
    }

    /// @inheritdoc IOpmlGame
    function programOf(bytes32 key) external view returns (Program memory) {
        return _programs[key];
    }

    // ---------------------------------------------------------------- internals

    /// @dev Re-execute instruction `index` from memory root `pre`; return the new root.
    function _execute(
        Program storage p,
        uint256 index,
        bytes32 pre,
        StepProof calldata proof,
        bytes calldata prompt
    ) private view returns (bytes32) {
        require(index < p.steps, "OpmlGame: BAD_INDEX");
        require(
            OneStep.climb(bytes32(proof.instruction), index, proof.codePath, p.codeDepth) == p.codeRoot,
            "OpmlGame: BAD_PROOF"
        );
        uint256 depth = p.memDepth;
        uint256 a = _checkReads(proof, pre, depth);
        uint256 v = OneStep.apply_(proof.instruction, proof.x, proof.y, proof.old, prompt);
        return OneStep.climb(bytes32(v), a, proof.oldPath, depth);
    }

    /// @dev Check the paths of the words the step reads and overwrites against `pre`;
    /// return the destination address.
    function _checkReads(StepProof calldata proof, bytes32 pre, uint256 depth) private pure returns (uint256 a) {
        uint256 mask = (1 << depth) - 1;
        uint256 word = proof.instruction;
        a = (word >> 240) & mask;
        require(
            OneStep.climb(bytes32(proof.x), (word >> 232) & mask, proof.xPath, depth) == pre
                && OneStep.climb(bytes32(proof.y), (word >> 224) & mask, proof.yPath, depth) == pre
                && OneStep.climb(bytes32(proof.old), a, proof.oldPath, depth) == pre,
            "OpmlGame: BAD_PROOF"
        );
    }

    function _checkMove(Game storage g, Turn expected) private view {
        Turn turn = g.turn;
        require(turn != Turn.None, "OpmlGame: NO_GAME");
        require(turn != Turn.ResponderWon && turn != Turn.ChallengerWon, "OpmlGame: GAME_OVER");
        require(turn == expected, "OpmlGame: NOT_YOUR_TURN");
        require(block.timestamp <= g.deadline, "OpmlGame: MOVE_TIMEOUT");
    }

    function _advance(Game storage g, Turn next) private returns (uint48 deadline) {
        deadline = uint48(block.timestamp + moveTimeout);
        g.deadline = deadline;
        g.turn = next;
    }

    function _pair(bytes32 a, bytes32 b) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore(0x00, a)
            mstore(0x20, b)
            h := keccak256(0x00, 0x40)
        }
    }
}
