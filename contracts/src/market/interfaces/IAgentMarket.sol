// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Agent Market interface
/// @notice Agents are listed by the hash of their spec's canonical form and sold per use
/// for REX. Buyers prepay credit, open a job on one version with a maximum price and an
/// expiry; the listing's operator settles it with the price (<= max) and the response
/// hash, or anyone refunds it to the buyer after the expiry. Settled value is split
/// between the developer (claimable), the sREX reward pool and the treasury.
/// @dev Revert strings:
/// - `AgentMarket: ZERO_ADDRESS` (constructor, operator, new owner);
/// - `AgentMarket: ZERO_AMOUNT` on `deposit`, `depositWithPermit`, `withdrawCredit` with 0;
/// - `AgentMarket: INSUFFICIENT_CREDIT` when the caller's credit is below the amount;
/// - `AgentMarket: ZERO_SPEC` / `AgentMarket: SPEC_EXISTS` on `list` and `addVersion`;
/// - `AgentMarket: PRICE_TOO_HIGH` for a price per use above `MAX_PRICE`;
/// - `AgentMarket: UNKNOWN_LISTING` (owner functions, `claim`) / `AgentMarket: UNKNOWN_SPEC` (`openJob`);
/// an unknown job is `NOT_OPEN` to `settle` and `refund` and `NOT_SETTLED` to `rate`;
/// - `AgentMarket: NOT_OWNER` on the listing owner's functions;
/// - `AgentMarket: NOT_OPERATOR` on `settle` by anyone but the listing's operator;
/// - `AgentMarket: DELISTED` on `openJob` for a delisted listing;
/// - `AgentMarket: BELOW_PRICE` on `openJob` with `maxPrice` below the price per use;
/// - `AgentMarket: BAD_EXPIRY` on `openJob` with an expiry not in (now, now + MAX_JOB_DURATION];
/// - `AgentMarket: NOT_OPEN` on `settle` and `refund` of a job that is not open;
/// - `AgentMarket: EXPIRED` on `settle` after the job's expiry;
/// - `AgentMarket: ABOVE_MAX` on `settle` with a price above the job's maximum;
/// - `AgentMarket: NOT_EXPIRED` on `refund` before the job's expiry;
/// - `AgentMarket: NOT_SETTLED` / `AgentMarket: NOT_BUYER` / `AgentMarket: SELF_RATING` /
///   `AgentMarket: ALREADY_RATED` / `AgentMarket: BAD_SCORE` / `AgentMarket: UNPAID` on `rate`;
/// - `AgentMarket: NOTHING_TO_CLAIM` on `claim`, `AgentMarket: NOTHING_TO_DISTRIBUTE` on
///   `distributeFees`;
/// - `AgentMarket: BAD_FEES` on `setFees` (and the constructor) beyond the fixed bounds.
/// `setFees` by anyone but the market owner reverts with OpenZeppelin's `OwnableUnauthorizedAccount`.
interface IAgentMarket {
    /// @notice Life of a job.
    enum JobStatus {
        None,
        Open,
        Settled,
        Refunded
    }

    /// @notice A listing as stored.
    /// @param owner The developer: edits the listing and is paid the developer share.
    /// @param operator Runs the agent and settles its jobs.
    /// @param price Price per use, REX wei.
    /// @param versions Number of versions (append-only; the latest is `versions - 1`).
    /// @param listed False once delisted (no new jobs; open jobs still settle or refund).
    /// @param settledValue Cumulative REX wei of settled jobs (the distribution hook).
    /// @param developerDue Developer share accrued and not yet claimed, REX wei.
    struct Listing {
        address owner;
        address operator;
        uint96 price;
        uint32 versions;
        bool listed;
        uint96 settledValue;
        uint96 developerDue;
    }

    /// @notice Running totals of one version; nothing is ever iterated.
    /// @param listingId The listing the version belongs to.
    /// @param index Its position among the listing's versions.
    /// @param jobs Jobs opened on it.
    /// @param settled Jobs settled.
    /// @param settledValue REX wei paid for settled jobs.
    /// @param ratings Ratings received.
    /// @param ratingWeight Sum of the prices paid by the raters (REX wei).
    /// @param weightedScore Sum of score x price paid over the ratings.
    struct Version {
        uint64 listingId;
        uint32 index;
        uint32 jobs;
        uint32 settled;
        uint96 settledValue;
        uint32 ratings;
        uint96 ratingWeight;
        uint128 weightedScore;
    }

    /// @notice A job as stored.
    /// @param buyer Who opened it and receives refunds.
    /// @param expiry Last second the operator may settle; refundable after it.
    /// @param amount Held REX wei while open; the price paid once settled.
    /// @param status Its status.
    /// @param score The buyer's rating (0 = not rated).
    struct Job {
        address buyer;
        uint40 expiry;
        uint96 amount;
        JobStatus status;
        uint8 score;
    }

