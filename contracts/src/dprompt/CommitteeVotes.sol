// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {IRequestBook} from "./interfaces/IRequestBook.sol";

/// @title Committee commit-reveal for DPrompt disputes
/// @notice Draws a committee of staked providers for a challenged request, collects
/// hidden votes (`commit`), opens them (`reveal`), finds the strict majority of the
/// revealed output hashes and penalises members who did not reveal.
abstract contract CommitteeVotes is IRequestBook {
    struct Vote {
        bytes32 commitment;
        bytes32 output;
    }

    uint8 internal immutable _committeeSize;
    uint32 internal immutable _commitPeriod;
    uint32 internal immutable _revealPeriod;
    uint96 internal immutable _noRevealPenalty;

    mapping(uint256 => Dispute) internal _disputes;
    mapping(uint256 => address[]) private _committees;
    mapping(uint256 => mapping(address => Vote)) private _votes;

    constructor(uint8 committeeSize, uint32 commitPeriod, uint32 revealPeriod, uint96 noRevealPenalty) {
        _committeeSize = committeeSize;
        _commitPeriod = commitPeriod;
        _revealPeriod = revealPeriod;
        _noRevealPenalty = noRevealPenalty;
    }

    /// @inheritdoc IRequestBook
    function commit(uint256 id, bytes32 commitment) external {
        Dispute storage d = _disputes[id];
        require(d.challenger != address(0), "RequestBook: NOT_CHALLENGED");
        require(block.timestamp <= d.commitEnd, "RequestBook: COMMIT_CLOSED");
        require(_isMember(id, msg.sender), "RequestBook: NOT_MEMBER");
        Vote storage v = _votes[id][msg.sender];
        require(v.commitment == bytes32(0), "RequestBook: ALREADY_COMMITTED");
        v.commitment = commitment;
        emit Committed(id, msg.sender);
    }

    /// @inheritdoc IRequestBook
    function reveal(uint256 id, bytes32 outputHash, bytes32 salt) external {
        Dispute storage d = _disputes[id];
        require(block.timestamp > d.commitEnd, "RequestBook: COMMIT_PHASE");
        require(block.timestamp <= d.revealEnd, "RequestBook: REVEAL_CLOSED");
        require(outputHash != bytes32(0), "RequestBook: ZERO_VOTE");
        Vote storage v = _votes[id][msg.sender];
        require(v.commitment != bytes32(0), "RequestBook: NOT_COMMITTED");
        require(v.output == bytes32(0), "RequestBook: ALREADY_REVEALED");
        require(keccak256(abi.encode(outputHash, salt, msg.sender)) == v.commitment, "RequestBook: BAD_REVEAL");
        v.output = outputHash;
        emit Revealed(id, msg.sender, outputHash);
    }

    /// @inheritdoc IRequestBook
    function disputeOf(uint256 id) external view returns (Dispute memory) {
        return _disputes[id];
    }

    /// @inheritdoc IRequestBook
    function committeeOf(uint256 id) external view returns (address[] memory) {
        return _committees[id];
    }

    /// @dev `_committeeSize` distinct active providers of `modelId`, none of them
    /// `responder` or `challenger`, drawn by stake without replacement.
    function _drawCommittee(uint256 id, bytes32 modelId, address responder, address challenger)
        internal
        view
        returns (address[] memory committee)
    {
        address[] memory excluded = new address[](2);
        (excluded[0], excluded[1]) = (responder, challenger);
        uint256 seed = uint256(keccak256(abi.encode(blockhash(block.number - 1), id)));
        committee = _providers().drawCommittee(modelId, seed, _committeeSize, excluded);
        require(committee.length == _committeeSize, "RequestBook: NO_COMMITTEE");
    }

    function _openDispute(uint256 id, address challenger, uint96 bond, address[] memory committee)
        internal
        returns (Dispute memory d)
    {
        uint48 commitEnd = uint48(block.timestamp + _commitPeriod);
        d = Dispute(challenger, bond, commitEnd, commitEnd + _revealPeriod);
        _disputes[id] = d;
        _committees[id] = committee;
    }

    /// @dev The output hash revealed by more than half of the revealing members, or zero.
    function _tally(uint256 id) internal view returns (bytes32) {
        address[] storage committee = _committees[id];
        uint256 k = committee.length;
        bytes32[] memory outputs = new bytes32[](k);
        uint256 revealed;
        for (uint256 i; i < k; ++i) {
            bytes32 output = _votes[id][committee[i]].output;
            if (output != bytes32(0)) outputs[revealed++] = output;
        }
        for (uint256 i; i < revealed; ++i) {
            uint256 count;
            for (uint256 j; j < revealed; ++j) {
                if (outputs[j] == outputs[i]) ++count;
            }
            if (count * 2 > revealed) return outputs[i];
        }
        return bytes32(0);
    }

    /// @dev Slash every member that did not reveal `_noRevealPenalty`: half burned,
    /// half shared by the members who revealed `majority` (to the reward sink when none did).
    function _penaliseSilent(uint256 id, bytes32 majority) internal {
        address[] storage committee = _committees[id];
        uint256 k = committee.length;
        uint256 pool;
        uint256 winners;
        IProviderRegistry registry = _providers();
        for (uint256 i; i < k; ++i) {
            address member = committee[i];
            bytes32 output = _votes[id][member].output;
            if (output == bytes32(0)) {
                uint256 taken = registry.slash(member, _noRevealPenalty, address(this));
                pool += taken / 2;
                emit Penalised(id, member, taken);
            } else if (output == majority) {
                ++winners;
            }
        }
        if (pool == 0) return;
        uint256 share = winners == 0 ? 0 : pool / winners;
        for (uint256 i; i < k && share != 0; ++i) {
            address member = committee[i];
            if (_votes[id][member].output == majority) _reward(member, share);
        }
        if (pool > share * winners) _reward(_rewardSink(), pool - share * winners);
    }

    function _isMember(uint256 id, address account) private view returns (bool) {
        address[] storage committee = _committees[id];
        for (uint256 i; i < committee.length; ++i) {
            if (committee[i] == account) return true;
        }
        return false;
    }

    /// @dev Credit `amount` REX (already held by this contract) to `account`.
    function _reward(address account, uint256 amount) internal virtual;

    /// @dev Who gets penalty shares nobody earned.
    function _rewardSink() internal view virtual returns (address);

    /// @dev The provider registry.
    function _providers() internal view virtual returns (IProviderRegistry);
}
