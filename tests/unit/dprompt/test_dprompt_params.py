"""The ``[dprompt]`` section of a genesis file: defaults and validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from rexos.dprompt import load_dprompt_params
from rexos.economy import load_genesis
from rexos.errors import ConfigError
from rexos.llm import DEFAULT_MODEL_ID, GEMMA_270M_SHA256
from rexos.opml import MODEL_ID as SENTIMENT_MODEL
from rexos.opml import sentiment_program
from rexos.opml.sentiment import MAX_PROMPT_BYTES


def test_default_section() -> None:
    params = load_dprompt_params(None)
    assert params.min_stake == 1_000 * 10**18 and params.unbonding_period == 7 * 86_400
    assert params.book.committee_size == 3 and len(params.book.as_tuple()) == 14
    model, opml = params.models
    assert (model.model_id, model.weights_sha256, model.kind) == (
        DEFAULT_MODEL_ID,
        GEMMA_270M_SHA256,
        "llm",
    )
    program = sentiment_program()
    assert (opml.model_id, opml.weights_sha256, opml.kind) == (
        SENTIMENT_MODEL,
        program.key().hex(),
        "opml",
    )
    assert opml.max_prompt_bytes == MAX_PROMPT_BYTES
    load_genesis(None)  # the economy loader accepts the section


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[dprompt]\ncommittee_size = 4\n", "dprompt.committee_size: must be odd"),
        ("[dprompt]\ntreasury_bps = 9_500\n", "dprompt.stakers_bps"),
        ("[dprompt]\nmin_stake_rex = -1\n", "dprompt.min_stake_rex"),
        ("[dprompt]\nmin_challenge_window_seconds = 90_000\n", "min_challenge_window_seconds"),
        ("[dprompt]\nsurprise = 1\n", "dprompt.surprise: unknown key"),
        (
            '[[dprompt.models]]\nid = "m"\nweights_sha256 = "ab"\nkind = "llm"\n'
            "max_prompt_bytes = 1\n",
            "dprompt.models[0].weights_sha256",
        ),
        (
            f'[[dprompt.models]]\nid = "m"\nweights_sha256 = "{"a" * 64}"\nkind = "cnn"\n'
            "max_prompt_bytes = 1\n",
            "dprompt.models[0].kind",
        ),
    ],
)
def test_invalid_section_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "genesis.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        load_dprompt_params(path)
