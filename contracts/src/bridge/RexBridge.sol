// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {BridgedToken} from "./BridgedToken.sol";

/// @title Rex lock-and-mint bridge
/// @notice One contract per chain. Sending a token that lives on this chain locks it in the
/// vault; sending a BridgedToken burns it. Relayers watch `Sent` events and, once `threshold`
/// of them have signed the transfer (EIP-712, domain of the destination bridge), anyone may
/// `deliver` it on the destination: the vault releases the original token on its home
/// chain, anywhere else the token's BridgedToken is minted. Each transfer is delivered at
/// most once, and a vault never releases more of a token than it has locked.
/// @dev Trust: the relayer set (an m-of-n committee) can mint or release up to what is
/// locked; users trust it as they would a multisig bridge.
contract RexBridge is Ownable, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice One transfer from `srcChainId` to `dstChainId`.
    /// @param srcChainId Chain the transfer was sent from.
    /// @param dstChainId Chain it is delivered to.
    /// @param nonce The source bridge's transfer counter.
    /// @param homeChainId Chain where the original token lives.
    /// @param homeToken The original token's address there.
    /// @param sender Who sent it.
    /// @param recipient Who receives it on the destination.
    /// @param amount Base units.
    struct Transfer {
        uint256 srcChainId;
        uint256 dstChainId;
        uint64 nonce;
        uint256 homeChainId;
        address homeToken;
        address sender;
        address recipient;
        uint256 amount;
    }

    bytes32 public constant TRANSFER_TYPEHASH = keccak256(
        "Transfer(uint256 srcChainId,uint256 dstChainId,uint64 nonce,uint256 homeChainId,"
        "address homeToken,address sender,address recipient,uint256 amount)"
    );

    /// @notice Transfers sent from this chain so far (the next nonce).
    uint64 public sentCount;
    /// @notice Signatures a delivery needs.
    uint256 public threshold;
    /// @notice Whether an address may sign deliveries.
    mapping(address => bool) public isRelayer;
    /// @notice Chains this bridge sends to and accepts transfers from.
    mapping(uint256 => bool) public isPeer;
    /// @notice Whether transfer `keccak256(abi.encode(srcChainId, nonce))` was delivered here.
    mapping(bytes32 => bool) public delivered;
    /// @notice Locked balance of each home token held by the vault.
    mapping(address => uint256) public locked;
    /// @notice BridgedToken on this chain for `keccak256(abi.encode(homeChainId, homeToken))`.
    mapping(bytes32 => address) public bridgedOf;
    /// @notice Whether a token is a BridgedToken this bridge created.
    mapping(address => bool) public isBridged;

    /// @notice A transfer left this chain.
    event Sent(
        uint64 indexed nonce,
        uint256 indexed dstChainId,
        address indexed sender,
        address recipient,
        uint256 homeChainId,
        address homeToken,
        uint256 amount
    );
    /// @notice A transfer arrived on this chain.
    event Delivered(
        uint256 indexed srcChainId, uint64 indexed nonce, address indexed recipient, address token, uint256 amount
    );
    /// @notice A BridgedToken was created for a foreign token.
    event BridgedTokenCreated(uint256 indexed homeChainId, address indexed homeToken, address token);
    /// @notice The relayer committee changed.
    event RelayersSet(address[] relayers, uint256 threshold);
    /// @notice A peer chain was allowed or removed.
    event PeerSet(uint256 indexed chainId, bool allowed);

    /// @param owner_ Administers peers, relayers and bridged tokens.
    constructor(address owner_) Ownable(owner_) EIP712("RexBridge", "1") {}

    /// @notice Replace the relayer committee: `relayers_` sign, `threshold_` of them suffice.
    /// @param relayers_ The new relayers (previous ones are removed).
    /// @param threshold_ Signatures needed, 1 ≤ threshold ≤ relayers.
    /// @param previous The current relayers, to remove.
    function setRelayers(address[] calldata relayers_, uint256 threshold_, address[] calldata previous)
        external
        onlyOwner
    {
        require(threshold_ > 0 && threshold_ <= relayers_.length, "RexBridge: BAD_THRESHOLD");
        for (uint256 i = 0; i < previous.length; ++i) {
            isRelayer[previous[i]] = false;
        }
        for (uint256 i = 0; i < relayers_.length; ++i) {
            require(relayers_[i] != address(0), "RexBridge: ZERO_RELAYER");
            isRelayer[relayers_[i]] = true;
        }
        threshold = threshold_;
        emit RelayersSet(relayers_, threshold_);
    }

    /// @notice Allow or forbid transfers to and from `chainId`.
    /// @param chainId The peer chain.
    /// @param allowed Whether it is a peer.
    function setPeer(uint256 chainId, bool allowed) external onlyOwner {
        require(chainId != block.chainid, "RexBridge: SELF");
        isPeer[chainId] = allowed;
        emit PeerSet(chainId, allowed);
    }

    /// @notice Create the BridgedToken that stands for `homeToken` of `homeChainId` here.
    /// @param homeChainId The original token's chain (not this one).
    /// @param homeToken The original token's address there.
    /// @param name Name of the bridged token.
    /// @param symbol Ticker of the bridged token.
    /// @param decimals_ The original token's decimals.
    /// @return token The new BridgedToken.
    function createBridgedToken(
        uint256 homeChainId,
        address homeToken,
        string calldata name,
        string calldata symbol,
        uint8 decimals_
    ) external onlyOwner returns (address token) {
        require(homeChainId != block.chainid, "RexBridge: HOME_IS_HERE");
        bytes32 key = keccak256(abi.encode(homeChainId, homeToken));
        require(bridgedOf[key] == address(0), "RexBridge: EXISTS");
        token = address(new BridgedToken(name, symbol, decimals_, homeChainId, homeToken));
        bridgedOf[key] = token;
        isBridged[token] = true;
        emit BridgedTokenCreated(homeChainId, homeToken, token);
    }

    /// @notice Send `amount` of `token` to `recipient` on `dstChainId`.
    /// @dev A token of this chain is locked (approve the bridge first); a BridgedToken is
    /// burned. Reverts "RexBridge: NOT_PEER", "RexBridge: ZERO_AMOUNT", "RexBridge:
    /// ZERO_RECIPIENT".
    /// @param token What to send.
    /// @param amount Base units.
    /// @param dstChainId Destination chain.
    /// @param recipient Receiver there.
    /// @return nonce The transfer's nonce on this chain.
    function send(address token, uint256 amount, uint256 dstChainId, address recipient)
        external
        nonReentrant
        returns (uint64 nonce)
    {
        require(isPeer[dstChainId], "RexBridge: NOT_PEER");
        require(amount > 0, "RexBridge: ZERO_AMOUNT");
        require(recipient != address(0), "RexBridge: ZERO_RECIPIENT");
        uint256 homeChainId;
        address homeToken;
        if (isBridged[token]) {
            BridgedToken bridged = BridgedToken(token);
            homeChainId = bridged.homeChainId();
            homeToken = bridged.homeToken();
            bridged.burn(msg.sender, amount);
        } else {
            homeChainId = block.chainid;
            homeToken = token;
            uint256 before = IERC20(token).balanceOf(address(this));
            IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
            require(IERC20(token).balanceOf(address(this)) - before == amount, "RexBridge: FEE_ON_TRANSFER");
            locked[token] += amount;
        }
        nonce = sentCount++;
        emit Sent(nonce, dstChainId, msg.sender, recipient, homeChainId, homeToken, amount);
    }

    /// @notice EIP-712 digest relayers sign for `t` on this (the destination) chain.
    /// @param t The transfer.
    /// @return The digest.
    function transferDigest(Transfer calldata t) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    TRANSFER_TYPEHASH,
                    t.srcChainId,
                    t.dstChainId,
                    t.nonce,
                    t.homeChainId,
                    t.homeToken,
                    t.sender,
                    t.recipient,
                    t.amount
                )
            )
        );
    }

    /// @notice Deliver transfer `t` with `threshold` relayer signatures, signers in strictly
    /// ascending address order. Anyone may submit.
    /// @dev Reverts "RexBridge: WRONG_CHAIN", "RexBridge: NOT_PEER", "RexBridge: DELIVERED",
    /// "RexBridge: FEW_SIGNATURES", "RexBridge: BAD_SIGNER", "RexBridge: NO_BRIDGED_TOKEN",
    /// "RexBridge: NOT_LOCKED".
    /// @param t The transfer, as in the source chain's `Sent` event.
    /// @param signatures 65-byte relayer signatures over `transferDigest(t)`.
    function deliver(Transfer calldata t, bytes[] calldata signatures) external nonReentrant {
        require(t.dstChainId == block.chainid, "RexBridge: WRONG_CHAIN");
        require(isPeer[t.srcChainId], "RexBridge: NOT_PEER");
        bytes32 id = keccak256(abi.encode(t.srcChainId, t.nonce));
        require(!delivered[id], "RexBridge: DELIVERED");
        require(signatures.length >= threshold && threshold > 0, "RexBridge: FEW_SIGNATURES");
        bytes32 digest = transferDigest(t);
        address last = address(0);
        for (uint256 i = 0; i < signatures.length; ++i) {
            address signer = ECDSA.recover(digest, signatures[i]);
            require(isRelayer[signer] && signer > last, "RexBridge: BAD_SIGNER");
            last = signer;
        }
        delivered[id] = true;
        address token;
        if (t.homeChainId == block.chainid) {
            token = t.homeToken;
            require(locked[token] >= t.amount, "RexBridge: NOT_LOCKED");
            locked[token] -= t.amount;
            IERC20(token).safeTransfer(t.recipient, t.amount);
        } else {
            token = bridgedOf[keccak256(abi.encode(t.homeChainId, t.homeToken))];
            require(token != address(0), "RexBridge: NO_BRIDGED_TOKEN");
            BridgedToken(token).mint(t.recipient, t.amount);
        }
        emit Delivered(t.srcChainId, t.nonce, t.recipient, token, t.amount);
    }
}
