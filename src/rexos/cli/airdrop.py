"""``rexos airdrop``: the community airdrop, from the draft list to the last claim.

* ``draft``: a snapshot under the eligibility rules (signed inputs, on-chain facts at the
  block of the snapshot date) and the sybil filter over the chain's transfers: the draft
  list, with the evidence for every excluded address, to publish before the appeal window;
* ``build``: the final list (the draft after its appeal window, upheld appeals restored; or
  a CSV of ``address,amount``) as an OpenZeppelin-standard Merkle tree, and on a devnet its
  distributor deployed and funded;
* ``check ADDRESS``: what an address may claim (or why it was excluded), and whether it did;
* ``claim``, ``bind``, ``sweep``: a wallet's transactions, signed through the Wallet agent's
  gateway like every other command's.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rexos.cli.console import out, rex
from rexos.cli.context import CliContext
from rexos.cli.group import Group
from rexos.cli.options import PassphraseEnv, PassphraseFile, WalletOpt, YesOpt
from rexos.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from rexos.airdrop.distributor import Distributor
    from rexos.airdrop.tree import AirdropTree
    from rexos.types import Address

__all__ = ["app"]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="The community airdrop: draft the list, build its tree, check, claim, sweep.",
    no_args_is_help=True,
)

DAY = 86_400
CLAIM_DAYS_DEFAULT = 90

RulesOpt = Annotated[
    Path | None,
    typer.Option("--rules", help="Eligibility rules (TOML); default: the seed's rules."),
]
TreeOpt = Annotated[
    Path | None,
    typer.Option("--file", help="The airdrop file; default: the data directory's for this chain."),
]


def _date(text: str) -> int:
    """``YYYY-MM-DD`` (midnight UTC) or unix seconds."""
    value = text.strip()
    if value.isdigit():
        return int(value)
    try:
        return int(datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC).timestamp())
    except ValueError:
        raise UsageError(f"not a date: {text!r} (YYYY-MM-DD or unix seconds)") from None


def _when(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _now(c: CliContext) -> int:
    return int(c.chain().web3.eth.get_block("latest")["timestamp"])


def _file(c: CliContext, given: Path | None) -> Path:
    from rexos.airdrop.tree import tree_path

    return given or tree_path(c.settings.home, int(c.chain().web3.eth.chain_id))


def _draft_file(c: CliContext) -> Path:
    return c.settings.home / "airdrop" / f"draft-{int(c.chain().web3.eth.chain_id)}.json"


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no {what} at {path}") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: not a {what}: {exc}") from exc


# ---------------------------------------------------------------- the operator's commands


@app.command("draft")
def draft(
    ctx: typer.Context,
    date: Annotated[str, typer.Option("--date", help="Snapshot date: YYYY-MM-DD or unix.")],
    inputs: Annotated[
        list[str],
        typer.Option("--input", help="NAME=FILE for each signed input the rules name."),
    ],
    rules: RulesOpt = None,
    method: Annotated[
        str, typer.Option(help="On-chain facts by 'archive' reads or transfer 'replay'.")
    ] = "archive",
    output: Annotated[Path | None, typer.Option("--out", help="Where to write the draft.")] = None,
    since: Annotated[
        int,
        typer.Option(
            "--since-block",
            min=0,
            help="First block whose transfers the sybil filter reads (every block up to the "
            "snapshot is read from here: on a long chain, start where the claimants' history "
            "starts).",
        ),
    ] = 0,
) -> None:
    """Snapshot, eligibility and sybil filter: the draft list to publish, with evidence."""
    from rexos.airdrop.eligibility import draft as make_draft
    from rexos.airdrop.rules import load_rules
    from rexos.airdrop.snapshot import take_snapshot
    from rexos.airdrop.transfers import eth_transfers, token_transfers
    from rexos.private_files import write_private_file

    c: CliContext = ctx.obj
    if method not in ("archive", "replay"):
        raise UsageError(f"--method is 'archive' or 'replay', not {method!r}")
    paths: dict[str, Path] = {}
    for item in inputs:
        name, sep, file = item.partition("=")
        if not sep or not name or not file:
            raise UsageError(f"--input takes NAME=FILE, not {item!r}")
        paths[name.strip()] = Path(file)
    loaded = load_rules(rules)
    web3 = c.chain().web3
    snap = take_snapshot(web3, loaded, _date(date), paths, method=method)  # type: ignore[arg-type]
    rex_token = c.manifest().address("RexToken")
    if since > snap.block:
        raise UsageError(f"--since-block {since} is after the snapshot's block {snap.block}")
    moves = [
        *eth_transfers(web3, since, snap.block),
        *token_transfers(web3, rex_token, snap.block, from_block=since),
    ]
    made = make_draft(snap, loaded, moves, now=_now(c))
    path = output or _draft_file(c)
    write_private_file(path, (json.dumps(made.to_json(), indent=1) + "\n").encode())
    tiers: dict[str, int] = {}
    for entry in made.entries:
        tiers[entry.tier] = tiers.get(entry.tier, 0) + 1
    shown = ", ".join(f"{n} {t}" for t, n in sorted(tiers.items())) or "none"
    out.print(f"Snapshot at block {snap.block}: {len(made.entries)} eligible ({shown}), "
              f"{len(made.excluded)} excluded by the sybil filter in "
              f"{len(made.clusters)} clusters; {rex(made.total)} allocated.",
              soft_wrap=True)  # fmt: skip
    out.print(f"Draft written to {path}: publish it; appeals are open until "
              f"{_when(made.appeal_deadline)}.", soft_wrap=True)  # fmt: skip


def _final_list(
    c: CliContext, source: Path, rules: Path | None, appeals: Path | None
) -> list[tuple[Address, int]]:
    """``(address, amount)`` from a draft (finalized now) or from an ``address,amount`` CSV."""
    if source.suffix.lower() == ".csv":
        if appeals is not None:
            raise UsageError("--appeals goes with a draft, not with a final CSV")
        return _csv_list(source)
    from rexos.airdrop.eligibility import finalize
    from rexos.airdrop.published import load_appeals, load_draft
    from rexos.airdrop.rules import load_rules

    made = load_draft(_read_json(source, "draft list"), load_rules(rules))
    decided = [] if appeals is None else load_appeals(_read_json(appeals, "appeals file"))
    return finalize(made, decided, _now(c))


def _csv_list(path: Path) -> list[tuple[Address, int]]:
    from rexos.types import parse_address

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [h.strip().lower() for h in rows[0]] != ["address", "amount"]:
        raise ConfigError(f"{path}: the header must be address,amount (amount in REX wei)")
    found = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 2 or not row[1].strip().isdigit():
            raise ConfigError(f"{path}: row {number}: address and a whole number of wei")
        found.append((parse_address(row[0].strip()), int(row[1].strip())))
    return found


@app.command("build")
def build(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="The draft (JSON) or a final address,amount CSV.")],
    rules: RulesOpt = None,
    appeals: Annotated[
        Path | None, typer.Option(help="Decided appeals (JSON) for the draft.")
    ] = None,
    days: Annotated[int, typer.Option(min=1, max=3650, help="Days claims stay open.")] = (
        CLAIM_DAYS_DEFAULT
    ),
    deploy: Annotated[
        bool, typer.Option(help="On a devnet, deploy and fund the distributor too.")
    ] = True,
) -> None:
    """The final list as a Merkle tree; on a devnet, its distributor deployed and funded."""
    from rexos.airdrop.launch import devnet_roles, launch, with_airdrop
    from rexos.airdrop.tree import AirdropTree
    from rexos.chain import save_manifest

    c: CliContext = ctx.obj
    web3 = c.chain().web3
    final = _final_list(c, source, rules, appeals)
    tree = AirdropTree.build(int(web3.eth.chain_id), final, _now(c) + days * DAY)
    path = _file(c, None)
    if deploy:
        manifest = c.manifest()
        treasury, bucket = devnet_roles(web3, manifest)
        tree = launch(web3, manifest, tree, treasury, bucket)
        save_manifest(c.settings.deployments_dir, with_airdrop(manifest, tree, path.name))
    tree.save(path)
    out.print(
        f"{len(tree)} allocations, {rex(tree.total)} in all; root {tree.root}.", soft_wrap=True
    )
    if tree.distributor is not None:
        out.print(f"Distributor {tree.distributor}, funded; claims open until "
                  f"{_when(tree.deadline)}.", soft_wrap=True)  # fmt: skip
    out.print(f"Airdrop file: {path}", soft_wrap=True)


# ---------------------------------------------------------------- anyone's commands


def _deployed(c: CliContext, file: Path | None) -> tuple[AirdropTree, Distributor]:
    from rexos.airdrop.distributor import Distributor
    from rexos.airdrop.tree import AirdropTree

    tree = AirdropTree.load(_file(c, file))
    if tree.distributor is None:
        raise UsageError("this airdrop has no distributor yet (`rexos airdrop build`)")
    known = c.manifest().contracts.get("RexAirdrop")
    if known is not None and known.lower() != tree.distributor.lower():
        raise UsageError(
            f"the airdrop file names distributor {tree.distributor}, but this deployment's is "
            f"{known}: use the deployment's airdrop file"
        )
    return tree, Distributor(c.chain().web3, tree.distributor)


@app.command("check")
def check(
    ctx: typer.Context,
    address: Annotated[str, typer.Argument(help="An address or a keystore wallet name.")],
    file: TreeOpt = None,
) -> None:
    """What ADDRESS may claim and whether it did, or why the draft excluded it."""
    c: CliContext = ctx.obj
    who = c.address_of(address)
    tree, dist = _deployed(c, file)
    found = tree.allocation(who)
    if found is None:
        out.print(
            f"{who} has no allocation in this airdrop ({len(tree)} addresses).", soft_wrap=True
        )
        _excluded(c, who)
        return
    claimed = dist.is_claimed(found.index)
    to = dist.delivery_of(who)
    state = "claimed." if claimed else f"not claimed; open until {_when(tree.deadline)}."
    out.print(f"{who}: {rex(found.amount)} (allocation {found.index}), {state}", soft_wrap=True)
    if to != who:
        out.print(f"Delivered to {to} when someone else sends the claim (bound).", soft_wrap=True)


def _excluded(c: CliContext, who: str) -> None:
    path = _draft_file(c)
    if not path.exists():
        return
    data = _read_json(path, "draft list")
    for item in data.get("excluded", []):
        if str(item.get("address", "")).lower() == who.lower():
            evidence = item.get("evidence", {})
            closes = _when(int(data.get("appeal_deadline", 0)))
            out.print(f"The draft excluded it: it lost {', '.join(item.get('lost', []))} as part "
                      f"of cluster {evidence.get('cluster_id')} of {evidence.get('size')} "
                      f"addresses (the evidence is in the draft; appeals close at {closes}).",
                      soft_wrap=True)  # fmt: skip


@app.command("claim")
def claim(
    ctx: typer.Context,
    wallet: WalletOpt,
    stake: Annotated[bool, typer.Option("--stake", help="Stake it into sREX at once.")] = False,
    file: TreeOpt = None,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Claim the wallet's allocation (or claim and stake it, in one transaction)."""
    c: CliContext = ctx.obj
    tree, dist = _deployed(c, file)
    who = c.address_of(wallet)
    found = tree.allocation(who)
    if found is None:
        raise UsageError(f"{who} has no allocation in this airdrop")
    if stake:
        call = dist.claim_and_stake_call(found.index, found.amount, list(found.proof))
    else:
        call = dist.claim_call(found.index, who, found.amount, list(found.proof))
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    receipt = signer.send(call, action="claim the airdrop")
    done = "claimed and staked into sREX" if stake else "claimed"
    out.print(f"{rex(found.amount)} {done} (tx {receipt.tx_hash}).", soft_wrap=True)


@app.command("bind")
def bind(
    ctx: typer.Context,
    to: Annotated[str, typer.Argument(help="Where claims sent by others deliver (or 'self').")],
    wallet: WalletOpt,
    file: TreeOpt = None,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Have claims that others send for this wallet (an exchange, a relayer) pay TO."""
    c: CliContext = ctx.obj
    _, dist = _deployed(c, file)
    who = c.address_of(wallet)
    target = who if to == "self" else c.address_of(to)
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    signer.send(dist.bind_call(target), action="bind the airdrop's delivery")
    out.print(f"Claims sent by others for {who} now pay {target}.", soft_wrap=True)


@app.command("sweep")
def sweep(
    ctx: typer.Context,
    wallet: WalletOpt,
    file: TreeOpt = None,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """After the deadline, send what is left to the treasury (anyone may)."""
    c: CliContext = ctx.obj
    _, dist = _deployed(c, file)
    left = dist.facts()
    call = dist.sweep_call()
    c.gateway(wallet, passphrase_file, passphrase_env, yes).send(call, action="sweep the airdrop")
    out.print(f"Swept {rex(left.balance)} to the treasury {left.treasury}.", soft_wrap=True)