    /// @notice `account` moved `amount` REX into its credit.
    event Deposited(address indexed account, uint256 amount);
    /// @notice `account` took `amount` REX out of its credit.
    event CreditWithdrawn(address indexed account, uint256 amount);
    /// @notice Listing `listingId` was created by `owner` with its first version `specHash`.
    event Listed(uint256 indexed listingId, address indexed owner, address operator, uint256 price, bytes32 specHash);
    /// @notice Listing `listingId` gained version `index` with spec hash `specHash`.
    event VersionAdded(uint256 indexed listingId, uint256 index, bytes32 indexed specHash);
    /// @notice The price per use of `listingId` is now `price`.
    event PriceSet(uint256 indexed listingId, uint256 price);
    /// @notice The operator of `listingId` is now `operator`.
    event OperatorSet(uint256 indexed listingId, address operator);
    /// @notice `listingId` is (`listed` true) or is no longer (false) open to new jobs.
    event ListedSet(uint256 indexed listingId, bool listed);
    /// @notice `listingId` now belongs to `newOwner`; the unclaimed developer share
    /// `paidOut` went to the previous owner's credit.
    event ListingTransferred(uint256 indexed listingId, address indexed previousOwner, address indexed newOwner, uint256 paidOut);
    /// @notice `buyer` opened job `jobId` on version `specHash`, holding `maxPrice` until `expiry`.
    event JobOpened(uint256 indexed jobId, address indexed buyer, bytes32 indexed specHash, uint256 maxPrice, uint256 expiry);
    /// @notice Job `jobId` of `listingId` was settled for `price` (developer, pool and treasury
    /// shares given); `responseHash` identifies the agent's response. The `listingId` topic
    /// and `price` are the per-listing settled value a distributor reads.
    event JobSettled(
        uint256 indexed jobId,
        uint256 indexed listingId,
        uint256 price,
        uint256 developerShare,
        uint256 poolShare,
        uint256 treasuryShare,
        bytes32 responseHash
    );
    /// @notice Job `jobId` expired unsettled; `amount` went back to its buyer's credit.
    event JobRefunded(uint256 indexed jobId, address indexed buyer, uint256 amount);
    /// @notice The buyer of `jobId` rated version `specHash` `score` with weight `weight`.
    event Rated(uint256 indexed jobId, bytes32 indexed specHash, uint256 score, uint256 weight);
    /// @notice The owner of `listingId` claimed `amount` REX of developer share.
    event DeveloperClaimed(uint256 indexed listingId, address indexed owner, uint256 amount);
    /// @notice `poolShare` REX funded the sREX reward pool and `treasuryShare` went to the treasury.
    event FeesDistributed(uint256 poolShare, uint256 treasuryShare);
    /// @notice The protocol shares are now `poolBps` and `treasuryBps` of each settled price.
    event FeesSet(uint256 poolBps, uint256 treasuryBps);

    // ---------------------------------------------------------------- credit

    /// @notice Move `amount` REX from the caller into its credit (approve first).
    /// @param amount REX wei, > 0.
    function deposit(uint256 amount) external;

    /// @notice `deposit` with an ERC-2612 permit instead of an approval.
    /// @param amount REX wei, > 0.
    /// @param deadline Permit deadline.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Send `amount` of the caller's unused credit to the caller.
    /// @param amount REX wei, 0 < amount <= credit.
    function withdrawCredit(uint256 amount) external;

    // ---------------------------------------------------------------- listings

    /// @notice List an agent: the caller owns it; its first version is `specHash`.
    /// @param specHash Hash of the spec's canonical form, non-zero, never listed before.
    /// @param operator Address that runs the agent and settles its jobs.
    /// @param price Price per use, REX wei, <= `MAX_PRICE`.
    /// @return listingId The new listing's id (from 1).
    function list(bytes32 specHash, address operator, uint96 price) external returns (uint256 listingId);

    /// @notice Owner only: append version `specHash`; earlier versions stay readable and usable.
    /// @param listingId The listing.
    /// @param specHash Hash of the new spec's canonical form, non-zero, never listed before.
    /// @return index The new version's index.
    function addVersion(uint256 listingId, bytes32 specHash) external returns (uint256 index);

    /// @notice Owner only: set the price per use (jobs already open keep their maximum).
    /// @param listingId The listing.
    /// @param price REX wei, <= `MAX_PRICE`.
    function setPrice(uint256 listingId, uint96 price) external;

