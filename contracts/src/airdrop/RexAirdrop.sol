// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IStakedRex} from "../interfaces/IStakedRex.sol";

/// @title REX airdrop distributor
/// @notice Pays the allocations of one fixed Merkle root: each leaf is
/// `(uint256 index, address account, uint256 amount)` hashed as OpenZeppelin's
/// `StandardMerkleTree` hashes it, so the tree, its proofs and its dump come from the npm
/// package or from `rexos.airdrop.merkle` alike. An allocation is claimed once (a bit per
/// index): by the account itself, to itself, or by anyone else to the address the account
/// bound (by a call or by its EIP-712 signature: an exchange deposit address, another
/// wallet); the account itself may instead claim and stake it into sREX in one transaction. After the deadline
/// anyone may sweep what is left to the treasury; no claim is possible then.
/// @dev Root, token, staking, deadline and treasury are immutable: there is no owner and
/// no pause. The contract holds exactly the unclaimed allocations (it is funded with their
/// sum after deployment); a claim moves tokens only out of it.
contract RexAirdrop is EIP712 {
    using SafeERC20 for IERC20;

    /// @notice EIP-712 type of a binding: `account` sends its allocation to `to`.
    bytes32 public constant BIND_TYPEHASH =
        keccak256("Bind(address account,address to,uint256 nonce,uint256 deadline)");

    /// @notice The REX token paid out.
    IERC20 public immutable rex;
    /// @notice The sREX staking contract claim-and-stake stakes into.
    IStakedRex public immutable staked;
    /// @notice The root of the allocations' tree.
    bytes32 public immutable merkleRoot;
    /// @notice Last second a claim is possible; sweeping opens after it.
    uint64 public immutable deadline;
    /// @notice Receives what is left after the deadline.
    address public immutable treasury;

    /// @notice One leaf and its proof, for `claimMany`.
    struct Claim {
        uint256 index;
        address account;
        uint256 amount;
        bytes32[] proof;
    }

    mapping(uint256 word => uint256 bits) private _claimed;

    /// @notice Where an account's allocation is delivered (zero: to the account).
    mapping(address account => address to) public deliveryOf;
    /// @notice The next binding nonce of an account (a signature is good once).
    mapping(address account => uint256) public bindNonce;

    /// @notice Allocation `index` of `account` paid: `amount` to `to`, or staked for the account.
    event Claimed(uint256 indexed index, address indexed account, address indexed to, uint256 amount, bool staked);
    /// @notice `account` now has its allocation delivered to `to`.
    event Bound(address indexed account, address indexed to, uint256 nonce);
    /// @notice After the deadline, `amount` left went to the treasury.
    event Swept(address indexed treasury, uint256 amount);

    /// @notice Deploy a distributor for one tree.
    /// @param rex_ The REX token.
    /// @param staked_ sREX (this contract must be allowed as its depositor for claim-and-stake).
    /// @param merkleRoot_ The allocations' root, non-zero.
    /// @param deadline_ Last second of the claim window, in the future.
    /// @param treasury_ Receives the unclaimed, non-zero.
    constructor(address rex_, address staked_, bytes32 merkleRoot_, uint64 deadline_, address treasury_)
        EIP712("RexAirdrop", "1")
    {
        require(rex_ != address(0) && staked_ != address(0) && treasury_ != address(0), "RexAirdrop: ZERO_ADDRESS");
        require(merkleRoot_ != bytes32(0), "RexAirdrop: ZERO_ROOT");
        require(deadline_ > block.timestamp, "RexAirdrop: DEADLINE_PASSED");
        rex = IERC20(rex_);
        staked = IStakedRex(staked_);
        merkleRoot = merkleRoot_;
        deadline = deadline_;
        treasury = treasury_;
        // sREX pulls each claim-and-stake with transferFrom; an unlimited allowance is never
        // decreased, so no claim pays to write it. sREX only pulls what stakeFor names, and
        // only this contract calls stakeFor for this contract's tokens.
        IERC20(rex_).forceApprove(staked_, type(uint256).max);
    }

    // ---------------------------------------------------------------- claims

    /// @notice Pay allocation `index` of `account`. Sent by the account itself, it pays the
    /// account; sent by anyone else (a relayer, an exchange), it pays the address the
    /// account bound, or the account when it bound none: the tokens only ever go where the
    /// account said.
    /// @param index The leaf's index.
    /// @param account The leaf's account.
    /// @param amount The leaf's amount, REX wei.
    /// @param proof The leaf's proof.
    function claim(uint256 index, address account, uint256 amount, bytes32[] calldata proof) external {
        _use(index, account, amount, proof);
        address to = _payee(account);
        rex.safeTransfer(to, amount);
        emit Claimed(index, account, to, amount, false);
    }

    /// @notice Pay many allocations in one transaction, each as `claim` pays it (a relayer,
    /// an exchange or a project sending its users' claims together shares the transaction's
    /// base cost and the distributor's warm storage among them). All or none: one bad leaf
    /// reverts the batch.
    /// @param claims The leaves and their proofs.
    function claimMany(Claim[] calldata claims) external {
        for (uint256 i; i < claims.length; ++i) {
            Claim calldata c = claims[i];
            _use(c.index, c.account, c.amount, c.proof);
            address to = _payee(c.account);
            rex.safeTransfer(to, c.amount);
            emit Claimed(c.index, c.account, to, c.amount, false);
        }
    }

    /// @notice Claim the caller's allocation `index` and stake it into sREX for the caller.
    /// @param index The leaf's index.
    /// @param amount The leaf's amount, REX wei, > 0.
    /// @param proof The leaf's proof.
    function claimAndStake(uint256 index, uint256 amount, bytes32[] calldata proof) external {
        _use(index, msg.sender, amount, proof);
        staked.stakeFor(msg.sender, amount);
        emit Claimed(index, msg.sender, msg.sender, amount, true);
    }

    /// @notice Whether allocation `index` was claimed.
    /// @param index The leaf's index.
    /// @return True once claimed.
    function isClaimed(uint256 index) public view returns (bool) {
        return _claimed[index >> 8] & (1 << (index & 0xff)) != 0;
    }

    /// @dev Who a claim of `account`'s pays: the account when it sends the claim itself,
    /// else the address it bound (the account when none).
    function _payee(address account) private view returns (address) {
        if (msg.sender == account) return account;
        address bound = deliveryOf[account];
        return bound == address(0) ? account : bound;
    }

    /// @dev Check the deadline and the proof, and mark `index` claimed.
    function _use(uint256 index, address account, uint256 amount, bytes32[] calldata proof) private {
        require(block.timestamp <= deadline, "RexAirdrop: CLAIM_CLOSED");
        uint256 word = index >> 8;
        uint256 bit = 1 << (index & 0xff);
        uint256 bits = _claimed[word];
        require(bits & bit == 0, "RexAirdrop: ALREADY_CLAIMED");
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
        require(MerkleProof.verifyCalldata(proof, merkleRoot, leaf), "RexAirdrop: BAD_PROOF");
        _claimed[word] = bits | bit;
    }

    // ---------------------------------------------------------------- delivery

    /// @notice Deliver the caller's allocation to `to` (zero or the caller: to itself).
    /// @param to The receiving address.
    function bind(address to) external {
        _bind(msg.sender, to);
    }

    /// @notice Deliver `account`'s allocation to `to`, on the account's EIP-712 signature
    /// of `Bind(account, to, nonce, deadline)` (ERC-1271 for contract accounts); anyone may
    /// submit it, once, before its deadline.
    /// @param account The signing account.
    /// @param to The receiving address.
    /// @param signatureDeadline Last second the signature is good.
    /// @param signature The account's signature.
    function bindBySig(address account, address to, uint256 signatureDeadline, bytes calldata signature) external {
        require(block.timestamp <= signatureDeadline, "RexAirdrop: SIGNATURE_EXPIRED");
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(BIND_TYPEHASH, account, to, bindNonce[account], signatureDeadline))
        );
        require(SignatureChecker.isValidSignatureNow(account, digest, signature), "RexAirdrop: BAD_SIGNATURE");
        _bind(account, to);
    }

    /// @dev Record the binding and spend the account's nonce.
    function _bind(address account, address to) private {
        if (to == account) to = address(0);
        require(to != address(this), "RexAirdrop: BAD_RECIPIENT");
        uint256 nonce = bindNonce[account]++;
        deliveryOf[account] = to;
        emit Bound(account, to == address(0) ? account : to, nonce);
    }

    // ---------------------------------------------------------------- sweep

    /// @notice After the deadline, send everything left to the treasury (anyone may call).
    function sweep() external {
        require(block.timestamp > deadline, "RexAirdrop: CLAIM_OPEN");
        uint256 left = rex.balanceOf(address(this));
        rex.safeTransfer(treasury, left);
        emit Swept(treasury, left);
    }
}
