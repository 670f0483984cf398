"""The test halves of the blind evaluation sets are frozen: editing one fails here.

Digests taken at commit 6224e7c, when the sets were written and before any tuning. Only the
dev halves may be studied; the test halves are scored by ``benchmarks/understanding.py``.
"""

from __future__ import annotations

import yaml

from tests.eval.understanding.split import HERE, digest, half, half_of, load

FROZEN = {
    "requests": ("26bb07d3512fbd0614db3e021721ff5e9d7d0823d86a732089853e8444b74ac4", 243),
    "tokens": ("ea9c21793563c27d325ac98d44fcd307917957776d40b60f696e1a5e4802eab7", 135),
}


def test_the_test_halves_are_unchanged() -> None:
    for name, (sha, count) in FROZEN.items():
        test = half(name, "test")  # type: ignore[arg-type]
        assert (digest(test), len(test)) == (sha, count), f"{name}.yaml's test half was edited"


DEV4_FROZEN = {
    "requests": ("6444e656a983b24120dd2de8c7c5718bd08afdd14135d9dfcce692c2cdb27d8e", 249),
    "tokens": ("0d8b987079e88ff4e6f8c8757fc4a26f322a409cb5259dfc557856fc8a945c3a", 115),
}
"""The fourth blind set's test half (commit 0ab5756, frozen on arrival): scored only."""


def test_the_fourth_sets_test_half_is_unchanged() -> None:
    for name, (sha, count) in DEV4_FROZEN.items():
        items = yaml.safe_load((HERE / "dev4" / f"{name}.yaml").read_text(encoding="utf-8"))
        test = [i for i in items if half_of(str(i["text"])) == "test"]
        assert (digest(test), len(test)) == (sha, count), f"dev4/{name}.yaml's test half was edited"


def test_the_sets_are_as_large_as_the_issue_asks() -> None:
    assert len(load("requests")) >= 400
    assert len(load("tokens")) >= 200
    texts = [item["text"] for item in load("requests")]
    assert len(texts) == len(set(texts))
