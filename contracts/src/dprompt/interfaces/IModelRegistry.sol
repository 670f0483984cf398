// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title DPrompt model registry interface
/// @notice Owner-registered models that DPrompt providers may serve.
/// @dev Revert strings: `ModelRegistry: EXISTS`, `ModelRegistry: ZERO_HASH`,
/// `ModelRegistry: ZERO_PROMPT_BYTES`, `ModelRegistry: UNKNOWN_MODEL`.
interface IModelRegistry {
    /// @notice How an answer of the model is verified.
    enum Kind {
        LLM,
        OPML
    }

    /// @notice A model: two storage slots; the hot fields share the second one.
    struct Model {
        bytes32 weightsHash;
        uint32 maxPromptBytes;
        Kind kind;
        bool active;
    }

    /// @notice The owner registered `modelId`.
    event ModelAdded(bytes32 indexed modelId, bytes32 weightsHash, Kind kind, uint32 maxPromptBytes);
    /// @notice The owner deactivated `modelId`; no new request may name it.
    event ModelDeactivated(bytes32 indexed modelId);

    /// @notice Register a new model (owner only).
    /// @param modelId The model's identifier; must be new.
    /// @param weightsHash Hash of the model weights, non-zero.
    /// @param kind `LLM` (committee verification) or `OPML` (bisection game).
    /// @param maxPromptBytes Longest prompt a request may carry, > 0.
    function addModel(bytes32 modelId, bytes32 weightsHash, Kind kind, uint32 maxPromptBytes) external;

    /// @notice Deactivate a model (owner only); open requests are unaffected.
    /// @param modelId A registered model.
    function deactivate(bytes32 modelId) external;

    /// @notice The stored record of `modelId` (all zero when unknown).
    /// @param modelId The model's identifier.
    /// @return The model record.
    function model(bytes32 modelId) external view returns (Model memory);

    /// @notice The fields a request needs, in one storage read.
    /// @param modelId The model's identifier.
    /// @return active Whether requests may name the model.
    /// @return maxPromptBytes Longest prompt allowed.
    function requestLimits(bytes32 modelId) external view returns (bool active, uint32 maxPromptBytes);
}
