"""The pools file: round trip, and one clear error naming the pool and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rexos.dex import dump_pools, load_pools, parse_pools, synthetic_pools
from rexos.errors import UsageError


def test_round_trip_keeps_every_pool(tmp_path: Path) -> None:
    pools = synthetic_pools(30, n_tokens=8, seed=4)
    assert {"V2Pool", "V3Pool"} <= {type(p).__name__ for p in pools}
    path = tmp_path / "pools.json"
    dump_pools(pools, path)
    assert load_pools(path) == pools
    raw = json.loads(path.read_text())
    first = raw["pools"][0]
    assert all(isinstance(v, str) for k, v in first.items() if k not in ("ticks", "tokens"))


V2 = {
    "id": "p",
    "kind": "v2",
    "token0": "A",
    "token1": "B",
    "reserve0": "10",
    "reserve1": "20",
    "fee_bps": "30",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reserve0": 1.5}, "pool 'p': 'reserve0' must be an integer"),
        ({"reserve0": "1e3"}, "pool 'p': 'reserve0' must be an integer"),
        ({"fee_bps": True}, "pool 'p': 'fee_bps' must be an integer"),
        ({"kind": "v4"}, "'kind' must be 'v2', 'v3' or 'stable'"),
        ({"token1": ""}, "'token1' must be a non-empty string"),
        ({"reserve1": "-5"}, "pool 'p'"),
        ({"fee_bps": "10000"}, "pool 'p'"),
    ],
)
def test_bad_fields_are_named(change: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_pools({"pools": [{**V2, **change}]})


def test_missing_fields_and_bad_documents() -> None:
    without = {k: v for k, v in V2.items() if k != "reserve1"}
    with pytest.raises(UsageError, match="'reserve1' is missing"):
        parse_pools({"pools": [without]})
    with pytest.raises(UsageError, match="appears twice"):
        parse_pools({"pools": [V2, V2]})
    with pytest.raises(UsageError, match=r'expected an object \{"pools"'):
        parse_pools([V2])
    with pytest.raises(UsageError, match="ticks"):
        parse_pools(
            {
                "pools": [
                    {
                        "id": "q",
                        "kind": "v3",
                        "token0": "A",
                        "token1": "B",
                        "fee": "3000",
                        "tick_spacing": "60",
                        "sqrt_price_x96": str(2**96),
                        "liquidity": "0",
                        "tick": "0",
                        "ticks": "none",
                    }
                ]
            }
        )


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        load_pools(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(UsageError, match="is not JSON"):
        load_pools(bad)
