// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title Devnet token
/// @notice A plain ERC-20 with its own decimals that stands for a real asset (WETH, USDC,
/// USDT, WBTC, ...) on the devnet and in tests. Its owner mints; nobody else can.
contract DevToken is ERC20, Ownable {
    uint8 private immutable _decimals;

    /// @param name_ Token name.
    /// @param symbol_ Ticker.
    /// @param decimals_ Decimals of the asset it stands for (USDC: 6, WBTC: 8, WETH: 18).
    /// @param owner_ The account allowed to mint.
    constructor(string memory name_, string memory symbol_, uint8 decimals_, address owner_)
        ERC20(name_, symbol_)
        Ownable(owner_)
    {
        _decimals = decimals_;
    }

    /// @notice Create `amount` base units for `to`.
    /// @param to Receiver.
    /// @param amount Base units.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public view override returns (uint8) {
        return _decimals;
    }
}
