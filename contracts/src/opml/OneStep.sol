// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title One step of the opML integer VM
/// @notice Memory is `2^memDepth` 256-bit words committed as a binary keccak Merkle tree
/// (leaf = the word, node = keccak256(left ‖ right)). An instruction word is
/// `op (byte 0) ‖ a (byte 1) ‖ b (byte 2) ‖ c (byte 3) ‖ … ‖ imm (low 16 bytes, int128)`;
/// it reads `x = mem[b]`, `y = mem[c]` and writes `mem[a]` (addresses modulo
/// `2^memDepth`). Arithmetic wraps modulo 2^256; comparisons are signed (int256).
library OneStep {
    uint256 internal constant INPUT = 0; // prompt[imm], 0 past the end
    uint256 internal constant CONST = 1; // imm
    uint256 internal constant ADDI = 2; // x + imm
    uint256 internal constant MAC = 3; // x + y * imm
    uint256 internal constant ADD = 4; // x + y
    uint256 internal constant MUL = 5; // x * y
    uint256 internal constant SAR = 6; // x >> (imm & 255), arithmetic
    uint256 internal constant RELU = 7; // max(x, 0)
    uint256 internal constant MAX = 8; // max(x, y)
    uint256 internal constant TAG = 9; // (x << 8) | (imm & 255)
    uint256 internal constant AND = 10; // x & imm
    // any other op leaves memory unchanged

    /// @dev The root of the tree in which `leaf` sits at `index` with siblings `path`
    /// (leaf level first); reverts `BAD_PROOF` unless the path has `depth` entries.
    function climb(bytes32 leaf, uint256 index, bytes32[] calldata path, uint256 depth)
        internal
        pure
        returns (bytes32 node)
    {
        require(path.length == depth, "OpmlGame: BAD_PROOF");
        node = leaf;
        for (uint256 i; i < depth; ++i) {
            bytes32 sibling = path[i];
            assembly ("memory-safe") {
                switch and(shr(i, index), 1)
                case 0 {
                    mstore(0x00, node)
                    mstore(0x20, sibling)
                }
                default {
                    mstore(0x00, sibling)
                    mstore(0x20, node)
                }
                node := keccak256(0x00, 0x40)
            }
        }
    }

    /// @dev The word instruction `word` writes, given the words it reads (`x`, `y`) and
    /// the one it replaces (`old`).
    function apply_(uint256 word, uint256 x, uint256 y, uint256 old, bytes calldata prompt)
        internal
        pure
        returns (uint256)
    {
        uint256 op = word >> 248;
        int256 imm = int256(int128(uint128(word)));
        unchecked {
            if (op == INPUT) return imm >= 0 && uint256(imm) < prompt.length ? uint8(prompt[uint256(imm)]) : 0;
            if (op == CONST) return uint256(imm);
            if (op == ADDI) return x + uint256(imm);
            if (op == MAC) return x + y * uint256(imm);
            if (op == ADD) return x + y;
            if (op == MUL) return x * y;
            if (op == SAR) return uint256(int256(x) >> (uint256(imm) & 255));
            if (op == RELU) return int256(x) > 0 ? x : 0;
            if (op == MAX) return int256(x) >= int256(y) ? x : y;
            if (op == TAG) return (x << 8) | (uint256(imm) & 255);
            if (op == AND) return x & uint256(imm);
            return old;
        }
    }
}
