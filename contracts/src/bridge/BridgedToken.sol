// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title Bridged token
/// @notice The representation on this chain of a token locked in a RexBridge vault on its
/// home chain. Only the bridge that created it mints (on delivery) and burns (on send).
contract BridgedToken is ERC20 {
    /// @notice The RexBridge that mints and burns this token.
    address public immutable bridge;
    /// @notice Chain id of the chain where the original token lives.
    uint256 public immutable homeChainId;
    /// @notice Address of the original token on its home chain.
    address public immutable homeToken;
    uint8 private immutable _decimals;

    /// @param name_ Token name.
    /// @param symbol_ Ticker.
    /// @param decimals_ The original token's decimals.
    /// @param homeChainId_ Chain id of the original token's chain.
    /// @param homeToken_ Address of the original token there.
    constructor(
        string memory name_,
        string memory symbol_,
        uint8 decimals_,
        uint256 homeChainId_,
        address homeToken_
    ) ERC20(name_, symbol_) {
        bridge = msg.sender;
        homeChainId = homeChainId_;
        homeToken = homeToken_;
        _decimals = decimals_;
    }

    /// @notice Mint `amount` for `to` (the bridge, on delivery).
    /// @param to Receiver.
    /// @param amount Base units.
    function mint(address to, uint256 amount) external {
        require(msg.sender == bridge, "BridgedToken: ONLY_BRIDGE");
        _mint(to, amount);
    }

    /// @notice Burn `amount` of `from` (the bridge, when `from` sends it away).
    /// @param from Holder; the bridge only calls this for the sender of a transfer.
    /// @param amount Base units.
    function burn(address from, uint256 amount) external {
        require(msg.sender == bridge, "BridgedToken: ONLY_BRIDGE");
        _burn(from, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public view override returns (uint8) {
        return _decimals;
    }
}
