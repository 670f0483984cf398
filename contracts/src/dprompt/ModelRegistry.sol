// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";

/// @title DPrompt model registry
/// @notice The owner registers models (weights hash, kind, prompt limit) and may deactivate them.
contract ModelRegistry is IModelRegistry, Ownable {
    mapping(bytes32 => Model) private _models;

    /// @notice Deploy an empty registry.
    /// @param owner_ May add and deactivate models.
    constructor(address owner_) Ownable(owner_) {}

    /// @inheritdoc IModelRegistry
    function addModel(bytes32 modelId, bytes32 weightsHash, Kind kind, uint32 maxPromptBytes)
        external
        onlyOwner
    {
        require(_models[modelId].weightsHash == bytes32(0), "ModelRegistry: EXISTS");
        require(weightsHash != bytes32(0), "ModelRegistry: ZERO_HASH");
        require(maxPromptBytes > 0, "ModelRegistry: ZERO_PROMPT_BYTES");
        _models[modelId] = Model(weightsHash, maxPromptBytes, kind, true);
        emit ModelAdded(modelId, weightsHash, kind, maxPromptBytes);
    }

    /// @inheritdoc IModelRegistry
    function deactivate(bytes32 modelId) external onlyOwner {
        Model storage m = _models[modelId];
        require(m.active, "ModelRegistry: UNKNOWN_MODEL");
        m.active = false;
        emit ModelDeactivated(modelId);
    }

    /// @inheritdoc IModelRegistry
    function model(bytes32 modelId) external view returns (Model memory) {
        return _models[modelId];
    }

    /// @inheritdoc IModelRegistry
    function requestLimits(bytes32 modelId) external view returns (bool active, uint32 maxPromptBytes) {
        Model storage m = _models[modelId];
        return (m.active, m.maxPromptBytes);
    }
}
