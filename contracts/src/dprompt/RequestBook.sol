// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {IStakedRex} from "../interfaces/IStakedRex.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {IRequestBook} from "./interfaces/IRequestBook.sol";
import {IDPromptConsumer, CALLBACK_ON_ANSWER, CALLBACK_ON_FINAL} from "./interfaces/IDPromptConsumer.sol";
import {IOpmlGame} from "../opml/interfaces/IOpmlGame.sol";
import {CreditBook} from "./CreditBook.sol";
import {CommitteeVotes} from "./CommitteeVotes.sol";

/// @title DPrompt request book
/// @notice Requests escrow a fee from the requester's credit and name a stake-weighted
/// priority provider; answers are final after a challenge window, or go to a committee
/// that commit-reveals its verdict (LLM models: one scoring pass checks the answer and the
/// model commitment carried in `Responded`) or to the opML
/// dissection game (verifiable integer models). Each request stores one slot. A requester
/// may name a consumer contract to be called when the answer arrives (provisional), when
/// the request ends for good (final answer, or refunded), or both.
contract RequestBook is IRequestBook, CreditBook, CommitteeVotes {
    using SafeERC20 for IERC20;

    uint256 private constant BPS = 10_000;
    uint256 private constant CALLBACK_RESERVE = 20_000; // gas kept to settle after a callback
    uint256 private constant MAX_REASON = 256;

    /// @notice The model registry.
    IModelRegistry public immutable models;
    /// @notice The provider registry.
    IProviderRegistry public immutable providers;
    /// @notice The sREX contract funded with the stakers' share.
    IStakedRex public immutable staked;
    /// @notice Receiver of the treasury share.
    address public immutable treasury;
    /// @notice The opML game that decides disputes on `OPML` models.
    IOpmlGame public immutable game;

    uint16 private immutable _treasuryBps;
    uint16 private immutable _stakersBps;
    uint32 private immutable _responseTimeout;
    uint32 private immutable _takeoverGrace;
    uint32 private immutable _minChallengeWindow;
    uint32 private immutable _maxChallengeWindow;
    uint32 private immutable _maxCallbackGas;
    uint96 private immutable _minBond;
    uint16 private immutable _bondMultiplier;
    uint96 private immutable _slashAmount;

    /// @notice Identifier the next request gets.
    uint256 public nextId = 1;
    mapping(uint256 => bytes32) private _requestHash;

    /// @notice Deploy the book; approves `staked` to pull the stakers' share.
    /// @param rex_ The REX token (must offer `burn`).
    /// @param models_ The model registry.
    /// @param providers_ The provider registry (its owner must then `setRequestBook`).
    /// @param staked_ The sREX contract.
    /// @param treasury_ Receiver of the treasury share.
    /// @param game_ The opML game (its owner must then `setRequestBook`).
    /// @param p Protocol parameters: shares sum <= 10,000 bps; odd committee size;
    /// `minChallengeWindow <= maxChallengeWindow`.
    constructor(
        address rex_,
        address models_,
        address providers_,
        address staked_,
        address treasury_,
        address game_,
        Params memory p
    ) CreditBook(rex_) CommitteeVotes(p.committeeSize, p.commitPeriod, p.revealPeriod, p.noRevealPenalty) {
        require(
            models_ != address(0) && providers_ != address(0) && staked_ != address(0) && treasury_ != address(0)
                && game_ != address(0),
            "RequestBook: ZERO_ADDRESS"
        );
        require(
            uint256(p.treasuryBps) + p.stakersBps <= BPS && p.committeeSize % 2 == 1
                && p.minChallengeWindow <= p.maxChallengeWindow,
            "RequestBook: BAD_PARAMS"
        );
        models = IModelRegistry(models_);
        providers = IProviderRegistry(providers_);
        staked = IStakedRex(staked_);
        treasury = treasury_;
        game = IOpmlGame(game_);
        _treasuryBps = p.treasuryBps;
        _stakersBps = p.stakersBps;
        _responseTimeout = p.responseTimeout;
        _takeoverGrace = p.takeoverGrace;
        _minChallengeWindow = p.minChallengeWindow;
        _maxChallengeWindow = p.maxChallengeWindow;
        _maxCallbackGas = p.maxCallbackGas;
        _minBond = p.minBond;
        _bondMultiplier = p.bondMultiplier;
        _slashAmount = p.slashAmount;
        IERC20(rex_).forceApprove(staked_, type(uint256).max);
    }

    // ---------------------------------------------------------------- requests

    /// @inheritdoc IRequestBook
    function request(
        bytes32 modelId,
        bytes32 promptHash,
        bytes calldata prompt,
        uint96 maxFee,
        address callback,
        uint32 callbackGasLimit,
        uint8 callbackMode,
        uint32 challengeWindow
    ) external returns (uint256 id) {
        {
            (bool active, uint32 maxPromptBytes) = models.requestLimits(modelId);
            require(active, "RequestBook: UNKNOWN_MODEL");
            require(prompt.length <= maxPromptBytes, "RequestBook: PROMPT_TOO_LONG");
        }
        require(keccak256(prompt) == promptHash, "RequestBook: PROMPT_HASH");
        require(
            challengeWindow >= _minChallengeWindow && challengeWindow <= _maxChallengeWindow,
            "RequestBook: CHALLENGE_WINDOW"
        );
        require(callbackGasLimit <= _maxCallbackGas, "RequestBook: CALLBACK_GAS_LIMIT");
        require(
            callbackMode <= (CALLBACK_ON_ANSWER | CALLBACK_ON_FINAL)
                && (callbackMode == 0) == (callback == address(0)),
            "RequestBook: CALLBACK_MODE"
        );
        id = nextId++;
        // filled field by field (Open, no responder, zero hashes by default): a struct
        // literal of fifteen fields would not fit the stack
        Request memory r;
        (r.provider, r.fee) =
            providers.quote(modelId, uint256(keccak256(abi.encode(blockhash(block.number - 1), id))));
        require(r.provider != address(0), "RequestBook: NO_PROVIDER");
        require(r.fee <= maxFee, "RequestBook: FEE_BELOW_PRICE");
        _debit(msg.sender, r.fee);
        r.requester = msg.sender;
        r.modelId = modelId;
        r.promptHash = promptHash;
        r.deadline = uint48(block.timestamp + _responseTimeout);
        r.callback = callback;
        r.callbackGasLimit = callbackGasLimit;
        r.callbackMode = callbackMode;
        r.challengeWindow = challengeWindow;
        _requestHash[id] = keccak256(abi.encode(r));
        emit Requested(id, r, prompt);
    }

    /// @inheritdoc IRequestBook
    function respond(uint256 id, Request calldata req, bytes calldata output, bytes32 receiptHash) external {
        _respond(id, req, output, receiptHash, msg.data[0:0]);
    }

    /// @inheritdoc IRequestBook
    function respondWithCommitment(
        uint256 id,
        Request calldata req,
        bytes calldata output,
        bytes32 receiptHash,
        bytes calldata commitment
    ) external {
        _respond(id, req, output, receiptHash, commitment);
    }

    /// @inheritdoc IRequestBook
    function refund(uint256 id, Request calldata req) external {
        Request memory r = _load(id, req);
        require(r.status == uint8(Status.Open), "RequestBook: NOT_OPEN");
        require(block.timestamp > uint256(r.deadline) + _takeoverGrace, "RequestBook: TOO_EARLY");
        r.status = uint8(Status.Refunded);
        _requestHash[id] = keccak256(abi.encode(r));
        _credit[r.requester] += r.fee;
        providers.recordTimedOut(r.provider);
        emit Refunded(id, r.fee);
        _callBackFailed(id, r);
    }

    /// @inheritdoc IRequestBook
    function finalize(uint256 id, Request calldata req, bytes calldata output) external {
        Request memory r = _load(id, req);
        require(r.status == uint8(Status.Answered), "RequestBook: NOT_ANSWERED");
        require(block.timestamp > uint256(r.respondedAt) + r.challengeWindow, "RequestBook: WINDOW_OPEN");
        bool onFinal = r.callbackMode & CALLBACK_ON_FINAL != 0;
        require(!onFinal || keccak256(output) == r.outputHash, "RequestBook: BAD_OUTPUT");
        r.status = uint8(Status.Final);
        _requestHash[id] = keccak256(abi.encode(r));
        uint256 treasuryShare = uint256(r.fee) * _treasuryBps / BPS;
        uint256 stakersShare = uint256(r.fee) * _stakersBps / BPS;
        uint256 paid = r.fee - treasuryShare - stakersShare;
        _credit[r.responder] += paid;
        providers.recordAnswered(r.responder);
        if (treasuryShare != 0) rex.safeTransfer(treasury, treasuryShare);
        if (stakersShare != 0) staked.fund(stakersShare);
        emit Finalized(id, r.responder, paid, treasuryShare, stakersShare);
        if (onFinal) _callBack(id, r, abi.encodeCall(IDPromptConsumer.onFinal, (id, true, output)), true);
    }

    // ---------------------------------------------------------------- disputes

    /// @inheritdoc IRequestBook
    function challenge(uint256 id, Request calldata req) external {
        Request memory r = _load(id, req);
        require(r.status == uint8(Status.Answered), "RequestBook: NOT_ANSWERED");
        require(block.timestamp <= uint256(r.respondedAt) + r.challengeWindow, "RequestBook: WINDOW_CLOSED");
        require(_disputes[id].challenger == address(0), "RequestBook: ALREADY_CHALLENGED");
        IModelRegistry.Model memory m = models.model(r.modelId);
        uint256 bond = uint256(r.fee) * _bondMultiplier;
        if (bond < _minBond) bond = _minBond;
        _debit(msg.sender, bond);
        r.status = uint8(Status.Challenged);
        _requestHash[id] = keccak256(abi.encode(r));
        if (m.kind == IModelRegistry.Kind.LLM) {
            address[] memory committee = _drawCommittee(id, r.modelId, r.responder, msg.sender);
            Dispute memory d = _openDispute(id, msg.sender, uint96(bond), committee);
            emit Challenged(id, msg.sender, bond, committee, d.commitEnd, d.revealEnd);
        } else {
            // an opML dispute has no committee phases: commitEnd = revealEnd = 0 marks it
            _disputes[id] = Dispute(msg.sender, uint96(bond), 0, 0);
            game.open(id, r.responder, msg.sender, m.weightsHash, r.promptHash, r.outputHash);
            emit Challenged(id, msg.sender, bond, new address[](0), 0, 0);
        }
    }

    /// @inheritdoc IRequestBook
    function resolve(uint256 id, Request calldata req) external {
        Request memory r = _load(id, req);
        require(r.status == uint8(Status.Challenged), "RequestBook: NOT_CHALLENGED");
        Dispute memory d = _disputes[id];
        bytes32 majority;
        Outcome outcome;
        bool isGame = d.revealEnd == 0;
        if (isGame) {
            (bool over, bool responderWon) = game.result(id);
            require(over, "RequestBook: GAME_ON");
            outcome = responderWon ? Outcome.Upheld : Outcome.Overturned;
        } else {
            require(block.timestamp > d.revealEnd, "RequestBook: REVEAL_PHASE");
            majority = _tally(id);
            if (majority == bytes32(0)) outcome = Outcome.NoMajority;
            else outcome = majority == r.outputHash ? Outcome.Upheld : Outcome.Overturned;
        }
        uint256 slashed = _settle(id, r, d, outcome);
        if (!isGame) _penaliseSilent(id, majority);
        emit Resolved(id, outcome, majority, slashed);
        if (outcome == Outcome.Overturned) _callBackFailed(id, r);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IRequestBook
    function requestHash(uint256 id) external view returns (bytes32) {
        return _requestHash[id];
    }

    /// @inheritdoc IRequestBook
    function params() external view returns (Params memory) {
        return Params({
            treasuryBps: _treasuryBps,
            stakersBps: _stakersBps,
            responseTimeout: _responseTimeout,
            takeoverGrace: _takeoverGrace,
            minChallengeWindow: _minChallengeWindow,
            maxChallengeWindow: _maxChallengeWindow,
            maxCallbackGas: _maxCallbackGas,
            minBond: _minBond,
            bondMultiplier: _bondMultiplier,
            committeeSize: _committeeSize,
            commitPeriod: _commitPeriod,
            revealPeriod: _revealPeriod,
            slashAmount: _slashAmount,
            noRevealPenalty: _noRevealPenalty
        });
    }

    // ---------------------------------------------------------------- internals

    /// @dev The answer of `respond` and `respondWithCommitment`. `commitment` travels only in
    /// the event: a committee member reads it there and checks it against the receipt hash.
    function _respond(
        uint256 id,
        Request calldata req,
        bytes calldata output,
        bytes32 receiptHash,
        bytes calldata commitment
    ) private {
        Request memory r = _load(id, req);
        require(r.status == uint8(Status.Open), "RequestBook: ALREADY_ANSWERED");
        require(providers.isActive(msg.sender, r.modelId), "RequestBook: UNREGISTERED_PROVIDER");
        if (msg.sender != r.provider) {
            require(block.timestamp > r.deadline, "RequestBook: NOT_PRIORITY");
            providers.recordTimedOut(r.provider);
        }
        r.responder = msg.sender;
        r.respondedAt = uint48(block.timestamp);
        r.status = uint8(Status.Answered);
        r.outputHash = keccak256(output);
        r.receiptHash = receiptHash;
        _requestHash[id] = keccak256(abi.encode(r));
        emit Responded(id, msg.sender, output, receiptHash, r.respondedAt, commitment);
        if (r.callbackMode & CALLBACK_ON_ANSWER != 0) {
            _callBack(id, r, abi.encodeCall(IDPromptConsumer.onAnswer, (id, output)), false);
        }
    }


    /// @dev Move the money of a decided dispute and store the request's new status.
    /// Upheld: the challenger's bond goes half to the responder, half burned; the
    /// request continues to `finalize`. Overturned: the responder is slashed
    /// `slashAmount` (half to the challenger, half burned), the fee is refunded and the
    /// bond returned. No majority: the bond is returned and the request continues.
    function _settle(uint256 id, Request memory r, Dispute memory d, Outcome outcome)
        private
        returns (uint256 slashed)
    {
        if (outcome == Outcome.NoMajority) {
            r.status = uint8(Status.Answered);
            _credit[d.challenger] += d.bond;
        } else if (outcome == Outcome.Upheld) {
            r.status = uint8(Status.Answered);
            uint256 half = d.bond / 2;
            _credit[r.responder] += half;
            ERC20Burnable(address(rex)).burn(d.bond - half);
        } else {
            r.status = uint8(Status.Refunded);
            _credit[d.challenger] += d.bond;
            _credit[r.requester] += r.fee;
            slashed = providers.slash(r.responder, _slashAmount, d.challenger);
        }
        _requestHash[id] = keccak256(abi.encode(r));
    }

    function _load(uint256 id, Request calldata req) private view returns (Request memory r) {
        r = req;
        require(_requestHash[id] == keccak256(abi.encode(r)), "RequestBook: BAD_REQUEST");
    }

    /// @dev Tell a consumer that asked to be called on finality that request `id` ended
    /// refunded, without an answer. Called last, once every state change is made.
    function _callBackFailed(uint256 id, Request memory r) private {
        if (r.callbackMode & CALLBACK_ON_FINAL == 0) return;
        _callBack(id, r, abi.encodeCall(IDPromptConsumer.onFinal, (id, false, "")), true);
    }

    /// @dev Call `r.callback` with `data` and exactly `r.callbackGasLimit` gas; never revert.
    /// A caller that sends too little gas for that (plus the reserve to finish) is refused,
    /// so nobody can starve a callback on purpose. The callee's return data is never copied
    /// unless it failed, and then at most `MAX_REASON` bytes of it. Every caller runs this
    /// after its state changes and events, so a reentering consumer finds the request in its
    /// new state (and the hash it holds stale).
    function _callBack(uint256 id, Request memory r, bytes memory data, bool onFinal) private {
        uint256 gasLimit = r.callbackGasLimit;
        address target = r.callback;
        require(gasleft() >= gasLimit * 64 / 63 + CALLBACK_RESERVE, "RequestBook: CALLBACK_GAS");
        bool ok;
        assembly ("memory-safe") {
            ok := call(gasLimit, target, 0, add(data, 0x20), mload(data), 0, 0)
        }
        if (ok) return;
        uint256 size;
        assembly ("memory-safe") {
            size := returndatasize()
        }
        if (size > MAX_REASON) size = MAX_REASON;
        bytes memory reason = new bytes(size);
        assembly ("memory-safe") {
            returndatacopy(add(reason, 0x20), 0, size)
        }
        emit CallbackFailed(id, onFinal, reason);
    }

    function _reward(address account, uint256 amount) internal override {
        _credit[account] += amount;
    }

    function _rewardSink() internal view override returns (address) {
        return treasury;
    }

    function _providers() internal view override returns (IProviderRegistry) {
        return providers;
    }
}
