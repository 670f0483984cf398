"""``rexos provider run --model opml-sentiment-v1``: a node serving an opML model loads no
language model; its model slot names the program the genesis registers and refuses to
generate (the VM answers those requests)."""

from __future__ import annotations

import pytest

from rexos.cli.provider_run import _OpmlOnly
from rexos.errors import ModelUnavailable
from rexos.llm.params import DecodingParams
from rexos.opml.served import PROGRAMS


def _genesis_weights(model_id: str) -> str:
    from importlib.resources import files

    from rexos._toml import parse_toml

    text = (files("rexos.economy") / "default_genesis.toml").read_text()
    genesis = parse_toml(text, "default_genesis.toml", "genesis")
    (entry,) = [m for m in genesis["dprompt"]["models"] if m["id"] == model_id]
    return str(entry["weights_sha256"])


@pytest.mark.parametrize("model_id", sorted(PROGRAMS))
def test_the_opml_slot_names_the_registered_program_and_never_generates(model_id: str) -> None:
    slot = _OpmlOnly(model_id)
    assert slot.model_id == model_id
    assert slot.weights_hash == _genesis_weights(model_id)
    with pytest.raises(ModelUnavailable, match="opML VM"):
        slot.complete("Great quarter for REX", DecodingParams())
