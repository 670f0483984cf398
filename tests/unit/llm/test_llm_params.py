"""DecodingParams validation and the canonical, float-free receipt hashes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from eth_utils.crypto import keccak

from rexos.errors import ConfigError, UsageError
from rexos.llm import DecodingParams, greedy, keccak_hex, output_hash, prompt_hash


def test_greedy_is_argmax_with_seed() -> None:
    params = greedy(seed=7, max_tokens=16)
    assert params.is_greedy
    assert params.temperature == Decimal(0)
    assert (params.top_k, params.seed, params.max_tokens) == (1, 7, 16)


def test_canonical_bytes_are_sorted_compact_integers() -> None:
    params = DecodingParams(
        max_tokens=32, temperature=Decimal("0.7"), top_p=Decimal("0.95"), seed=3, stop=("\n",)
    )
    raw = params.canonical_bytes()
    assert raw == (
        b'{"max_tokens":32,"seed":3,"stop":["\\n"],"temperature_milli":700,'
        b'"top_k":0,"top_p_milli":950,"v":1}'
    )
    assert json.loads(raw)["temperature_milli"] == 700
    assert params.hash() == "0x" + keccak(raw).hex()


def test_equal_values_hash_equal_whatever_their_spelling() -> None:
    a = DecodingParams(temperature=Decimal("0.70"), top_p=Decimal(1))
    b = DecodingParams(temperature=Decimal("0.7"), top_p=Decimal("1.000"))
    assert a.hash() == b.hash()
    assert a.hash() != DecodingParams(temperature=Decimal("0.701")).hash()
    assert greedy(seed=1).hash() != greedy(seed=2).hash()


def test_known_hash_is_stable() -> None:
    # Pinned: changing the canonical encoding must bump CANONICAL_VERSION.
    assert greedy(seed=7, max_tokens=16).canonical_bytes() == (
        b'{"max_tokens":16,"seed":7,"stop":[],"temperature_milli":0,'
        b'"top_k":1,"top_p_milli":1000,"v":1}'
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_tokens": 0},
        {"max_tokens": True},
        {"seed": -1},
        {"seed": 1 << 32},
        {"top_k": -1},
        {"temperature": Decimal("-0.1")},
        {"temperature": Decimal("0.0001")},
        {"temperature": Decimal("NaN")},
        {"top_p": Decimal(0)},
        {"top_p": Decimal("1.5")},
        {"stop": ("",)},
    ],
)
def test_invalid_params_raise_config_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError) as info:
        DecodingParams(**kwargs)  # type: ignore[arg-type]
    assert isinstance(info.value, UsageError)


def test_hashes_are_keccak256_of_utf8() -> None:
    assert prompt_hash("") == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert output_hash("é") == keccak_hex("é".encode())
    assert prompt_hash("a ") != prompt_hash("a")
