"""The pools file: a stable JSON contract anyone can use to check the router.

::

    {"pools": [
      {"id", "kind": "v2", "token0", "token1", "reserve0", "reserve1", "fee_bps"},
      {"id", "kind": "v3", "token0", "token1", "fee", "tick_spacing", "sqrt_price_x96",
       "liquidity", "tick", "ticks": [{"index", "liquidity_net"}]},
      {"id", "kind": "stable", "tokens": [...], "balances": [...], "rates": [...],
       "amp", "fee"}
    ]}

Integers are decimal strings (plain JSON integers are accepted too; floats and
booleans are not). Every error names the pool and the field.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rexos.dex.pool import Pool
from rexos.dex.stable import StablePool
from rexos.dex.v2 import V2Pool
from rexos.dex.v3 import Tick, V3Pool
from rexos.errors import DexError, UsageError

__all__ = ["dump_pools", "load_pools", "parse_pools", "pool_to_json"]


class _Fields:
    """Typed access to one pool object's fields, with errors naming pool and field."""

    def __init__(self, raw: dict[str, Any], where: str) -> None:
        self.raw = raw
        self.where = where

    def fail(self, field: str, what: str) -> UsageError:
        return UsageError(f"pools file: {self.where}: '{field}' {what}")

    def get(self, field: str) -> Any:
        if field not in self.raw:
            raise self.fail(field, "is missing")
        return self.raw[field]

    def text(self, field: str) -> str:
        value = self.get(field)
        if not isinstance(value, str) or not value:
            raise self.fail(field, "must be a non-empty string")
        return value

    def integer(self, field: str, value: Any = None) -> int:
        value = self.get(field) if value is None else value
        return _integer(value, lambda what: self.fail(field, what))

    def texts(self, field: str) -> tuple[str, ...]:
        value = self.get(field)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(field, "must be a list of non-empty strings")
        return tuple(value)

    def integers(self, field: str) -> tuple[int, ...]:
        value = self.get(field)
        if not isinstance(value, list):
            raise self.fail(field, "must be a list of integers")
        return tuple(self.integer(field, v) for v in value)


def _integer(value: Any, fail: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise fail("must be an integer written as a decimal string")
    if isinstance(value, int):
        return value
    text = value.strip()
    digits = text[1:] if text[:1] == "-" else text
    if not digits.isdigit() or not digits.isascii():
        raise fail(f"must be an integer written as a decimal string, got {value!r}")
    return int(text)


def _parse_one(raw: Any, where: str) -> Pool:
    if not isinstance(raw, dict):
        raise UsageError(f"pools file: {where} must be an object")
    f = _Fields(raw, where)
    pool_id = f.text("id")
    f.where = f"pool '{pool_id}'"
    kind = f.get("kind")
    try:
        if kind == "v2":
            return V2Pool(
                id=pool_id,
                token0=f.text("token0"),
                token1=f.text("token1"),
                reserve0=f.integer("reserve0"),
                reserve1=f.integer("reserve1"),
                fee_bps=f.integer("fee_bps"),
            )
        if kind == "v3":
            ticks = f.get("ticks")
            if not isinstance(ticks, list):
                raise f.fail("ticks", "must be a list of {index, liquidity_net}")
            parsed: list[Tick] = []
            for n, t in enumerate(ticks):
                tf = _Fields(t if isinstance(t, dict) else {}, f"{f.where} tick #{n}")
                parsed.append(Tick(tf.integer("index"), tf.integer("liquidity_net")))
            window = None
            if "window" in f.raw:
                bounds = f.integers("window")
                if len(bounds) != 2:
                    raise f.fail("window", "must be [lowest tick, highest tick]")
                window = (bounds[0], bounds[1])
            return V3Pool(
                id=pool_id,
                token0=f.text("token0"),
                token1=f.text("token1"),
                fee=f.integer("fee"),
                tick_spacing=f.integer("tick_spacing"),
                sqrt_price_x96=f.integer("sqrt_price_x96"),
                liquidity=f.integer("liquidity"),
                tick=f.integer("tick"),
                ticks=tuple(parsed),
                window=window,
            )
        if kind == "stable":
            return StablePool(
                id=pool_id,
                tokens=f.texts("tokens"),
                balances=f.integers("balances"),
                rates=f.integers("rates"),
                amp=f.integer("amp"),
                fee=f.integer("fee"),
            )
    except (DexError, UsageError) as exc:
        if str(exc).startswith("pools file:"):
            raise
        raise UsageError(f"pools file: {f.where}: {exc}") from exc
    raise f.fail("kind", f"must be 'v2', 'v3' or 'stable', got {kind!r}")


def parse_pools(document: Any) -> list[Pool]:
    """The pools of a parsed pools-file document; ``UsageError`` naming the bad field."""
    if not isinstance(document, dict) or not isinstance(document.get("pools"), list):
        raise UsageError('pools file: expected an object {"pools": [...]}')
    pools = [_parse_one(raw, f"pool #{n}") for n, raw in enumerate(document["pools"])]
    seen: set[str] = set()
    for pool in pools:
        if pool.id in seen:
            raise UsageError(f"pools file: pool id '{pool.id}' appears twice")
        seen.add(pool.id)
    return pools


def load_pools(path: Path | str) -> list[Pool]:
    """Read and validate a pools file."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"pools file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read pools file {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"pools file {path} is not JSON: {exc}") from None
    return parse_pools(document)


def pool_to_json(pool: Pool) -> dict[str, Any]:
    """One pool as a pools-file object (integers as decimal strings)."""
    if isinstance(pool, V2Pool):
        return {
            "id": pool.id,
            "kind": "v2",
            "token0": pool.token0,
            "token1": pool.token1,
            "reserve0": str(pool.reserve0),
            "reserve1": str(pool.reserve1),
            "fee_bps": str(pool.fee_bps),
        }
    if isinstance(pool, V3Pool):
        window = {} if pool.window is None else {"window": [str(t) for t in pool.window]}
        return window | {
            "id": pool.id,
            "kind": "v3",
            "token0": pool.token0,
            "token1": pool.token1,
            "fee": str(pool.fee),
            "tick_spacing": str(pool.tick_spacing),
            "sqrt_price_x96": str(pool.sqrt_price_x96),
            "liquidity": str(pool.liquidity),
            "tick": str(pool.tick),
            "ticks": [
                {"index": str(t.index), "liquidity_net": str(t.liquidity_net)} for t in pool.ticks
            ],
        }
    if isinstance(pool, StablePool):
        return {
            "id": pool.id,
            "kind": "stable",
            "tokens": list(pool.tokens),
            "balances": [str(b) for b in pool.balances],
            "rates": [str(r) for r in pool.rates],
            "amp": str(pool.amp),
            "fee": str(pool.fee),
        }
    raise UsageError(f"pool {pool.id}: no pools-file form for {type(pool).__name__}")


def dump_pools(pools: Sequence[Pool], path: Path | str) -> None:
    """Write ``pools`` as a pools file."""
    document = {"pools": [pool_to_json(p) for p in pools]}
    Path(path).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
