"""Decoding parameters with a canonical, float-free encoding for receipts.

Temperatures and ``top_p`` are :class:`~decimal.Decimal` values with at most
three decimal places; the canonical encoding stores them as integers in
milli-units (``temperature=0.7`` → ``700``), so the hash never depends on
float formatting. ``canonical_bytes()`` is compact JSON with sorted keys.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rexos.errors import ConfigError
from rexos.llm.hashing import keccak_hex

__all__ = ["CANONICAL_VERSION", "DecodingParams", "greedy"]

CANONICAL_VERSION = 1
"""Bumped whenever the canonical encoding changes (it is part of the hashed bytes)."""

_MILLI = Decimal("0.001")
_MAX_TOKENS_LIMIT = 1 << 20
_SEED_LIMIT = 1 << 32
_MAX_STOPS = 8


def _milli_decimal(name: str, value: Decimal | int | str | float, upper: Decimal) -> Decimal:
    if isinstance(value, bool):
        raise ConfigError(f"{name} must be a number, got {value!r}")
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError):
        raise ConfigError(f"{name} must be a number, got {value!r}") from None
    if not number.is_finite() or number < 0 or number > upper:
        raise ConfigError(f"{name} must be between 0 and {upper}, got {value!r}")
    if number != number.quantize(_MILLI):
        raise ConfigError(f"{name} allows at most 3 decimal places, got {value!r}")
    return number.quantize(_MILLI)


def _bounded_int(name: str, value: int, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value < high:
        raise ConfigError(f"{name} must be an integer in [{low}, {high}), got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class DecodingParams:
    """How to sample a completion; every backend honours the same fields.

    ``top_k=0`` means no top-k cut. ``temperature=0`` means greedy decoding.
    Invalid values raise :class:`rexos.errors.ConfigError`.
    """

    max_tokens: int = 128
    temperature: Decimal = Decimal("0.000")
    top_p: Decimal = Decimal("1.000")
    top_k: int = 0
    seed: int = 0
    stop: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        _bounded_int("max_tokens", self.max_tokens, 1, _MAX_TOKENS_LIMIT)
        _bounded_int("top_k", self.top_k, 0, _MAX_TOKENS_LIMIT)
        _bounded_int("seed", self.seed, 0, _SEED_LIMIT)
        object.__setattr__(
            self, "temperature", _milli_decimal("temperature", self.temperature, Decimal(10))
        )
        object.__setattr__(self, "top_p", _milli_decimal("top_p", self.top_p, Decimal(1)))
        if self.top_p == 0:
            raise ConfigError("top_p must be greater than 0")
        stops = tuple(self.stop) if not isinstance(self.stop, str) else (self.stop,)
        if len(stops) > _MAX_STOPS or any(not isinstance(s, str) or not s for s in stops):
            raise ConfigError(f"stop must be at most {_MAX_STOPS} non-empty strings, got {stops!r}")
        object.__setattr__(self, "stop", stops)

    @property
    def is_greedy(self) -> bool:
        """True when decoding is deterministic argmax (temperature 0 or top_k 1)."""
        return self.temperature == 0 or self.top_k == 1

    @property
    def temperature_milli(self) -> int:
        """Temperature in thousandths (``0.7`` → ``700``)."""
        return int(self.temperature * 1000)

    @property
    def top_p_milli(self) -> int:
        """``top_p`` in thousandths (``0.95`` → ``950``)."""
        return int(self.top_p * 1000)

    def canonical_dict(self) -> dict[str, int | str | list[str]]:
        """The fields as integers and strings only, as hashed."""
        return {
            "v": CANONICAL_VERSION,
            "max_tokens": self.max_tokens,
            "temperature_milli": self.temperature_milli,
            "top_p_milli": self.top_p_milli,
            "top_k": self.top_k,
            "seed": self.seed,
            "stop": list(self.stop),
        }

    def canonical_bytes(self) -> bytes:
        """Compact, sorted-key UTF-8 JSON of :meth:`canonical_dict`."""
        return json.dumps(
            self.canonical_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")

    def hash(self) -> str:
        """keccak256 of :meth:`canonical_bytes` as ``0x`` + 64 hex digits."""
        return keccak_hex(self.canonical_bytes())


def greedy(seed: int = 0, max_tokens: int = 128, stop: tuple[str, ...] = ()) -> DecodingParams:
    """Deterministic argmax decoding: temperature 0, ``top_k`` 1, ``top_p`` 1."""
    return DecodingParams(
        max_tokens=max_tokens,
        temperature=Decimal(0),
        top_p=Decimal(1),
        top_k=1,
        seed=seed,
        stop=stop,
    )
