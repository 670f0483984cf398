"""DPrompt deployment parameters, read from the ``[dprompt]`` section of a genesis file.

:func:`load_dprompt_params` reads the packaged default genesis
(``rexos/economy/default_genesis.toml``, which documents every key) with an
optional genesis file laid over it (:func:`rexos._toml.load_over_defaults`, the loader the
economy uses too), validates the ``[dprompt]`` section and returns a frozen
:class:`DPromptParams`. Every problem raises one :class:`~rexos.errors.ConfigError` that
starts "DPrompt parameters in <file>" and names the key. The economy's own loader
ignores this section; this module reads only the data file, never economy code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rexos._toml import Table, TomlReader, load_over_defaults

__all__ = [
    "BOOK_PARAM_FIELDS",
    "BookParams",
    "DPromptParams",
    "ModelKind",
    "ModelParams",
    "load_dprompt_params",
]

ModelKind = Literal["llm", "opml"]
_KINDS: tuple[ModelKind, ...] = ("llm", "opml")
_BPS = 10_000
_U16, _U32, _U96 = 2**16 - 1, 2**32 - 1, 2**96 - 1

BOOK_PARAM_FIELDS = (
    "treasuryBps",
    "stakersBps",
    "responseTimeout",
    "takeoverGrace",
    "minChallengeWindow",
    "maxChallengeWindow",
    "maxCallbackGas",
    "minBond",
    "bondMultiplier",
    "committeeSize",
    "commitPeriod",
    "revealPeriod",
    "slashAmount",
    "noRevealPenalty",
)
"""The ``RequestBook`` ``Params`` struct's fields, in ABI order."""


@dataclass(frozen=True, slots=True)
class BookParams:
    """``RequestBook`` ``Params``: amounts in REX wei, durations in seconds."""

    treasury_bps: int
    stakers_bps: int
    response_timeout: int
    takeover_grace: int
    min_challenge_window: int
    max_challenge_window: int
    max_callback_gas: int
    min_bond: int
    bond_multiplier: int
    committee_size: int
    commit_period: int
    reveal_period: int
    slash_amount: int
    no_reveal_penalty: int

    def as_tuple(self) -> tuple[int, ...]:
        """The struct as the ABI encoder wants it (order of :data:`BOOK_PARAM_FIELDS`)."""
        return (
            self.treasury_bps,
            self.stakers_bps,
            self.response_timeout,
            self.takeover_grace,
            self.min_challenge_window,
            self.max_challenge_window,
            self.max_callback_gas,
            self.min_bond,
            self.bond_multiplier,
            self.committee_size,
            self.commit_period,
            self.reveal_period,
            self.slash_amount,
            self.no_reveal_penalty,
        )


@dataclass(frozen=True, slots=True)
class ModelParams:
    """One model registered at deployment (``ModelRegistry.addModel``)."""

    model_id: str
    weights_sha256: str
    kind: ModelKind
    max_prompt_bytes: int


@dataclass(frozen=True, slots=True)
class DPromptParams:
    """Everything DPrompt's deployment needs: registry stakes, book params, models."""

    min_stake: int
    unbonding_period: int
    book: BookParams
    models: tuple[ModelParams, ...]


def load_dprompt_params(path: Path | None = None) -> DPromptParams:
    """Read and validate ``[dprompt]`` of a genesis file; ``None`` reads the packaged default.

    Keys missing from ``path`` take their default values; ``models`` is replaced whole.
    """
    reader, data = load_over_defaults(
        "rexos.economy", "default_genesis.toml", path, noun="DPrompt parameters in"
    )
    return _build(reader, reader.table(data, "dprompt"))


_KEYS = {
    "min_stake_rex",
    "unbonding_seconds",
    "treasury_bps",
    "stakers_bps",
    "response_timeout_seconds",
    "takeover_grace_seconds",
    "min_challenge_window_seconds",
    "max_challenge_window_seconds",
    "max_callback_gas",
    "min_bond_rex",
    "bond_multiplier",
    "committee_size",
    "commit_period_seconds",
    "reveal_period_seconds",
    "slash_rex",
    "no_reveal_penalty_rex",
    "models",
}


def _rex(reader: TomlReader, table: Table, key: str) -> int:
    wei = reader.wei(table, key)
    if wei > _U96:
        reader.fail(key, "too large for the contract (uint96 wei)")
    return wei


def _build(reader: TomlReader, t: Table) -> DPromptParams:
    reader.keys(t, "dprompt", _KEYS)

    def seconds(key: str, low: int = 1) -> int:
        return reader.integer(t, f"dprompt.{key}", low, _U32)

    book = BookParams(
        treasury_bps=reader.integer(t, "dprompt.treasury_bps", 0, _BPS),
        stakers_bps=reader.integer(t, "dprompt.stakers_bps", 0, _BPS),
        response_timeout=seconds("response_timeout_seconds"),
        takeover_grace=seconds("takeover_grace_seconds", 0),
        min_challenge_window=seconds("min_challenge_window_seconds"),
        max_challenge_window=seconds("max_challenge_window_seconds"),
        max_callback_gas=reader.integer(t, "dprompt.max_callback_gas", 0, _U32),
        min_bond=_rex(reader, t, "dprompt.min_bond_rex"),
        bond_multiplier=reader.integer(t, "dprompt.bond_multiplier", 0, _U16),
        committee_size=reader.integer(t, "dprompt.committee_size", 1, 255),
        commit_period=seconds("commit_period_seconds"),
        reveal_period=seconds("reveal_period_seconds"),
        slash_amount=_rex(reader, t, "dprompt.slash_rex"),
        no_reveal_penalty=_rex(reader, t, "dprompt.no_reveal_penalty_rex"),
    )
    if book.treasury_bps + book.stakers_bps > _BPS:
        reader.fail("dprompt.stakers_bps", f"treasury_bps + stakers_bps must be at most {_BPS}")
    if book.committee_size % 2 == 0:
        reader.fail("dprompt.committee_size", f"must be odd, got {book.committee_size}")
    if book.min_challenge_window > book.max_challenge_window:
        reader.fail("dprompt.min_challenge_window_seconds", "exceeds max_challenge_window_seconds")
    models = tuple(
        _model(reader, item, f"dprompt.models[{i}]")
        for i, item in enumerate(reader.tables(t, "dprompt.models"))
    )
    ids = [m.model_id for m in models]
    for i, model_id in enumerate(ids):
        if model_id in ids[:i]:
            reader.fail(f"dprompt.models[{i}].id", f"duplicate model id {model_id!r}")
    return DPromptParams(
        min_stake=_rex(reader, t, "dprompt.min_stake_rex"),
        unbonding_period=seconds("unbonding_seconds", 0),
        book=book,
        models=models,
    )


def _model(reader: TomlReader, item: Table, key: str) -> ModelParams:
    reader.keys(item, key, {"id", "weights_sha256", "kind", "max_prompt_bytes"})
    digest = reader.string(item, f"{key}.weights_sha256")
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        reader.fail(f"{key}.weights_sha256", "must be 64 lowercase hex digits")
    return ModelParams(
        model_id=reader.string(item, f"{key}.id"),
        weights_sha256=digest,
        kind=reader.choice(item, f"{key}.kind", _KINDS),
        max_prompt_bytes=reader.integer(item, f"{key}.max_prompt_bytes", 1, _U32),
    )
