"""``rexos demo`` — the REX economy story on an in-process chain, in under a minute."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.panel import Panel
from rich.table import Table

from rexos.cli.console import out, rex
from rexos.cli.context import CliContext
from rexos.config import Settings, env_value
from rexos.types import Address, format_units

if TYPE_CHECKING:
    from rexos.economy.onchain import Economy

__all__ = ["register"]

USERS = ("alice", "bob", "carol")


def _chapter(title: str) -> None:
    out.rule(f"[bold cyan]{title}")


def _balances(economy: Economy, people: dict[str, Address]) -> Table:
    from rexos.economy.genesis import DAY

    table = Table("who", "REX", "sREX staked", "rewards", "AI points", "age (days)")
    for name, address in people.items():
        p = economy.position(address)
        table.add_row(
            name,
            format_units(p.rex_balance, 18, 2),
            format_units(p.staked, 18, 2),
            format_units(p.earned, 18, 2),
            format_units(p.points, 18, 0),
            f"{p.holding_age / DAY:.1f}" if p.staked else "-",
        )
    return table


def _vesting_table(economy: Economy) -> Table:
    block = int(economy.web3.eth.block_number)
    table = Table(
        "bucket", "allocation", "vested", "released", "releasable",
        caption=f"as of block {block:,}", caption_justify="left",
    )  # fmt: skip
    for row in economy.vesting_status():
        table.add_row(
            row.bucket,
            rex(row.allocation, 0),
            rex(row.vested, 0),
            rex(row.released, 0),
            rex(row.releasable, 0),
        )
    return table


def _supply(economy: Economy) -> tuple[int, int]:
    rex = economy.rex.functions
    return int(rex.totalSupply().call()), int(rex.totalBurned().call())


def _home_given(settings: Settings) -> bool:
    """Whether the data directory was chosen (``--home`` or ``REXOS_HOME``), not defaulted."""
    default = (Path.home() / ".rexos").expanduser()
    return env_value("REXOS_HOME") is not None or settings.home.expanduser() != default


def demo(ctx: typer.Context) -> None:
    """Walk through RexOS in-process: the economy, DPrompt, a split swap, the market, an airdrop.

    The in-process chain ends with the demo, so its deployment manifest goes to a temporary
    folder, unless a data directory is given (--home or REXOS_HOME): then it is kept there."""
    c: CliContext = ctx.obj
    if _home_given(c.settings):
        _story(c, c.settings.deployments_dir, kept=True)
        return
    with tempfile.TemporaryDirectory(prefix="rexos-demo-") as scratch:
        _story(c, Path(scratch) / "deployments", kept=False)


def _story(c: CliContext, deployments: Path, *, kept: bool) -> None:
    from rexos.chain import EmbeddedChain, Transactor, dev_account, save_manifest
    from rexos.cli.demo_airdrop import airdrop_chapter
    from rexos.cli.demo_dprompt import dprompt_chapter
    from rexos.cli.demo_market import market_chapter
    from rexos.cli.demo_swap import swap_chapter
    from rexos.deployment import deploy_dev
    from rexos.economy.genesis import DAY, load_genesis
    from rexos.economy.onchain import Economy
    from rexos.economy.preview import preview_unstake

    started = time.monotonic()
    genesis = load_genesis(None)
    out.print(Panel.fit("[bold]RexOS demo[/] — the REX token economy on an in-process EVM"))

    _chapter("1. Genesis")
    chain = EmbeddedChain()
    people = {name: Address(dev_account(i + 1).address) for i, name in enumerate(USERS)}
    with out.status("deploying...") as status:
        manifest = deploy_dev(
            chain,
            funded=list(people.values()),
            progress=lambda step: status.update(step),
        )
    path = save_manifest(deployments, manifest)
    economy = Economy(chain.web3, manifest)
    supply, _ = _supply(economy)
    out.print(f"REX supply {rex(supply, 0)}; sREX at {manifest.contracts['StakedRex']}.")
    out.print(
        f"Foundation reward stream: {rex(genesis.staking.foundation_stream_wei, 0)} "
        f"over {genesis.staking.foundation_stream_days} days."
    )
    out.print(_balances(economy, people))

    _chapter("2. Alice and Bob stake")
    signers = {n: Transactor(chain.web3, dev_account(i + 1)) for i, n in enumerate(USERS)}
    for name, amount in (("alice", 60_000), ("bob", 20_000)):
        receipt = economy.stake(signers[name], amount * 10**18)
        out.print(f"{name} stakes {amount:,} REX (gas {receipt.gas_used:,}).")

    _chapter("3. Forty days later")
    chain.time_travel(40 * DAY)
    out.print(_balances(economy, people))
    amount, _ = economy.claim(signers["bob"])
    out.print(f"bob claims {rex(amount, 2)} of staking rewards.")

    _chapter("4. Alice unstakes early")
    unstake_wei = 10_000 * 10**18
    preview = preview_unstake(economy, people["alice"], unstake_wei)
    out.print(
        f"Preview: unstaking 10,000 sREX at {preview.age_days:.0f} days costs "
        f"{rex(preview.deduction, 2)} ({preview.rate_bps / 100:g} %)."
    )
    _, burned_before = _supply(economy)
    outcome = economy.unstake(signers["alice"], unstake_wei)
    supply, burned_after = _supply(economy)
    out.print(
        f"alice receives {rex(outcome.received, 2)}; deduction {rex(outcome.deduction, 2)}: "
        f"{rex(outcome.burned, 2)} burned, {rex(outcome.deduction - outcome.burned, 2)} "
        f"to the reward pool."
    )
    out.print(
        f"Total burned {rex(burned_before, 2)} → {rex(burned_after, 2)}; "
        f"supply now {rex(supply, 2)}."
    )

    _chapter("5. Vesting at month 6 and month 12")
    now = economy.now()
    chain.time_travel(manifest.tge + 180 * DAY - now)
    out.print("[bold]Month 6[/] (cliff ends; linear release starts now, no jump):")
    out.print(_vesting_table(economy))
    chain.time_travel(180 * DAY)
    out.print("[bold]Month 12[/]:")
    out.print(_vesting_table(economy))
    shown = next(r for r in economy.vesting_status() if r.bucket == "team_advisors").releasable
    released, receipt = economy.release(signers["carol"], "team_advisors")
    out.print(
        f"team_advisors releases {rex(released, 0)} to the team in block {receipt.block_number:,} "
        f"(carol paid the gas): the table's {rex(shown, 0)} plus {rex(released - shown, 2)} "
        "that vested after the table's block."
    )

    _chapter("6. After the foundation stream: the reward pool funds the next epoch")
    staked = economy.staked.functions
    pool = int(staked.pendingRewards().call())
    Transactor(chain.web3, dev_account(0)).send(staked.poke(), action="poke")
    epoch = int(staked.epochDuration().call())
    streamed = int(staked.rewardRate().call()) * epoch
    to_pool = outcome.deduction - outcome.burned
    out.print(
        f"Epoch stream: {rex(streamed, 2)} over {epoch / DAY:g} days, the whole reward pool: "
        f"{rex(to_pool, 2)} of alice's deduction and {rex(pool - to_pool, 2)} of the "
        "foundation stream that accrued before anyone staked (a stream with no stakers is "
        f"recycled into the pool); {rex(int(staked.pendingRewards().call()), 2)} left pending."
    )

    _chapter("7. DPrompt: an AI answer on chain you can trust")
    dprompt_chapter(chain, manifest, c.settings, carol=3, bob=2)

    _chapter("8. SmartWallet: a split swap beats the best single pool")
    swap_chapter(chain, manifest, trader=1)

    _chapter("9. Studio and the Agent Market: publish, buy, run, settle, rate, get paid")
    market_chapter(chain, manifest, developer=3, buyer=2)

    _chapter("10. The community airdrop: a draft with its evidence, the tree, three claims")
    airdrop_chapter(chain, manifest, {name: i + 1 for i, name in enumerate(USERS)})

    from rexos.cli.demo_opml import opml_chapter

    _chapter("11. opML: a cheating provider loses the fraud-proof game on chain")
    opml_chapter(chain, manifest, carol=3)

    _chapter("Summary")
    supply, burned = _supply(economy)
    summary = Table("figure", "value")
    summary.add_row("REX total supply", rex(supply, 2))
    summary.add_row("REX burned", rex(burned, 2))
    summary.add_row("sREX staked", f"{format_units(int(staked.totalStaked().call()), 18, 2)} sREX")
    summary.add_row("reward reserve", rex(int(staked.rewardReserve().call()), 2))
    summary.add_row("rewards claimed", rex(int(staked.totalClaimed().call()), 2))
    out.print(summary)
    out.print(_balances(economy, people))
    _say_manifest(path, kept=kept)
    out.print(f"Done in {time.monotonic() - started:.1f} s.")


def _say_manifest(path: Path, *, kept: bool) -> None:
    if kept:
        out.print(f"Deployment manifest: {path}", soft_wrap=True)
    else:
        out.print(
            "Deployment manifest: written to a temporary folder and removed, as the in-process "
            "chain ends with the demo (--home DIR keeps it in DIR/deployments).",
            soft_wrap=True,
        )


def register(app: typer.Typer) -> None:
    """Attach ``demo`` to the top-level app."""
    app.command()(demo)
