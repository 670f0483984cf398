"""The airdrop rules file: the seed's defaults, strict keys, thresholds as the seed writes them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rexos.airdrop.rules import RULES_VERSION, load_rules
from rexos.errors import ConfigError

DEFAULT = (
    Path(__file__).parents[3] / "src" / "rexos" / "airdrop" / "default_rules.toml"
).read_text("utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, "utf-8")
    return path


def test_the_default_rules_are_the_seeds() -> None:
    rules = load_rules()
    assert rules.version == RULES_VERSION == 1
    assert rules.mode == "split"
    assert rules.pool == 300_000_000 * 10**18
    assert [t.name for t in rules.tiers] == ["enhanced", "kyc", "basic"]
    assert [c.name for c in rules.criteria if c.sybil_exempt] == ["kyc"]
    dao = rules.criterion("dao")
    assert {(c.fact, c.op, c.value) for c in dao.conditions} == {
        ("dao_points", ">", 99),
        ("sbt_level", ">", 2),
    }
    assert rules.sybil.max_cluster_size == 20
    assert rules.sybil.appeal_window == 14 * 24 * 3600


@pytest.mark.parametrize(
    ("facts", "held"),
    [
        ({"loyalty_points": 499}, ()),
        ({"loyalty_points": 500}, ("loyalty",)),
        ({"dao_points": 100, "sbt_level": 2}, ()),
        ({"dao_points": 100, "sbt_level": 3}, ("dao",)),
        ({"dao_points": 99, "sbt_level": 3}, ()),
        ({"product_points": 1999}, ()),
        ({"product_points": 2000}, ("product",)),
        ({"premium_points": 0, "ai_points": 0}, ()),
        ({"premium_points": 1, "ai_points": 1}, ("premium", "ai")),
        ({"kyc": 1, "catto_tier_3": 1}, ("kyc", "catto_3star")),
        ({"catto": 2, "catto_tier_4": 1}, ("catto_4star",)),
    ],
)
def test_the_seeds_thresholds_are_strict(facts: dict[str, int], held: tuple[str, ...]) -> None:
    assert load_rules().held(facts) == held


@given(st.integers(min_value=0, max_value=10**6))
def test_loyalty_qualifies_exactly_above_499(points: int) -> None:
    assert ("loyalty" in load_rules().held({"loyalty_points": points})) == (points > 499)


def test_the_first_tier_held_wins() -> None:
    rules = load_rules()
    assert rules.tier_of({"kyc", "catto_4star"}) == rules.tier("enhanced")
    assert rules.tier_of({"kyc", "loyalty"}) == rules.tier("kyc")
    assert rules.tier_of({"ai"}) == rules.tier("basic")
    assert rules.tier_of(set()) is None


def test_the_rules_hash_is_the_files(tmp_path: Path) -> None:
    path = _write(tmp_path, DEFAULT)
    assert load_rules(path).sha256 == load_rules().sha256
    assert load_rules(_write(tmp_path, DEFAULT + "\n")).sha256 != load_rules().sha256


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("version = 1", "version = 2"), "version: this RexOS reads rules version 1, got 2"),
        (('name = "seed"', 'name = "seed"\ncolour = 1'), "colour: unknown key"),
        (('mode = "split"', 'mode = "even"'), "pool.mode: must be one of split, fixed"),
        (("max_cluster_size = 20", "max_cluster_size = 0"), "sybil.max_cluster_size: must be"),
        (("sweep_bps = 8_000", "sweep_bps = 10_001"), "sybil.sweep_bps: must be between"),
        (("known_services = []", 'known_services = ["0x12"]'), "sybil.known_services: not"),
        (('op = ">", value = 499', 'op = "<", value = 499'), "op: must be one of >, >="),
        (('fact = "loyalty_points"', 'fact = "loyalty"'), "no input or on-chain source"),
        (("weight = 3", "amount_rex = 3"), "use weight"),
        (('any = ["kyc"]', 'any = ["kyc", "kcy"]'), "no criterion named 'kcy'"),
        (('name = "ai"', 'name = "premium"'), "duplicate name 'premium'"),
        (('tier_input = "catto_tiers"', 'tier_input = "points"'), "no token_tiers input"),
        (('fact = "catto"', 'fact = "catto"\nsymbol = "C"'), "onchain[0].symbol: unknown"),
        (
            ('tier_input = "catto_tiers"', 'tier_input = "catto_tiers"\ntier_function = "s"'),
            "exactly one of tier_input and tier_function",
        ),
        (('any = ["kyc"]', 'any = ["loyalty"]'), "criterion 'kyc' is in no tier"),
        (('"ai_points"]', '"ai_points", "kyc"]'), "'kyc' is not a points column"),
        (("value = 499", "value = -1"), "value: must be at least 0"),
        (("pool_rex = 300_000_000", "pool_rex = 0.0000000000000000001"), "decimal places"),
    ],
)
def test_a_bad_rules_file_is_one_clear_error(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    old, new = edit
    assert old in DEFAULT
    path = _write(tmp_path, DEFAULT.replace(old, new, 1))
    with pytest.raises(ConfigError, match=f"^airdrop rules {re.escape(str(path))}: ") as info:
        load_rules(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_fixed_pool_pays_amounts_per_tier(tmp_path: Path) -> None:
    text = (
        DEFAULT.replace('mode = "split"', 'mode = "fixed"')
        .replace("weight = 3", "amount_rex = 1500.5")
        .replace("weight = 2", "amount_rex = 1000")
        .replace("weight = 1", "amount_rex = 500")
    )
    rules = load_rules(_write(tmp_path, text))
    assert rules.tier("enhanced").amount == 1500_5 * 10**17
    assert rules.tier("basic").weight == 0


def test_a_fact_from_two_sources_is_refused(tmp_path: Path) -> None:
    text = DEFAULT + (
        '\n[[onchain]]\nname = "rex"\nkind = "erc20"\n'
        'contract = "0x0000000000000000000000000000000000000001"\nfact = "ai_points"\n'
    )
    with pytest.raises(ConfigError, match="fact 'ai_points' is already given by inputs points"):
        load_rules(_write(tmp_path, text))


def test_unreadable_and_non_toml_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_rules(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_rules(_write(tmp_path, "version = "))
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('name = "caf\xe9"'.encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_rules(bad)


def test_an_erc721_may_take_tiers_from_a_contract_view(tmp_path: Path) -> None:
    text = DEFAULT.replace('tier_input = "catto_tiers"', 'tier_function = "stars"')
    spec = load_rules(_write(tmp_path, text)).onchain[0]
    assert (spec.tier_function, spec.tier_input, spec.tiers) == ("stars", None, (3, 4))
    bad = text.replace('tier_function = "stars"', 'tier_function = "stars()"')
    with pytest.raises(ConfigError, match="not a Solidity function name"):
        load_rules(_write(tmp_path, bad))
