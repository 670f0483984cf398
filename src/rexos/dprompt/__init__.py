"""DPrompt in Python: deployment parameters, deployment, and the requester/provider clients.

* :func:`load_dprompt_params` reads ``[dprompt]`` of a genesis file.
* :func:`deploy_dprompt` deploys the registries, the opML game and the book and
  registers the models; on chain a model id is :func:`model_key` (keccak256 of the id).
* :class:`Client` (requesters, responders, challengers) and
  :class:`ProviderClient` (stakes) pre-check every action and return
  :class:`RequestView` values rebuilt from events.
* :func:`receipt_hash` is the inference receipt hash of the spec.
"""

from rexos.dprompt.client import Client, commitment
from rexos.dprompt.deploy import DPROMPT_CONTRACTS, deploy_dprompt, model_key
from rexos.dprompt.metrics import NodeMetrics
from rexos.dprompt.node import NodeConfig, ProviderNode
from rexos.dprompt.node_store import NodeStore
from rexos.dprompt.params import (
    BookParams,
    DPromptParams,
    ModelKind,
    ModelParams,
    load_dprompt_params,
)
from rexos.dprompt.provider import ProviderClient
from rexos.dprompt.views import (
    Answer,
    Dispute,
    Outcome,
    ProviderStatus,
    RequestStatus,
    RequestView,
    Resolution,
    answer,
    receipt_hash,
)

__all__ = [
    "DPROMPT_CONTRACTS",
    "Answer",
    "BookParams",
    "Client",
    "DPromptParams",
    "Dispute",
    "ModelKind",
    "ModelParams",
    "NodeConfig",
    "NodeMetrics",
    "NodeStore",
    "Outcome",
    "ProviderClient",
    "ProviderNode",
    "ProviderStatus",
    "RequestStatus",
    "RequestView",
    "Resolution",
    "answer",
    "commitment",
    "deploy_dprompt",
    "load_dprompt_params",
    "model_key",
    "receipt_hash",
]
