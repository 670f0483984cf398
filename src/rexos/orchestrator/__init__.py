"""The orchestrator: turns a request into a plan of agent and plug-in calls.

:mod:`rexos.orchestrator.intent` parses structured commands and multi-step requests
deterministically, with no language model, and asks a question instead of guessing.
:mod:`~rexos.orchestrator.plan` turns the steps into a DAG with explicit states,
:mod:`~rexos.orchestrator.runner` runs it through the Wallet agent (persisted, resumable),
:mod:`~rexos.orchestrator.chat` is the conversation the terminal and the HTTP API share, and
:mod:`~rexos.orchestrator.agentic` lets a tool-calling model handle open-ended requests
without ever reaching the signer.

The package's public names are the intent parser's, re-exported as
:mod:`rexos.orchestrator.intent` declares them.
"""

from rexos.orchestrator import intent
from rexos.orchestrator.intent import *  # noqa: F403  (its __all__, declared there once)

__all__ = list(intent.__all__)
