"""The airdrop's eligibility rules: a versioned TOML file, read strictly.

``load_rules(path)`` reads a complete rules file (``None``: the packaged
``default_rules.toml``, the seed's rules) and returns :class:`Rules`. The file is not laid
over the defaults: what it says is the whole of the rules, so a criterion left out is gone.
Every problem (bad TOML, a missing, ill-typed or unknown key, a criterion naming a fact no
input gives, a tier naming an unknown criterion) is one ``ConfigError`` naming the file and
the key.

The model, in the file's order:

* ``[pool]``: ``mode = "split"`` shares ``pool_rex`` among the eligible pro rata by tier
  weight (exact integer wei, remainder by largest remainder, so the total is the pool);
  ``mode = "fixed"`` pays each tier's ``amount_rex`` per address, the pool a cap.
* ``[sybil]``: the cluster size cut, the sweep share, the appeal window, known services.
* ``[[inputs]]``: signed off-chain files (``kyc``, ``points``, ``token_tiers``) and the
  attester whose signature each must carry.
* ``[[onchain]]``: ERC-20 balances and ERC-721 holdings read at the snapshot block.
* ``[[criteria]]``: named conjunctions of conditions ``fact op value`` (``>`` or ``>=``);
  ``sybil_exempt`` marks the KYC criterion, which the sybil filter never removes.
* ``[[tiers]]``: highest first; an address takes the first tier one of whose criteria it
  holds.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from rexos._toml import Table, TomlReader, parse_toml
from rexos.errors import ConfigError, InvalidAddress
from rexos.types import Address, parse_address

__all__ = [
    "RULES_VERSION",
    "Condition",
    "Criterion",
    "InputSpec",
    "OnchainSpec",
    "Rules",
    "SybilRules",
    "Tier",
    "load_rules",
]

RULES_VERSION = 1
"""The rules-file version this module reads."""

Op = Literal[">", ">="]
InputKind = Literal["kyc", "points", "token_tiers"]
OnchainKind = Literal["erc20", "erc721"]
PoolMode = Literal["split", "fixed"]

_MODES: tuple[PoolMode, ...] = ("split", "fixed")
_INPUT_KINDS: tuple[InputKind, ...] = ("kyc", "points", "token_tiers")
_ONCHAIN_KINDS: tuple[OnchainKind, ...] = ("erc20", "erc721")
_OPS: tuple[Op, ...] = (">", ">=")
_NOUN = "airdrop rules"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_BPS = 10_000
_TOP = {"version", "name", "pool", "sybil", "inputs", "onchain", "criteria", "tiers"}


@dataclass(frozen=True, slots=True)
class Condition:
    """``fact op value``; a fact an address lacks counts as 0."""

    fact: str
    op: Op
    value: int

    def holds(self, facts: Mapping[str, int]) -> bool:
        have = facts.get(self.fact, 0)
        return have > self.value if self.op == ">" else have >= self.value


@dataclass(frozen=True, slots=True)
class Criterion:
    """A named criterion: every condition must hold."""

    name: str
    description: str
    conditions: tuple[Condition, ...]
    sybil_exempt: bool

    def holds(self, facts: Mapping[str, int]) -> bool:
        return all(c.holds(facts) for c in self.conditions)


@dataclass(frozen=True, slots=True)
class Tier:
    """A tier: its criteria (any one suffices), its weight (split) or amount in wei (fixed)."""

    name: str
    criteria: tuple[str, ...]
    weight: int
    amount: int


@dataclass(frozen=True, slots=True)
class InputSpec:
    """A signed off-chain input and the facts it gives."""

    name: str
    kind: InputKind
    attester: Address
    facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OnchainSpec:
    """A token contract read at the snapshot block.

    ``erc20``: fact ``fact`` is the balance in base units. ``erc721``: fact ``fact`` is the
    number of tokens held and ``{fact}_tier_{n}`` the number held of tier ``n``, a token's
    tier read from the ``token_tiers`` input ``tier_input`` or, where the contract gives it,
    from its view ``tier_function(uint256) returns (uint256)`` at the snapshot block."""

    name: str
    kind: OnchainKind
    contract: Address
    fact: str
    tiers: tuple[int, ...]
    tier_input: str | None
    tier_function: str | None = None

    def tier_fact(self, tier: int) -> str:
        return f"{self.fact}_tier_{tier}"


@dataclass(frozen=True, slots=True)
class SybilRules:
    """How clusters are found and cut, and how long appeals stay open."""

    max_cluster_size: int
    sweep_bps: int
    appeal_window: int
    known_services: frozenset[Address]


@dataclass(frozen=True, slots=True)
class Rules:
    """A whole rules file, validated. ``sha256`` is the hash of the file's bytes."""

    version: int
    name: str
    mode: PoolMode
    pool: int
    sybil: SybilRules
    inputs: tuple[InputSpec, ...]
    onchain: tuple[OnchainSpec, ...]
    criteria: tuple[Criterion, ...]
    tiers: tuple[Tier, ...]
    sha256: str

    def criterion(self, name: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.name == name:
                return criterion
        raise KeyError(name)

    def tier(self, name: str) -> Tier:
        for tier in self.tiers:
            if tier.name == name:
                return tier
        raise KeyError(name)

    def held(self, facts: Mapping[str, int]) -> tuple[str, ...]:
        """The names of the criteria ``facts`` meet, in the file's order."""
        return tuple(c.name for c in self.criteria if c.holds(facts))

    def tier_of(self, held: Set[str]) -> Tier | None:
        """The first tier one of whose criteria is in ``held``; ``None`` when none is."""
        for tier in self.tiers:
            if any(name in held for name in tier.criteria):
                return tier
        return None


def load_rules(path: Path | None = None) -> Rules:
    """Read the rules file at ``path`` (``None``: the packaged seed rules)."""
    if path is None:
        raw = resources.files("rexos.airdrop").joinpath("default_rules.toml").read_bytes()
        source = "default"
    else:
        source = str(path)
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise ConfigError(f"{_NOUN} {source}: cannot read: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{_NOUN} {source}: not UTF-8 text") from exc
    data = parse_toml(text, source, _NOUN)
    return _build(TomlReader(source, _NOUN), data, hashlib.sha256(raw).hexdigest())


def _build(r: TomlReader, data: Table, sha256: str) -> Rules:
    r.keys(data, "", _TOP)
    version = r.integer(data, "version", 0)
    if version != RULES_VERSION:
        r.fail("version", f"this RexOS reads rules version {RULES_VERSION}, got {version}")
    pool_table = r.table(data, "pool")
    r.keys(pool_table, "pool", {"mode", "pool_rex"})
    mode = r.choice(pool_table, "pool.mode", _MODES)
    pool = r.wei(pool_table, "pool.pool_rex")
    inputs = tuple(_input(r, t, f"inputs[{i}]") for i, t in enumerate(_array(r, data, "inputs")))
    onchain = tuple(
        _onchain(r, t, f"onchain[{i}]") for i, t in enumerate(_array(r, data, "onchain"))
    )
    _unique(r, "inputs", [s.name for s in inputs])
    _unique(r, "onchain", [s.name for s in onchain])
    kinds = {s.name: s.kind for s in inputs}
    for i, spec in enumerate(onchain):
        if spec.tier_input is not None and kinds.get(spec.tier_input) != "token_tiers":
            r.fail(f"onchain[{i}].tier_input", f"no token_tiers input named {spec.tier_input!r}")
    facts = _facts(r, inputs, onchain)
    criteria = tuple(
        _criterion(r, t, f"criteria[{i}]", facts) for i, t in enumerate(r.tables(data, "criteria"))
    )
    _unique(r, "criteria", [c.name for c in criteria])
    tiers = tuple(
        _tier(r, t, f"tiers[{i}]", mode, {c.name for c in criteria})
        for i, t in enumerate(r.tables(data, "tiers"))
    )
    if not tiers:
        r.fail("tiers", "at least one tier is needed")
    _unique(r, "tiers", [t.name for t in tiers])
    placed = {name for tier in tiers for name in tier.criteria}
    for i, criterion in enumerate(criteria):
        if criterion.name not in placed:
            r.fail(f"criteria[{i}]", f"criterion {criterion.name!r} is in no tier")
    return Rules(
        version=version,
        name=r.string(data, "name"),
        mode=mode,
        pool=pool,
        sybil=_sybil(r, r.table(data, "sybil")),
        inputs=inputs,
        onchain=onchain,
        criteria=criteria,
        tiers=tiers,
        sha256=sha256,
    )


def _array(r: TomlReader, data: Table, key: str) -> list[Table]:
    return r.tables(data, key) if key in data else []


def _unique(r: TomlReader, where: str, names: list[str]) -> None:
    for i, name in enumerate(names):
        if name in names[:i]:
            r.fail(f"{where}[{i}].name", f"duplicate name {name!r}")


def _address(r: TomlReader, table: Table, key: str) -> Address:
    text = r.string(table, key)
    try:
        return parse_address(text)
    except InvalidAddress as exc:
        r.fail(key, str(exc))


def _names(r: TomlReader, table: Table, key: str) -> tuple[str, ...]:
    value = table.get(key.rsplit(".", 1)[-1])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        r.fail(key, "must be a list of non-empty strings")
    return tuple(str(v) for v in value)


def _sybil(r: TomlReader, t: Table) -> SybilRules:
    r.keys(t, "sybil", {"max_cluster_size", "sweep_bps", "appeal_window_seconds", "known_services"})
    value = t.get("known_services")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        r.fail("sybil.known_services", "must be a list of addresses")
    services: set[Address] = set()
    for text in value:
        try:
            services.add(parse_address(str(text)))
        except InvalidAddress as exc:
            r.fail("sybil.known_services", str(exc))
    return SybilRules(
        max_cluster_size=r.integer(t, "sybil.max_cluster_size", 1),
        sweep_bps=r.integer(t, "sybil.sweep_bps", 1, _BPS),
        appeal_window=r.integer(t, "sybil.appeal_window_seconds", 0),
        known_services=frozenset(services),
    )


def _input(r: TomlReader, t: Table, key: str) -> InputSpec:
    r.keys(t, key, {"name", "kind", "attester", "facts"})
    kind = r.choice(t, f"{key}.kind", _INPUT_KINDS)
    if kind == "points":
        facts = _names(r, t, f"{key}.facts")
        if not facts:
            r.fail(f"{key}.facts", "a points input gives at least one fact")
        _unique(r, f"{key}.facts", list(facts))
        for fact in facts:
            if fact in {"address", "kyc"}:
                r.fail(f"{key}.facts", f"{fact!r} is not a points column")
    else:
        if "facts" in t:
            r.fail(f"{key}.facts", f"only a points input names facts, not a {kind} input")
        facts = ("kyc",) if kind == "kyc" else ()
    return InputSpec(
        name=r.string(t, f"{key}.name"),
        kind=kind,
        attester=_address(r, t, f"{key}.attester"),
        facts=facts,
    )


def _onchain(r: TomlReader, t: Table, key: str) -> OnchainSpec:
    r.keys(t, key, {"name", "kind", "contract", "fact", "tiers", "tier_input", "tier_function"})
    kind = r.choice(t, f"{key}.kind", _ONCHAIN_KINDS)
    tiers: tuple[int, ...] = ()
    tier_input: str | None = None
    tier_function: str | None = None
    tiered = {"tiers", "tier_input", "tier_function"} & set(t)
    if kind == "erc20" and tiered:
        r.fail(f"{key}.{min(tiered)}", "only an erc721 source has tiers")
    if tiered:
        raw = t.get("tiers")
        if not isinstance(raw, list) or not raw or not all(type(v) is int for v in raw):
            r.fail(f"{key}.tiers", "must be a non-empty list of integers")
        tiers = tuple(int(v) for v in raw)
        if ("tier_input" in t) == ("tier_function" in t):
            r.fail(key, "a tiered erc721 names exactly one of tier_input and tier_function")
        if "tier_input" in t:
            tier_input = r.string(t, f"{key}.tier_input")
        else:
            tier_function = r.string(t, f"{key}.tier_function")
            if not _IDENTIFIER.fullmatch(tier_function):
                r.fail(f"{key}.tier_function", f"not a Solidity function name: {tier_function!r}")
    return OnchainSpec(
        name=r.string(t, f"{key}.name"),
        kind=kind,
        contract=_address(r, t, f"{key}.contract"),
        fact=r.string(t, f"{key}.fact"),
        tiers=tiers,
        tier_input=tier_input,
        tier_function=tier_function,
    )


def _facts(
    r: TomlReader, inputs: tuple[InputSpec, ...], onchain: tuple[OnchainSpec, ...]
) -> set[str]:
    """Every fact the sources give; a fact given by two sources is an error."""
    given: list[tuple[str, str]] = [(f"inputs {s.name}", f) for s in inputs for f in s.facts]
    for spec in onchain:
        given.append((f"onchain {spec.name}", spec.fact))
        given.extend((f"onchain {spec.name}", spec.tier_fact(n)) for n in spec.tiers)
    seen: dict[str, str] = {}
    for source, fact in given:
        if fact in seen:
            r.fail(source, f"fact {fact!r} is already given by {seen[fact]}")
        seen[fact] = source
    return set(seen)


def _criterion(r: TomlReader, t: Table, key: str, facts: set[str]) -> Criterion:
    r.keys(t, key, {"name", "description", "sybil_exempt", "all"})
    conditions: list[Condition] = []
    for j, c in enumerate(r.tables(t, f"{key}.all")):
        where = f"{key}.all[{j}]"
        r.keys(c, where, {"fact", "op", "value"})
        fact = r.string(c, f"{where}.fact")
        if fact not in facts:
            r.fail(f"{where}.fact", f"no input or on-chain source gives fact {fact!r}")
        op = r.choice(c, f"{where}.op", _OPS)
        conditions.append(Condition(fact, op, r.integer(c, f"{where}.value", 0)))
    if not conditions:
        r.fail(f"{key}.all", "a criterion needs at least one condition")
    return Criterion(
        name=r.string(t, f"{key}.name"),
        description=r.string(t, f"{key}.description") if "description" in t else "",
        conditions=tuple(conditions),
        sybil_exempt=r.boolean(t, f"{key}.sybil_exempt") if "sybil_exempt" in t else False,
    )


def _tier(r: TomlReader, t: Table, key: str, mode: PoolMode, criteria: set[str]) -> Tier:
    r.keys(t, key, {"name", "any", "weight", "amount_rex"})
    names = _names(r, t, f"{key}.any")
    if not names:
        r.fail(f"{key}.any", "a tier needs at least one criterion")
    for name in names:
        if name not in criteria:
            r.fail(f"{key}.any", f"no criterion named {name!r}")
    if mode == "split":
        if "amount_rex" in t:
            r.fail(f"{key}.amount_rex", 'a "split" pool weighs tiers; use weight')
        return Tier(r.string(t, f"{key}.name"), names, r.integer(t, f"{key}.weight", 1), 0)
    if "weight" in t:
        r.fail(f"{key}.weight", 'a "fixed" pool pays amount_rex per tier; use amount_rex')
    return Tier(r.string(t, f"{key}.name"), names, 0, r.wei(t, f"{key}.amount_rex"))
