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
DEV5_FROZEN = {
    "requests": ("d25aa23f3b307239189840d3a46410494d351ad9dbccde8af57e4fd34c272c7b", 256),
    "tokens": ("26a2a18eeef197df9906f7ea2e33201bcdcd925f1d24ca595b3dd24f144a70d7", 145),
}
"""The fifth blind set's test half (commit 52a9a03, frozen on arrival): scored only."""
DEV6_FROZEN = {
    "requests": ("a9d5c32d602b4b417c3c04a156813ef64deb992a0e42f067a382758fba8017c7", 265),
    "tokens": ("4eea1a1a7df2388ca43b80bb1716528bbb9877d5f74e62f13c338e334b8e1384", 136),
}
"""The sixth blind set's test half (commit ac330ca, frozen on arrival): scored only."""
DEV7_FROZEN = {
    "requests": ("e41b82d2317f93b0e805c617306d374d335d0e7273de71c59632e243dc530850", 198),
    "tokens": ("70014fff5760a0a0b7627cc417d7bdf1432133c11cd7d7aadf9002364f8a5376", 62),
}
"""The seventh blind set's test half (commit eb2b208, frozen on arrival): scored only."""
DEV8_FROZEN = {
    "requests": ("c1955db14f0a73aea9019a08cfc45c78378221936a7fa6f73b644aa9417c3bc8", 203),
    "tokens": ("dc37f90c6afd2873e2e5d53535ef210b02593cf6d9e32731ec06971480b32539", 70),
}
"""The eighth blind set's test half (commit 3f2ddde, frozen on arrival): scored only."""


def test_the_later_sets_test_halves_are_unchanged() -> None:
    later = (("dev4", DEV4_FROZEN), ("dev5", DEV5_FROZEN), ("dev6", DEV6_FROZEN),
             ("dev7", DEV7_FROZEN), ("dev8", DEV8_FROZEN))  # fmt: skip
    for folder, frozen in later:
        for name, (sha, count) in frozen.items():
            path = HERE / folder / f"{name}.yaml"
            items = yaml.safe_load(path.read_text(encoding="utf-8"))
            test = [i for i in items if half_of(str(i["text"])) == "test"]
            assert (digest(test), len(test)) == (sha, count), f"{path}'s test half was edited"


def test_the_sets_are_as_large_as_the_issue_asks() -> None:
    assert len(load("requests")) >= 400
    assert len(load("tokens")) >= 200
    texts = [item["text"] for item in load("requests")]
    assert len(texts) == len(set(texts))
