// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title DPrompt provider registry interface
/// @notice Provider stakes per model, unbonding, reputation, stake-weighted sampling
/// and slashing (by the `RequestBook` only).
/// @dev Revert strings (prefix `ProviderRegistry: `): `STAKE_TOO_LOW`,
/// `ALREADY_REGISTERED`, `NOT_REGISTERED`, `NO_MODELS`, `UNKNOWN_MODEL`,
/// `DUPLICATE_MODEL`, `ZERO_AMOUNT`, `INSUFFICIENT_STAKE`, `UNBONDING`,
/// `NOTHING_TO_WITHDRAW`, `NOT_REQUEST_BOOK`, `BOOK_SET`, `ZERO_ADDRESS`.
interface IProviderRegistry {
    /// @notice Reputation counters and price of a provider.
    struct Info {
        uint96 price;
        uint32 answered;
        uint32 timedOut;
        uint32 slashed;
        bool registered;
    }

    /// @notice A provider's stake: bonded, unbonding and when the unbonding is free.
    struct Stake {
        uint96 bonded;
        uint96 unbonding;
        uint64 unbondingReady;
    }

    /// @notice `provider` registered for `modelIds` at `price` with `stake`.
    event Registered(address indexed provider, bytes32[] modelIds, uint96 price, uint256 stake);
    /// @notice `provider`'s bonded stake changed to `bonded`; `unbonding` is pending.
    event StakeChanged(address indexed provider, uint256 bonded, uint256 unbonding, uint256 unbondingReady);
    /// @notice `provider` withdrew `amount` of unbonded stake.
    event Withdrawn(address indexed provider, uint256 amount);
    /// @notice `provider` set its price to `price`.
    event PriceSet(address indexed provider, uint96 price);
    /// @notice `provider` lost `amount`: `toRecipient` went to `to`, the rest was burned.
    event Slashed(address indexed provider, uint256 amount, address indexed to, uint256 toRecipient);
    /// @notice The owner set the request book that may slash and record reputation.
    event RequestBookSet(address requestBook);

    /// @notice Register the caller for `modelIds` at `price`, staking `stake` REX (approve first).
    /// @param modelIds Active models to serve, no repeats, non-empty.
    /// @param price Fee in REX wei per request.
    /// @param stake REX wei to bond, >= `minStake`.
    function register(bytes32[] calldata modelIds, uint96 price, uint96 stake) external;

    /// @notice Bond `amount` more REX (approve first).
    /// @param amount REX wei, > 0.
    function addStake(uint96 amount) external;

    /// @notice Move `amount` of bonded stake to unbonding; the whole unbonding
    /// balance is ready `unbondingPeriod` from now. Unbonding stake stays slashable.
    /// @param amount REX wei, 0 < amount <= bonded stake.
    function requestWithdrawal(uint96 amount) external;

    /// @notice Withdraw the whole unbonding balance once it is ready.
    function withdraw() external;

    /// @notice Change the caller's price.
    /// @param price Fee in REX wei per request.
    function setPrice(uint96 price) external;

    /// @notice Name the request book (owner only, once).
    /// @param book The `RequestBook` address.
    function setRequestBook(address book) external;

    /// @notice Take up to `amount` from `provider` (bonded first, then unbonding);
    /// half goes to `to`, the rest is burned. Request book only.
    /// @param provider The provider to slash.
    /// @param amount REX wei to take (capped at what the provider has).
    /// @param to Receiver of half the slashed amount.
    /// @return taken REX wei actually taken.
    function slash(address provider, uint256 amount, address to) external returns (uint256 taken);

    /// @notice Count an answer accepted for `provider`. Request book only.
    /// @param provider The provider.
    function recordAnswered(address provider) external;

    /// @notice Count a missed deadline for `provider`. Request book only.
    /// @param provider The provider.
    function recordTimedOut(address provider) external;

    /// @notice A stake-weighted provider of `modelId` chosen by `seed`; zero when none is active.
    /// @param modelId The model.
    /// @param seed Any 256-bit value.
    /// @return provider The chosen provider.
    function sample(bytes32 modelId, uint256 seed) external view returns (address provider);

    /// @notice Draw `k` distinct active providers of `modelId` by stake, without replacement,
    /// none of them in `excluded`: each draw picks among the providers not yet drawn nor
    /// excluded with probability proportional to stake.
    /// @param modelId The model.
    /// @param seed Any 256-bit value; draw `i` uses `keccak256(abi.encode(seed, i))`.
    /// @param k Seats to fill.
    /// @param excluded Providers that may not sit (the parties of a dispute).
    /// @return committee The members in draw order; shorter than `k` when too few are active.
    function drawCommittee(bytes32 modelId, uint256 seed, uint256 k, address[] calldata excluded)
        external
        view
        returns (address[] memory committee);

    /// @notice `sample` and the chosen provider's price, in one call.
    /// @param modelId The model.
    /// @param seed Any 256-bit value.
    /// @return provider The chosen provider (zero when none is active).
    /// @return price Its price.
    function quote(bytes32 modelId, uint256 seed) external view returns (address provider, uint96 price);

    /// @notice Whether `provider` serves `modelId` with at least `minStake` bonded.
    /// @param provider The provider.
    /// @param modelId The model.
    /// @return True when it may be sampled, respond and sit on a committee.
    function isActive(address provider, bytes32 modelId) external view returns (bool);

    /// @notice Price and reputation counters of `provider`.
    /// @param provider The provider.
    /// @return The info record.
    function infoOf(address provider) external view returns (Info memory);

    /// @notice Stake record of `provider`.
    /// @param provider The provider.
    /// @return The stake record.
    function stakeOf(address provider) external view returns (Stake memory);

    /// @notice Models served by `provider`.
    /// @param provider The provider.
    /// @return The model identifiers.
    function modelsOf(address provider) external view returns (bytes32[] memory);

    /// @notice Sum of the sampling weights (active bonded stakes) of `modelId`.
    /// @param modelId The model.
    /// @return The total weight.
    function totalWeight(bytes32 modelId) external view returns (uint256);
}
