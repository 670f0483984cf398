// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IStakedRex} from "../interfaces/IStakedRex.sol";
import {IAgentMarket} from "./interfaces/IAgentMarket.sol";

/// @title Agent Market
/// @notice Pay-per-use market for agents listed by spec hash, paid from prepaid REX credit.
/// There is no pause: refunds after expiry are open to anyone, always, and the market
/// owner can only move the protocol shares within the bounds fixed below.
/// @dev Money stays inside the contract as numbers until someone takes it out, so that
/// opening and settling a job move no tokens. At every moment
/// `rex.balanceOf(this) == sum(credit) + sum(held by open jobs) + sum(developerDue) + poolDue + treasuryDue`.
/// Distribution hook: `listingOf(id).settledValue` is the cumulative REX settled on a
/// listing and never decreases; an airdrop distributor reads it at two block numbers and
/// pays for the difference (or sums the `JobSettled` events of a listing over a period).
contract AgentMarket is IAgentMarket, Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Basis-point denominator of the shares.
    uint256 public constant BPS = 10_000;
    /// @notice Most the sREX reward pool may take of a settled price.
    uint16 public constant MAX_POOL_BPS = 2_000;
    /// @notice Most the treasury may take of a settled price.
    uint16 public constant MAX_TREASURY_BPS = 1_000;
    /// @notice Longest a job may hold a buyer's credit.
    uint256 public constant MAX_JOB_DURATION = 30 days;
    /// @notice Highest price per use: one billion REX.
    uint96 public constant MAX_PRICE = 1e27;
    /// @notice Highest rating score (the lowest is 1).
    uint8 public constant MAX_SCORE = 5;

    /// @dev The fields `openJob` reads.
    struct Head {
        uint96 price;
        uint32 versions;
        bool listed;
    }

    /// @dev Version totals; slot 0 (non-zero from creation) is all `openJob` and
    /// `settle` touch, slot 1 only `rate`.
    struct Totals {
        uint64 listingId;
        uint32 index;
        uint32 jobs;
        uint32 settled;
        uint96 settledValue;
        uint32 ratings;
        uint96 ratingWeight;
        uint128 weightedScore;
    }

    /// @dev Protocol shares and their undistributed accruals in one slot.
    struct Fees {
        uint16 poolBps;
        uint16 treasuryBps;
        uint96 poolDue;
        uint96 treasuryDue;
    }

    /// @dev Each of the three is one slot; `settle` writes only the last two, both
    /// non-zero from the listing's creation.
    struct ListingSlots {
        Head head;
        address operator;
        uint96 settledValue;
        address owner;
        uint96 developerDue;
    }

    /// @notice The REX token.
    IERC20 public immutable rex;
    /// @notice The sREX contract whose reward pool is funded with the pool share.
    IStakedRex public immutable staked;
    /// @notice Receiver of the treasury share.
    address public immutable treasury;

    Fees private _fees;
    uint64 private _listingCount;

    mapping(address account => uint256) private _credit;
    mapping(uint256 listingId => ListingSlots) private _listings;
    /// @dev Versions by key `listingId << 32 | index`.
    mapping(uint256 key => Totals) private _versions;
    mapping(uint256 key => bytes32) private _specs;
    mapping(bytes32 specHash => uint256 key) private _keyOf;
    mapping(uint256 jobId => Job) private _jobs;

    /// @notice Deploy the market; approves `staked_` to pull the pool share.
    /// @param rex_ The REX token (ERC-2612).
    /// @param staked_ The sREX contract.
    /// @param treasury_ Receiver of the treasury share.
    /// @param owner_ May set the protocol shares within the bounds.
    /// @param poolBps Initial pool share, <= `MAX_POOL_BPS`.
    /// @param treasuryBps Initial treasury share, <= `MAX_TREASURY_BPS`.
    constructor(address rex_, address staked_, address treasury_, address owner_, uint16 poolBps, uint16 treasuryBps)
        Ownable(owner_)
    {
        require(rex_ != address(0) && staked_ != address(0) && treasury_ != address(0), "AgentMarket: ZERO_ADDRESS");
        rex = IERC20(rex_);
        staked = IStakedRex(staked_);
        treasury = treasury_;
        _setFees(poolBps, treasuryBps);
        IERC20(rex_).forceApprove(staked_, type(uint256).max);
    }

    // ---------------------------------------------------------------- credit

    /// @inheritdoc IAgentMarket
    function deposit(uint256 amount) external nonReentrant {
        _deposit(amount);
    }

    /// @inheritdoc IAgentMarket
    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
    {
        IERC20Permit(address(rex)).permit(msg.sender, address(this), amount, deadline, v, r, s);
        _deposit(amount);
    }

    /// @inheritdoc IAgentMarket
    function withdrawCredit(uint256 amount) external nonReentrant {
        require(amount > 0, "AgentMarket: ZERO_AMOUNT");
        _debit(msg.sender, amount);
        rex.safeTransfer(msg.sender, amount);
        emit CreditWithdrawn(msg.sender, amount);
    }

    // ---------------------------------------------------------------- listings

    /// @inheritdoc IAgentMarket
    function list(bytes32 specHash, address operator, uint96 price) external returns (uint256 listingId) {
        require(operator != address(0), "AgentMarket: ZERO_ADDRESS");
        require(price <= MAX_PRICE, "AgentMarket: PRICE_TOO_HIGH");
        listingId = ++_listingCount;
        ListingSlots storage l = _listings[listingId];
        l.head = Head({price: price, versions: 0, listed: true});
        l.operator = operator;
        l.owner = msg.sender;
        emit Listed(listingId, msg.sender, operator, price, specHash);
        _addVersion(listingId, l, specHash);
    }

    /// @inheritdoc IAgentMarket
    function addVersion(uint256 listingId, bytes32 specHash) external returns (uint256 index) {
        ListingSlots storage l = _owned(listingId);
        index = _addVersion(listingId, l, specHash);
    }

    /// @inheritdoc IAgentMarket
    function setPrice(uint256 listingId, uint96 price) external {
        require(price <= MAX_PRICE, "AgentMarket: PRICE_TOO_HIGH");
        _owned(listingId).head.price = price;
        emit PriceSet(listingId, price);
    }

    /// @inheritdoc IAgentMarket
    function setOperator(uint256 listingId, address operator) external {
        require(operator != address(0), "AgentMarket: ZERO_ADDRESS");
        _owned(listingId).operator = operator;
        emit OperatorSet(listingId, operator);
    }

    /// @inheritdoc IAgentMarket
    function setListed(uint256 listingId, bool listed) external {
        _owned(listingId).head.listed = listed;
        emit ListedSet(listingId, listed);
    }

    /// @inheritdoc IAgentMarket
    function transferListing(uint256 listingId, address newOwner) external {
        require(newOwner != address(0), "AgentMarket: ZERO_ADDRESS");
        ListingSlots storage l = _owned(listingId);
        uint256 due = l.developerDue;
        l.owner = newOwner;
        l.developerDue = 0;
        if (due != 0) _credit[msg.sender] += due;
        emit ListingTransferred(listingId, msg.sender, newOwner, due);
    }

    // ---------------------------------------------------------------- jobs

    /// @inheritdoc IAgentMarket
    function openJob(bytes32 specHash, uint96 maxPrice, uint40 expiry) external returns (uint256 jobId) {
        uint256 key = _keyOf[specHash];
        require(key != 0, "AgentMarket: UNKNOWN_SPEC");
        Head memory head = _listings[key >> 32].head;
        require(head.listed, "AgentMarket: DELISTED");
        require(maxPrice >= head.price, "AgentMarket: BELOW_PRICE");
        require(expiry > block.timestamp && expiry <= block.timestamp + MAX_JOB_DURATION, "AgentMarket: BAD_EXPIRY");
        _debit(msg.sender, maxPrice);
        Totals storage t = _versions[key];
        uint32 number = t.jobs + 1;
        t.jobs = number;
        jobId = key << 32 | number;
        _jobs[jobId] = Job({buyer: msg.sender, expiry: expiry, amount: maxPrice, status: JobStatus.Open, score: 0});
        emit JobOpened(jobId, msg.sender, specHash, maxPrice, expiry);
    }

    /// @inheritdoc IAgentMarket
    function settle(uint256 jobId, uint96 price, bytes32 responseHash) external {
        Job storage j = _jobs[jobId];
        require(j.status == JobStatus.Open, "AgentMarket: NOT_OPEN");
        uint256 listingId = jobId >> 64;
        ListingSlots storage l = _listings[listingId];
        require(msg.sender == l.operator, "AgentMarket: NOT_OPERATOR");
        require(block.timestamp <= j.expiry, "AgentMarket: EXPIRED");
        uint96 held = j.amount;
        require(price <= held, "AgentMarket: ABOVE_MAX");
        j.amount = price;
        j.status = JobStatus.Settled;
        if (price != held) _credit[j.buyer] += held - price;
        Totals storage t = _versions[jobId >> 32];
        t.settled += 1;
        t.settledValue += price;
        (uint96 developerShare, uint96 poolShare, uint96 treasuryShare) = _split(price);
        l.settledValue += price;
        l.developerDue += developerShare;
        emit JobSettled(jobId, listingId, price, developerShare, poolShare, treasuryShare, responseHash);
    }

    /// @inheritdoc IAgentMarket
    function refund(uint256 jobId) external {
        Job storage j = _jobs[jobId];
        require(j.status == JobStatus.Open, "AgentMarket: NOT_OPEN");
        require(block.timestamp > j.expiry, "AgentMarket: NOT_EXPIRED");
        uint96 held = j.amount;
        address buyer = j.buyer;
        j.status = JobStatus.Refunded;
        _credit[buyer] += held;
        emit JobRefunded(jobId, buyer, held);
    }

    /// @inheritdoc IAgentMarket
    function rate(uint256 jobId, uint8 score) external {
        Job storage j = _jobs[jobId];
        require(j.status == JobStatus.Settled, "AgentMarket: NOT_SETTLED");
        require(msg.sender == j.buyer, "AgentMarket: NOT_BUYER");
        ListingSlots storage l = _listings[jobId >> 64];
        require(msg.sender != l.owner && msg.sender != l.operator, "AgentMarket: SELF_RATING");
        require(j.score == 0, "AgentMarket: ALREADY_RATED");
        require(score >= 1 && score <= MAX_SCORE, "AgentMarket: BAD_SCORE");
        uint96 weight = j.amount;
        require(weight > 0, "AgentMarket: UNPAID");
        j.score = score;
        Totals storage t = _versions[jobId >> 32];
        t.ratings += 1;
        t.ratingWeight += weight;
        t.weightedScore += uint128(weight) * score;
        emit Rated(jobId, _specs[jobId >> 32], score, weight);
    }

    // ---------------------------------------------------------------- payouts

    /// @inheritdoc IAgentMarket
    function claim(uint256 listingId) external nonReentrant returns (uint256 amount) {
        ListingSlots storage l = _listings[listingId];
        address owner_ = l.owner;
        require(owner_ != address(0), "AgentMarket: UNKNOWN_LISTING");
        amount = l.developerDue;
        require(amount != 0, "AgentMarket: NOTHING_TO_CLAIM");
        l.developerDue = 0;
        rex.safeTransfer(owner_, amount);
        emit DeveloperClaimed(listingId, owner_, amount);
    }

    /// @inheritdoc IAgentMarket
    function distributeFees() external nonReentrant {
        Fees memory f = _fees;
        require(f.poolDue != 0 || f.treasuryDue != 0, "AgentMarket: NOTHING_TO_DISTRIBUTE");
        _fees = Fees(f.poolBps, f.treasuryBps, 0, 0);
        if (f.treasuryDue != 0) rex.safeTransfer(treasury, f.treasuryDue);
        if (f.poolDue != 0) staked.fund(f.poolDue);
        emit FeesDistributed(f.poolDue, f.treasuryDue);
    }

    /// @inheritdoc IAgentMarket
    function setFees(uint16 poolBps, uint16 treasuryBps) external onlyOwner {
        _setFees(poolBps, treasuryBps);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IAgentMarket
    function creditOf(address account) external view returns (uint256) {
        return _credit[account];
    }

    /// @inheritdoc IAgentMarket
    function listingOf(uint256 listingId) external view returns (Listing memory) {
        ListingSlots storage l = _listings[listingId];
        return Listing({
            owner: l.owner,
            operator: l.operator,
            price: l.head.price,
            versions: l.head.versions,
            listed: l.head.listed,
            settledValue: l.settledValue,
            developerDue: l.developerDue
        });
    }

    /// @inheritdoc IAgentMarket
    function specAt(uint256 listingId, uint256 index) external view returns (bytes32) {
        if (listingId > type(uint64).max || index > type(uint32).max) return bytes32(0);
        return _specs[listingId << 32 | index];
    }

    /// @inheritdoc IAgentMarket
    function versionOf(bytes32 specHash) external view returns (Version memory) {
        uint256 key = _keyOf[specHash];
        if (key == 0) return Version(0, 0, 0, 0, 0, 0, 0, 0);
        Totals storage t = _versions[key];
        return Version(t.listingId, t.index, t.jobs, t.settled, t.settledValue, t.ratings, t.ratingWeight, t.weightedScore);
    }

    /// @inheritdoc IAgentMarket
    function jobOf(uint256 jobId) external view returns (Job memory) {
        return _jobs[jobId];
    }

    /// @inheritdoc IAgentMarket
    function listingCount() external view returns (uint256) {
        return _listingCount;
    }

    /// @inheritdoc IAgentMarket
    function fees() external view returns (uint256 poolBps, uint256 treasuryBps, uint256 poolDue, uint256 treasuryDue) {
        Fees memory f = _fees;
        return (f.poolBps, f.treasuryBps, f.poolDue, f.treasuryDue);
    }

    // ---------------------------------------------------------------- internals

    function _deposit(uint256 amount) private {
        require(amount > 0, "AgentMarket: ZERO_AMOUNT");
        _credit[msg.sender] += amount;
        rex.safeTransferFrom(msg.sender, address(this), amount);
        emit Deposited(msg.sender, amount);
    }

    function _debit(address account, uint256 amount) private {
        uint256 balance = _credit[account];
        require(amount <= balance, "AgentMarket: INSUFFICIENT_CREDIT");
        unchecked {
            _credit[account] = balance - amount;
        }
    }

    /// @dev The listing `listingId`, which the caller must own.
    function _owned(uint256 listingId) private view returns (ListingSlots storage l) {
        l = _listings[listingId];
        address owner_ = l.owner;
        require(owner_ != address(0), "AgentMarket: UNKNOWN_LISTING");
        require(owner_ == msg.sender, "AgentMarket: NOT_OWNER");
    }

    function _addVersion(uint256 listingId, ListingSlots storage l, bytes32 specHash) private returns (uint256 index) {
        require(specHash != bytes32(0), "AgentMarket: ZERO_SPEC");
        require(_keyOf[specHash] == 0, "AgentMarket: SPEC_EXISTS");
        index = l.head.versions;
        l.head.versions = uint32(index + 1);
        uint256 key = listingId << 32 | index;
        _keyOf[specHash] = key;
        _specs[key] = specHash;
        Totals storage t = _versions[key];
        t.listingId = uint64(listingId);
        t.index = uint32(index);
        emit VersionAdded(listingId, index, specHash);
    }

    /// @dev Split `price` by the current shares (the developer takes the rounding) and
    /// accrue the protocol shares.
    function _split(uint96 price) private returns (uint96 developerShare, uint96 poolShare, uint96 treasuryShare) {
        Fees memory f = _fees;
        poolShare = uint96(uint256(price) * f.poolBps / BPS);
        treasuryShare = uint96(uint256(price) * f.treasuryBps / BPS);
        developerShare = price - poolShare - treasuryShare;
        if (poolShare != 0 || treasuryShare != 0) {
            _fees = Fees(f.poolBps, f.treasuryBps, f.poolDue + poolShare, f.treasuryDue + treasuryShare);
        }
    }

    function _setFees(uint16 poolBps, uint16 treasuryBps) private {
        require(poolBps <= MAX_POOL_BPS && treasuryBps <= MAX_TREASURY_BPS, "AgentMarket: BAD_FEES");
        _fees.poolBps = poolBps;
        _fees.treasuryBps = treasuryBps;
        emit FeesSet(poolBps, treasuryBps);
    }
}
