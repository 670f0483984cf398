// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Stake-weighted sampling tree
/// @notice A Fenwick (binary indexed) tree over member weights: append, change a
/// weight and draw a member with probability proportional to its weight, each in
/// O(log n) storage reads and writes. Members are 1-based and never removed (a
/// member leaves by taking weight 0). Each member carries a 96-bit tag (the provider's
/// price) in the same slot as its address, so a draw returns both for one read.
library StakeTree {
    struct Member {
        address account;
        uint96 tag;
    }

    struct Tree {
        uint128 total;
        uint64 size;
        uint64 top; // highest power of two <= size
        mapping(uint256 => uint256) nodes;
        mapping(uint256 => Member) members;
    }

    /// @dev Append `member` with `tag` and `weight`; return its 1-based index.
    function append(Tree storage t, address member, uint96 tag, uint256 weight) internal returns (uint256 index) {
        index = uint256(t.size) + 1;
        uint256 node = weight;
        uint256 low = index & (~index + 1);
        // A new node covers (index - low, index]: its own weight plus the nodes below it.
        for (uint256 j = index - 1; j > index - low; j -= j & (~j + 1)) {
            node += t.nodes[j];
        }
        t.nodes[index] = node;
        t.members[index] = Member(member, tag);
        t.size = uint64(index);
        if (index >= uint256(t.top) * 2 || t.top == 0) t.top = uint64(t.top == 0 ? 1 : uint256(t.top) * 2);
        t.total += uint128(weight);
    }

    /// @dev Set member `index`'s tag.
    function setTag(Tree storage t, uint256 index, uint96 tag) internal {
        t.members[index].tag = tag;
    }

    /// @dev Raise member `index`'s weight by `delta`.
    function increase(Tree storage t, uint256 index, uint256 delta) internal {
        uint256 size = t.size;
        for (uint256 i = index; i <= size; i += i & (~i + 1)) {
            t.nodes[i] += delta;
        }
        t.total += uint128(delta);
    }

    /// @dev Lower member `index`'s weight by `delta` (at most its weight).
    function decrease(Tree storage t, uint256 index, uint256 delta) internal {
        uint256 size = t.size;
        for (uint256 i = index; i <= size; i += i & (~i + 1)) {
            t.nodes[i] -= delta;
        }
        t.total -= uint128(delta);
    }

    /// @dev The member whose cumulative weight range holds `seed % total`, and its tag;
    /// zeros when total is 0.
    function draw(Tree storage t, uint256 seed) internal view returns (address, uint96) {
        uint256 total = t.total;
        if (total == 0) return (address(0), 0);
        Member storage m = t.members[_find(t, seed % total)];
        return (m.account, m.tag);
    }

    /// @dev Draw without the members at `skip[0..n)` (distinct 1-based indices of weight
    /// `skipWeight[j]` each): every other member with probability weight / (total - skipped).
    /// Returns the 1-based index, 0 when no weight is left.
    /// @dev With `r` uniform below the remaining weight, the answer is the first member
    /// whose prefix sum minus the skipped weight at or before it exceeds `r`. Searching
    /// for `r + (skipped weight at or before the last answer)` only moves forward and
    /// stops there, after at most `n + 1` searches.
    function drawExcluding(
        Tree storage t,
        uint256 seed,
        uint256[] memory skip,
        uint256[] memory skipWeight,
        uint256 n
    ) internal view returns (uint256 index) {
        uint256 skipped;
        for (uint256 j; j < n; ++j) {
            skipped += skipWeight[j];
        }
        uint256 left = t.total - skipped;
        if (left == 0) return 0;
        uint256 rest = seed % left;
        index = _find(t, rest);
        while (true) {
            uint256 shift;
            for (uint256 j; j < n; ++j) {
                if (skip[j] <= index) shift += skipWeight[j];
            }
            uint256 next = _find(t, rest + shift);
            if (next == index) return index;
            index = next;
        }
    }

    /// @dev Member `index`'s account.
    function accountAt(Tree storage t, uint256 index) internal view returns (address) {
        return t.members[index].account;
    }

    /// @dev The 1-based index of the first member whose prefix sum exceeds `rest` (< total).
    function _find(Tree storage t, uint256 rest) private view returns (uint256) {
        uint256 size = t.size;
        uint256 pos;
        for (uint256 step = t.top; step > 0; step >>= 1) {
            uint256 next = pos + step;
            if (next <= size) {
                uint256 node = t.nodes[next];
                if (node <= rest) {
                    pos = next;
                    rest -= node;
                }
            }
        }
        return pos + 1;
    }
}
