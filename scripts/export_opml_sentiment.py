"""Export Lense's shipped sentiment model to the opML format (``rexos.opml.sentiment``).

Run: ``python scripts/export_opml_sentiment.py`` after ``scripts/train_sentiment.py`` has
changed ``src/rexos/lense/data/sentiment_int8.npz``; it rewrites
``src/rexos/opml/data/sentiment_v1.npz`` (the non-zero rows of the int8 weights and the Lense
model's digest). ``tests/unit/opml/test_sentiment.py`` checks the shipped file is what this
makes. The program key changes with the weights: update ``weights_sha256`` of
``opml-sentiment-v1`` in ``src/rexos/economy/default_genesis.toml`` (the script prints it).
"""

from __future__ import annotations

from rexos.lense.sentiment_model import load_model
from rexos.opml.sentiment import WEIGHTS_PATH, SentimentWeights, sentiment_program


def main() -> None:
    lense = load_model()
    exported = SentimentWeights.export(lense.weights, lense.digest())
    exported.save(WEIGHTS_PATH)
    program = sentiment_program(exported)
    print(f"wrote {WEIGHTS_PATH}: {len(exported.features)} features, {program.steps} steps")
    print(f"weights_sha256 (program key) = {program.key().hex()}")


if __name__ == "__main__":
    main()
