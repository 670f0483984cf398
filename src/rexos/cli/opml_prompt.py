"""What ``rexos ask`` sends to ``opml-sentiment-v1``: the text with its hashed feature counts.

The opML program reads the counts Lense's feature extraction makes (``rexos.lense``), so the
asker computes them and the prompt carries both (``rexos.opml.sentiment``); other models get
the text as typed. The answer byte is shown with its label.
"""

from __future__ import annotations

__all__ = ["prompt_for", "shown_answer"]


def prompt_for(model: str, text: str) -> str:
    """The prompt to post for ``text`` to ``model``."""
    from rexos.opml import MODEL_ID

    if model != MODEL_ID:
        return text
    from rexos.lense.sentiment_features import features
    from rexos.lense.sentiment_model import load_model
    from rexos.lense.sentiment_text import MAX_CHARS
    from rexos.opml import encode_prompt

    read = text[:MAX_CHARS]
    return encode_prompt(features(read, load_model().recipe), read).decode("utf-8")


def shown_answer(model: str, output: str) -> str:
    """The answer as shown: an opML sentiment byte with its label, anything else as is."""
    from rexos.opml import MODEL_ID, label_of

    label = label_of(output.encode("latin-1", errors="replace")) if model == MODEL_ID else None
    return f"{output} ({label})" if label else output
