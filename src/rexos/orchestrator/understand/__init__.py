"""Understanding what people write: everyday phrasing to an intent, a question or a reply.

:func:`understand` runs the layered pipeline (normalisation, the deterministic grammar, a
trained recogniser that abstains when unsure, exact value extraction, a clarifying question).
"""

from rexos.orchestrator.understand.pipeline import (
    CAPABILITIES,
    THRESHOLD,
    Reply,
    Understood,
    understand,
    understand_steps,
)

__all__ = ["CAPABILITIES", "THRESHOLD", "Reply", "Understood", "understand", "understand_steps"]