    /// @notice Owner only: set the operator that settles jobs (also those already open).
    /// @param listingId The listing.
    /// @param operator Non-zero address.
    function setOperator(uint256 listingId, address operator) external;

    /// @notice Owner only: open (`listed` true) or close (false) the listing to new jobs.
    /// Open jobs settle and refund as before either way.
    /// @param listingId The listing.
    /// @param listed The new state.
    function setListed(uint256 listingId, bool listed) external;

    /// @notice Owner only: hand the listing to `newOwner`; the unclaimed developer share
    /// goes to the caller's credit first.
    /// @param listingId The listing.
    /// @param newOwner Non-zero address.
    function transferListing(uint256 listingId, address newOwner) external;

    // ---------------------------------------------------------------- jobs

    /// @notice Open a job on version `specHash`: `maxPrice` of the caller's credit is held
    /// until the operator settles or the job expires.
    /// @param specHash The version.
    /// @param maxPrice Most the buyer pays, REX wei, >= the price per use.
    /// @param expiry Last second the operator may settle, in (now, now + MAX_JOB_DURATION].
    /// @return jobId `listingId << 64 | versionIndex << 32 | jobNumber` (job numbers from 1,
    /// at most 2^32 - 1 per version).
    function openJob(bytes32 specHash, uint96 maxPrice, uint40 expiry) external returns (uint256 jobId);

    /// @notice Operator only (the listing's operator now), until the expiry inclusive: settle
    /// job `jobId` for `price`; the shares are those in force now; the rest of
    /// the held amount returns to the buyer's credit and `price` is split.
    /// @param jobId The job.
    /// @param price REX wei, <= the job's maximum.
    /// @param responseHash Hash of the agent's response.
    function settle(uint256 jobId, uint96 price, bytes32 responseHash) external;

    /// @notice Anyone, after the expiry of an unsettled job: return its held amount to the
    /// buyer's credit. Nothing can pause or block it.
    /// @param jobId The job.
    function refund(uint256 jobId) external;

    /// @notice The buyer of a settled, paid job rates its version once, `score` in 1..5,
    /// weighted by the price paid; the listing's owner and operator cannot rate.
    /// @param jobId The job.
    /// @param score 1 (worst) to 5 (best).
    function rate(uint256 jobId, uint8 score) external;

    // ---------------------------------------------------------------- payouts

    /// @notice Pay the listing's owner its accrued developer share in REX (anyone may call;
    /// the owner is always the one paid).
    /// @param listingId The listing.
    /// @return amount REX wei paid.
    function claim(uint256 listingId) external returns (uint256 amount);

    /// @notice Anyone: send the accrued pool share to `StakedRex.fund` and the treasury
    /// share to the treasury.
    function distributeFees() external;

    /// @notice Market owner only: set the protocol shares within the fixed bounds.
    /// @param poolBps Share for the sREX reward pool, <= `MAX_POOL_BPS`.
    /// @param treasuryBps Share for the treasury, <= `MAX_TREASURY_BPS`.
    function setFees(uint16 poolBps, uint16 treasuryBps) external;

    // ---------------------------------------------------------------- views

    /// @notice REX credit of `account` (not held by open jobs).
    /// @param account The account.
    /// @return REX wei.
    function creditOf(address account) external view returns (uint256);

    /// @notice Listing `listingId` (all zero when unknown).
    /// @param listingId The listing.
    /// @return The listing, with its cumulative settled value (the distribution hook).
    function listingOf(uint256 listingId) external view returns (Listing memory);

    /// @notice Spec hash of version `index` of `listingId` (zero when unknown).
    /// @param listingId The listing.
    /// @param index The version's index, from 0.
    /// @return The spec hash.
    function specAt(uint256 listingId, uint256 index) external view returns (bytes32);

    /// @notice Running totals of version `specHash` (all zero when unknown).
    /// @param specHash The version.
    /// @return The version's listing, index and totals.
    function versionOf(bytes32 specHash) external view returns (Version memory);

    /// @notice Job `jobId` (all zero when unknown).
    /// @param jobId The job.
    /// @return The job.
    function jobOf(uint256 jobId) external view returns (Job memory);

    /// @notice Number of listings ever made.
    /// @return Listings are numbered 1 to this.
    function listingCount() external view returns (uint256);

    /// @notice The protocol shares and what has accrued to them, undistributed.
    /// @return poolBps Share of each settled price for the sREX reward pool.
    /// @return treasuryBps Share of each settled price for the treasury.
    /// @return poolDue REX wei owed to the pool.
    /// @return treasuryDue REX wei owed to the treasury.
    function fees() external view returns (uint256 poolBps, uint256 treasuryBps, uint256 poolDue, uint256 treasuryDue);
}
