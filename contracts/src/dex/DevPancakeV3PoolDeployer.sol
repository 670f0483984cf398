// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Devnet PancakeSwap V3 pool deployer
/// @notice Stands in for PancakeSwap's PancakeV3PoolDeployer, which the npm package of
/// PancakeSwap V3's core does not publish, neither as bytecode nor as source: the real
/// PancakeV3Factory (npm bytecode) asks this contract to `deploy` each pool it creates, and
/// this contract runs the real PancakeV3Pool creation code it was given (npm bytecode) with
/// CREATE2 and the salt keccak256(abi.encode(token0, token1, fee)), as PancakeSwap's own
/// deployer does. While a pool is being created, `parameters` answers the pool's
/// constructor; at any other time it is empty.
contract DevPancakeV3PoolDeployer {
    /// @notice What the pool being created reads in its constructor.
    struct Parameters {
        address factory;
        address token0;
        address token1;
        uint24 fee;
        int24 tickSpacing;
    }

    /// @notice The pool being created's parameters (empty outside `deploy`).
    Parameters public parameters;

    /// @notice The factory allowed to deploy pools; set once.
    address public factoryAddress;

    /// @notice A contract whose code is a STOP byte followed by the pool's creation code.
    address public immutable poolCode;

    /// @notice Who may set the factory (the deploying account).
    address public immutable owner;

    /// @notice The factory was set.
    /// @param factory The factory allowed to deploy pools.
    event SetFactoryAddress(address indexed factory);

    /// @param poolInitCode PancakeV3Pool's creation code (at most 24,575 bytes).
    constructor(bytes memory poolInitCode) {
        require(poolInitCode.length > 0 && poolInitCode.length < 24576, "DevPancakeV3PoolDeployer: CODE");
        owner = msg.sender;
        // creation code: PUSH2 len+1, DUP1, PUSH1 10, RETURNDATASIZE, CODECOPY, RETURNDATASIZE,
        // RETURN; then the data: STOP and the pool's creation code (never run as code).
        bytes memory creation = abi.encodePacked(
            hex"61", uint16(poolInitCode.length + 1), hex"80600a3d393df300", poolInitCode
        );
        address stored;
        assembly ("memory-safe") {
            stored := create(0, add(creation, 0x20), mload(creation))
        }
        require(stored != address(0), "DevPancakeV3PoolDeployer: STORE");
        poolCode = stored;
    }

    /// @notice Let `factory` deploy pools; only the owner, only once.
    /// @dev Reverts "DevPancakeV3PoolDeployer: OWNER" for anyone else and
    /// "DevPancakeV3PoolDeployer: SET" when the factory is already set.
    /// @param factory The PancakeV3Factory that will call `deploy`.
    function setFactoryAddress(address factory) external {
        require(msg.sender == owner, "DevPancakeV3PoolDeployer: OWNER");
        require(factoryAddress == address(0), "DevPancakeV3PoolDeployer: SET");
        factoryAddress = factory;
        emit SetFactoryAddress(factory);
    }

    /// @notice Create the pool of `token0`, `token1` and `fee` with the stored creation code.
    /// @dev Only the factory may call; reverts "DevPancakeV3PoolDeployer: FACTORY" otherwise,
    /// "DevPancakeV3PoolDeployer: CREATE2" when the pool exists or its constructor fails.
    /// @param factory The factory the pool records.
    /// @param token0 The pool's token0.
    /// @param token1 The pool's token1.
    /// @param fee The pool's fee in millionths.
    /// @param tickSpacing The pool's tick spacing.
    /// @return pool The new pool's address.
    function deploy(address factory, address token0, address token1, uint24 fee, int24 tickSpacing)
        external
        returns (address pool)
    {
        require(msg.sender == factoryAddress, "DevPancakeV3PoolDeployer: FACTORY");
        parameters = Parameters(factory, token0, token1, fee, tickSpacing);
        address source = poolCode;
        uint256 size = source.code.length - 1;
        bytes32 salt = keccak256(abi.encode(token0, token1, fee));
        assembly ("memory-safe") {
            let code := mload(0x40)
            extcodecopy(source, code, 1, size)
            pool := create2(0, code, size, salt)
        }
        require(pool != address(0), "DevPancakeV3PoolDeployer: CREATE2");
        delete parameters;
    }
}
