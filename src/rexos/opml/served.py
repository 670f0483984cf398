"""The opML models RexOS knows how to run: model id → its program.

``deploy_dprompt`` registers the program of every ``opml`` model of a genesis file in the
``OpmlGame`` (checking its key is the genesis ``weights_sha256``), and a provider node
serves, defends and audits the ones it is registered for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rexos.opml.program import Program
from rexos.opml.sentiment import MODEL_ID, sentiment_program

__all__ = ["PROGRAMS"]

PROGRAMS: Mapping[str, Callable[[], Program]] = {MODEL_ID: sentiment_program}
