"""The policy as it is now, failing closed: edits apply at once, a broken file denies all,
and the daily cap is reserved atomically across processes."""

from __future__ import annotations

import multiprocessing
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from rexos.agents.wallet import PolicyEngine, WalletLedger, load_policy
from rexos.agents.wallet.engine import PlannedTx
from rexos.errors import ConfigError, RexosError
from rexos.locks import Locked, exclusive
from rexos.types import Address

ME = Address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
BOB = Address("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
USDC = Address("0x5FbDB2315678afecb367f032d93F642f64180aa3")
NOW = 1_800_000_000


def planned(usd: str = "100", **changes: object) -> PlannedTx:
    tx = PlannedTx(
        31337, ME, USDC, 0, b"\xa9\x05\x9c\xbb" + bytes(64), "transfer", "USDC", USDC,
        100 * 10**6, BOB, Decimal(usd), 50_000, "send 100 USDC",
    )  # fmt: skip
    return replace(tx, **changes)  # type: ignore[arg-type]


def live(tmp_path: Path, text: str) -> PolicyEngine:
    (tmp_path / "policy.yaml").write_text(text)
    return PolicyEngine(tmp_path / "policy.yaml", WalletLedger(tmp_path / "w.db"), tmp_path / "k")


def test_an_edit_to_the_policy_applies_to_the_next_decision(tmp_path: Path) -> None:
    e = live(tmp_path, "allow: {tokens: [USDC, REX]}\n")
    assert e.check(planned(), NOW).verdict == "confirm"
    (tmp_path / "policy.yaml").write_text("allow: {tokens: [REX]}\n")  # USDC just removed
    verdict = e.check(planned(), NOW)
    assert verdict.verdict == "deny" and "token USDC" in verdict.reason


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("per_tx_usd_cap: '10'\nper_tx_usd_cap: '100000'\n", "appears twice"),
        ("allow:\n  tokens: [REX]\n  tokens: []\n", "appears twice"),
        ("per_tx_usd_cap: [\n", "not valid YAML"),
        ("per_tx_usd_cpa: 10\n", "per_tx_usd_cpa"),
        ("- a list\n", "mapping"),
        ("allow: {actions: [teleport]}\n", "unknown action kinds"),
    ],
)
def test_a_broken_policy_denies_everything_with_one_line(
    tmp_path: Path, text: str, why: str
) -> None:
    e = live(tmp_path, "{}\n")
    assert e.check(planned(), NOW).verdict == "confirm"
    (tmp_path / "policy.yaml").write_text(text)
    verdict = e.check(planned(usd="1"), NOW)
    assert verdict.verdict == "deny"
    assert "policy is unusable" in verdict.reason and why in verdict.reason
    assert "\n" not in verdict.reason
    with pytest.raises(ConfigError, match=why):
        load_policy(tmp_path / "policy.yaml")


def test_an_unreadable_policy_denies(tmp_path: Path) -> None:
    e = live(tmp_path, "{}\n")
    (tmp_path / "policy.yaml").unlink()
    (tmp_path / "policy.yaml").mkdir()  # a folder where the file should be
    assert "cannot read the policy" in e.check(planned(), NOW).reason


def _reserve(home: str, key: str, start: object, results: object) -> None:
    engine = PolicyEngine(
        Path(home) / "policy.yaml", WalletLedger(Path(home) / "w.db"), Path(home) / "k"
    )
    start.wait()  # type: ignore[attr-defined]
    results.put(engine.reserve(planned("600"), key, NOW))  # type: ignore[attr-defined]


def test_two_processes_racing_for_the_last_of_the_cap_get_it_once(tmp_path: Path) -> None:
    live(tmp_path, "daily_usd_cap: '1000'\n")
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_reserve, args=(str(tmp_path), f"k{i}", start, results))
        for i in range(4)
    ]
    for proc in procs:
        proc.start()
    start.set()
    outcomes = [results.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    granted = [o for o in outcomes if o is None]
    assert len(granted) == 1  # $600 fits once under $1,000, whoever is first
    assert all("daily cap" in o for o in outcomes if o is not None)
    assert WalletLedger(tmp_path / "w.db").spent_last_day(NOW) == Decimal(600)


def _hold(lock: str, held: object, release: object) -> None:
    with exclusive(Path(lock), "signing for wallet 0xabc"):
        held.set()  # type: ignore[attr-defined]
        release.wait(60)  # type: ignore[attr-defined]


def test_one_signer_per_wallet_across_processes_and_threads(tmp_path: Path) -> None:
    lock = tmp_path / "signer.lock"
    ctx = multiprocessing.get_context("spawn")
    held, release = ctx.Event(), ctx.Event()
    other = ctx.Process(target=_hold, args=(str(lock), held, release))
    other.start()
    try:
        assert held.wait(60)
        with (
            pytest.raises(Locked, match=rf"in another process \(pid {other.pid}\)"),
            exclusive(lock, "signing for wallet 0xabc"),
        ):
            pass
    finally:
        release.set()
        other.join(60)
    outer = exclusive(lock, "signing for wallet 0xabc")
    outer.__enter__()
    try:
        with pytest.raises(Locked, match="already in progress in this process"):
            exclusive(lock, "signing for wallet 0xabc").__enter__()
    finally:
        outer.__exit__(None, None, None)
    with exclusive(lock, "signing for wallet 0xabc"):  # released: free again
        pass


@pytest.mark.parametrize("content", [b"", b"short", b"x" * 33])
def test_an_empty_or_wrong_length_confirmation_key_is_refused(
    tmp_path: Path, content: bytes
) -> None:
    (tmp_path / "k").write_bytes(content)
    with pytest.raises(RexosError, match="not a 32-byte key"):
        PolicyEngine(tmp_path / "policy.yaml", WalletLedger(tmp_path / "w.db"), tmp_path / "k")
    assert (tmp_path / "k").read_bytes() == content  # never overwritten


def test_a_new_confirmation_key_is_random_and_private(tmp_path: Path) -> None:
    PolicyEngine(tmp_path / "policy.yaml", WalletLedger(tmp_path / "w.db"), tmp_path / "k")
    PolicyEngine(tmp_path / "p2.yaml", WalletLedger(tmp_path / "w2.db"), tmp_path / "k2")
    assert len((tmp_path / "k").read_bytes()) == 32
    assert (tmp_path / "k").read_bytes() != (tmp_path / "k2").read_bytes()
    assert (tmp_path / "k").stat().st_mode & 0o777 == 0o600
