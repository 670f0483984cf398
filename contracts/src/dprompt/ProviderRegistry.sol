// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {StakeTree} from "./StakeTree.sol";

/// @title DPrompt provider registry
/// @notice Providers bond REX to serve models. Per model, a Fenwick tree over the
/// bonded stakes of active providers (bonded >= `minStake`) makes stake-weighted
/// sampling O(log n). Only the request book may slash or touch reputation.
contract ProviderRegistry is IProviderRegistry, Ownable {
    using SafeERC20 for IERC20;
    using StakeTree for StakeTree.Tree;

    /// @notice The REX token staked here.
    IERC20 public immutable rex;
    /// @notice The model registry.
    IModelRegistry public immutable models;
    /// @notice Bonded stake below which a provider is inactive.
    uint96 public immutable minStake;
    /// @notice Seconds between `requestWithdrawal` and `withdraw`.
    uint64 public immutable unbondingPeriod;
    /// @notice The only address that may slash and record reputation.
    address public requestBook;

    mapping(address => Stake) private _stakes;
    mapping(address => Info) private _infos;
    mapping(address => bytes32[]) private _modelsOf;
    mapping(bytes32 => StakeTree.Tree) private _trees;
    mapping(bytes32 => mapping(address => uint256)) private _indexOf;

    modifier onlyRequestBook() {
        require(msg.sender == requestBook, "ProviderRegistry: NOT_REQUEST_BOOK");
        _;
    }

    /// @notice Deploy the registry.
    /// @param rex_ The REX token (must offer `burn`).
    /// @param models_ The model registry.
    /// @param owner_ May set the request book once.
    /// @param minStake_ Minimum bonded stake of an active provider, > 0.
    /// @param unbondingPeriod_ Unbonding delay in seconds.
    constructor(address rex_, address models_, address owner_, uint96 minStake_, uint64 unbondingPeriod_)
        Ownable(owner_)
    {
        require(rex_ != address(0) && models_ != address(0), "ProviderRegistry: ZERO_ADDRESS");
        require(minStake_ > 0, "ProviderRegistry: STAKE_TOO_LOW");
        rex = IERC20(rex_);
        models = IModelRegistry(models_);
        minStake = minStake_;
        unbondingPeriod = unbondingPeriod_;
    }

    // ---------------------------------------------------------------- providers

    /// @inheritdoc IProviderRegistry
    function register(bytes32[] calldata modelIds, uint96 price, uint96 stake) external {
        Info storage info = _infos[msg.sender];
        require(!info.registered, "ProviderRegistry: ALREADY_REGISTERED");
        require(stake >= minStake, "ProviderRegistry: STAKE_TOO_LOW");
        require(modelIds.length > 0, "ProviderRegistry: NO_MODELS");
        info.registered = true;
        info.price = price;
        _stakes[msg.sender].bonded = stake;
        for (uint256 i; i < modelIds.length; ++i) {
            bytes32 id = modelIds[i];
            require(models.model(id).active, "ProviderRegistry: UNKNOWN_MODEL");
            require(_indexOf[id][msg.sender] == 0, "ProviderRegistry: DUPLICATE_MODEL");
            _indexOf[id][msg.sender] = _trees[id].append(msg.sender, price, stake);
            _modelsOf[msg.sender].push(id);
        }
        rex.safeTransferFrom(msg.sender, address(this), stake);
        emit Registered(msg.sender, modelIds, price, stake);
    }

    /// @inheritdoc IProviderRegistry
    function addStake(uint96 amount) external {
        require(_infos[msg.sender].registered, "ProviderRegistry: NOT_REGISTERED");
        require(amount > 0, "ProviderRegistry: ZERO_AMOUNT");
        Stake storage s = _stakes[msg.sender];
        _setBonded(msg.sender, s, s.bonded + amount);
        rex.safeTransferFrom(msg.sender, address(this), amount);
        emit StakeChanged(msg.sender, s.bonded, s.unbonding, s.unbondingReady);
    }

    /// @inheritdoc IProviderRegistry
    function requestWithdrawal(uint96 amount) external {
        require(amount > 0, "ProviderRegistry: ZERO_AMOUNT");
        Stake storage s = _stakes[msg.sender];
        require(amount <= s.bonded, "ProviderRegistry: INSUFFICIENT_STAKE");
        _setBonded(msg.sender, s, s.bonded - amount);
        s.unbonding += amount;
        s.unbondingReady = uint64(block.timestamp + unbondingPeriod);
        emit StakeChanged(msg.sender, s.bonded, s.unbonding, s.unbondingReady);
    }

    /// @inheritdoc IProviderRegistry
    function withdraw() external {
        Stake storage s = _stakes[msg.sender];
        uint256 amount = s.unbonding;
        require(amount > 0, "ProviderRegistry: NOTHING_TO_WITHDRAW");
        require(block.timestamp >= s.unbondingReady, "ProviderRegistry: UNBONDING");
        s.unbonding = 0;
        rex.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    /// @inheritdoc IProviderRegistry
    function setPrice(uint96 price) external {
        Info storage info = _infos[msg.sender];
        require(info.registered, "ProviderRegistry: NOT_REGISTERED");
        info.price = price;
        bytes32[] storage ids = _modelsOf[msg.sender];
        for (uint256 i; i < ids.length; ++i) {
            _trees[ids[i]].setTag(_indexOf[ids[i]][msg.sender], price);
        }
        emit PriceSet(msg.sender, price);
    }

    // ---------------------------------------------------------------- request book

    /// @inheritdoc IProviderRegistry
    function setRequestBook(address book) external onlyOwner {
        require(requestBook == address(0), "ProviderRegistry: BOOK_SET");
        require(book != address(0), "ProviderRegistry: ZERO_ADDRESS");
        requestBook = book;
        emit RequestBookSet(book);
    }

    /// @inheritdoc IProviderRegistry
    function slash(address provider, uint256 amount, address to)
        external
        onlyRequestBook
        returns (uint256 taken)
    {
        Stake storage s = _stakes[provider];
        uint256 bonded = s.bonded;
        uint256 fromBonded = amount < bonded ? amount : bonded;
        uint256 fromUnbonding = amount - fromBonded;
        if (fromUnbonding > s.unbonding) fromUnbonding = s.unbonding;
        taken = fromBonded + fromUnbonding;
        if (fromBonded != 0) _setBonded(provider, s, uint96(bonded - fromBonded));
        // fromUnbonding <= s.unbonding, a uint96.
        if (fromUnbonding != 0) s.unbonding -= uint96(fromUnbonding);
        _infos[provider].slashed += 1;
        uint256 toRecipient = taken / 2;
        if (toRecipient != 0) rex.safeTransfer(to, toRecipient);
        if (taken - toRecipient != 0) ERC20Burnable(address(rex)).burn(taken - toRecipient);
        emit Slashed(provider, taken, to, toRecipient);
        emit StakeChanged(provider, s.bonded, s.unbonding, s.unbondingReady);
    }

    /// @inheritdoc IProviderRegistry
    function recordAnswered(address provider) external onlyRequestBook {
        _infos[provider].answered += 1;
    }

    /// @inheritdoc IProviderRegistry
    function recordTimedOut(address provider) external onlyRequestBook {
        _infos[provider].timedOut += 1;
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IProviderRegistry
    function sample(bytes32 modelId, uint256 seed) external view returns (address provider) {
        (provider,) = _trees[modelId].draw(seed);
    }

    /// @inheritdoc IProviderRegistry
    function quote(bytes32 modelId, uint256 seed) external view returns (address provider, uint96 price) {
        return _trees[modelId].draw(seed);
    }

    /// @inheritdoc IProviderRegistry
    function drawCommittee(bytes32 modelId, uint256 seed, uint256 k, address[] calldata excluded)
        external
        view
        returns (address[] memory committee)
    {
        StakeTree.Tree storage t = _trees[modelId];
        uint256[] memory skip = new uint256[](excluded.length + k);
        uint256[] memory skipWeight = new uint256[](excluded.length + k);
        uint256 n;
        for (uint256 i; i < excluded.length; ++i) {
            uint256 index = _indexOf[modelId][excluded[i]];
            uint256 weight = _weight(excluded[i]);
            if (index == 0 || weight == 0) continue;
            bool seen;
            for (uint256 j; j < n; ++j) {
                if (skip[j] == index) seen = true;
            }
            if (seen) continue;
            (skip[n], skipWeight[n]) = (index, weight);
            ++n;
        }
        committee = new address[](k);
        for (uint256 i; i < k; ++i) {
            uint256 index = t.drawExcluding(uint256(keccak256(abi.encode(seed, i))), skip, skipWeight, n);
            if (index == 0) {
                assembly ("memory-safe") {
                    mstore(committee, i) // fewer than k active providers left: return those found
                }
                return committee;
            }
            address member = t.accountAt(index);
            committee[i] = member;
            (skip[n], skipWeight[n]) = (index, _weight(member));
            ++n;
        }
    }

    /// @inheritdoc IProviderRegistry
    function isActive(address provider, bytes32 modelId) external view returns (bool) {
        return _indexOf[modelId][provider] != 0 && _stakes[provider].bonded >= minStake;
    }

    /// @inheritdoc IProviderRegistry
    function infoOf(address provider) external view returns (Info memory) {
        return _infos[provider];
    }

    /// @inheritdoc IProviderRegistry
    function stakeOf(address provider) external view returns (Stake memory) {
        return _stakes[provider];
    }

    /// @inheritdoc IProviderRegistry
    function modelsOf(address provider) external view returns (bytes32[] memory) {
        return _modelsOf[provider];
    }

    /// @inheritdoc IProviderRegistry
    function totalWeight(bytes32 modelId) external view returns (uint256) {
        return _trees[modelId].total;
    }

    // ---------------------------------------------------------------- internals

    /// @dev A provider's sampling weight: its bonded stake when at least `minStake`, else 0.
    function _weight(address provider) private view returns (uint256) {
        uint256 bonded = _stakes[provider].bonded;
        return bonded >= minStake ? bonded : 0;
    }

    /// @dev Set the bonded stake and move the provider's sampling weight in every
    /// model tree: weight = bonded when bonded >= minStake, else 0.
    function _setBonded(address provider, Stake storage s, uint96 bonded) private {
        uint256 oldWeight = s.bonded >= minStake ? s.bonded : 0;
        uint256 newWeight = bonded >= minStake ? bonded : 0;
        s.bonded = bonded;
        if (oldWeight == newWeight) return;
        bytes32[] storage ids = _modelsOf[provider];
        for (uint256 i; i < ids.length; ++i) {
            bytes32 id = ids[i];
            if (newWeight > oldWeight) _trees[id].increase(_indexOf[id][provider], newWeight - oldWeight);
            else _trees[id].decrease(_indexOf[id][provider], oldWeight - newWeight);
        }
    }
}
