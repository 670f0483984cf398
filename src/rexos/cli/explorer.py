"""``rexos history ADDRESS``: an address's transfers from the local index or an explorer API.

By default the Database agent's index (``$REXOS_HOME/index``, written by ``rexos index``) is
read, offline. ``--etherscan`` asks an Etherscan-compatible API (``REXOS_ETHERSCAN_URL``,
``REXOS_ETHERSCAN_API_KEY``) about a real chain instead.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from rexos.bounds import MAX_HISTORY
from rexos.cli.console import out
from rexos.cli.context import CliContext
from rexos.types import format_units

if TYPE_CHECKING:
    from rexos.explorer import ExplorerTx, LocalHistory, TokenTransfer

__all__ = ["history", "register"]


def _when(timestamp: int | None) -> str:
    if timestamp is None:
        return "?"
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _direction(who: str, sender: str, recipient: str | None) -> str:
    if sender == who and recipient == who:
        return "self"
    return "out" if sender == who else "in"


def _entry(when: int | None, direction: str, what: str, other: str | None, where: str) -> None:
    """Three lines per row: what moved, the other side, where to find it. Addresses and
    hashes are printed whole (they are what a user copies); token symbols as plain text."""
    side = {"in": "from", "out": "to", "self": "to"}[direction]
    out.print(Text(f"{_when(when)}  {direction:<4} {what}"), soft_wrap=True)
    out.print(f"  {side} {other or '(new contract)'}", soft_wrap=True, markup=False)
    out.print(f"  {where}", soft_wrap=True, markup=False, style="dim")


def _show_local(found: LocalHistory) -> None:
    if not found.chains:
        out.print("Nothing is indexed yet: run `rexos index` first.", markup=False)
        return
    if not found.transfers:
        chains = ", ".join(str(c.chain_id) for c in found.chains)
        out.print(f"No transfers of {found.address} in the index (chains {chains}).")
        return
    out.print(
        f"Transfers of {found.address}, newest first (local index):", markup=False, soft_wrap=True
    )
    for t in found.transfers:
        other = t.from_address if t.direction == "in" else t.to_address
        amount = format_units(t.amount, t.decimals) if t.decimals is not None else str(t.amount)
        where = f"tx {t.tx_hash} (chain {t.chain_id}, block {t.block})"
        _entry(t.timestamp, t.direction, f"{amount} {t.token_symbol}", other, where)


def _show_txs(who: str, chain_id: int, txs: list[ExplorerTx]) -> None:
    if not txs:
        out.print(f"No transactions of {who} on chain {chain_id}.")
        return
    out.print(
        f"Transactions of {who} on chain {chain_id}, newest first:", markup=False, soft_wrap=True
    )
    for tx in txs:
        direction = _direction(who, tx.from_address, tx.to_address)
        other = tx.from_address if direction == "in" else tx.to_address
        method = tx.method.split("(")[0]
        what = f"{format_units(tx.value)} ETH" + (f" {method}()" if method else "")
        what += " FAILED" if tx.failed else ""
        _entry(tx.timestamp, direction, what, other, f"tx {tx.hash} (block {tx.block})")


def _show_transfers(who: str, chain_id: int, transfers: list[TokenTransfer]) -> None:
    if not transfers:
        out.print(f"No token transfers of {who} on chain {chain_id}.")
        return
    out.print(
        f"Token transfers of {who} on chain {chain_id}, newest first:", markup=False, soft_wrap=True
    )
    for t in transfers:
        direction = _direction(who, t.from_address, t.to_address)
        other = t.from_address if direction == "in" else t.to_address
        amount = format_units(t.value, t.decimals) if t.decimals is not None else str(t.value)
        where = f"tx {t.hash} (block {t.block}, token {t.token})"
        _entry(t.timestamp, direction, f"{amount} {t.token_symbol}", other, where)


def history(
    ctx: typer.Context,
    address: Annotated[str, typer.Argument(help="Address (0x…) or keystore wallet name.")],
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=MAX_HISTORY, help="Most rows shown.")
    ] = 25,
    as_json: Annotated[bool, typer.Option("--json", help="Print the history as JSON.")] = False,
    etherscan: Annotated[
        bool,
        typer.Option(
            "--etherscan", help="Ask the Etherscan-compatible API about a real chain instead."
        ),
    ] = False,
    chain_id: Annotated[
        int | None,
        typer.Option(
            "--chain-id",
            min=1,
            help="Chain to read (index default: every indexed chain; --etherscan default: 1).",
        ),
    ] = None,
    tokens: Annotated[
        bool,
        typer.Option("--tokens", help="With --etherscan: ERC-20 transfers, not transactions."),
    ] = False,
) -> None:
    """An address's transfers, newest first: from the local index (`rexos index`), or with
    --etherscan from an Etherscan-compatible explorer API."""
    from rexos.explorer import EtherscanClient, local_history

    c: CliContext = ctx.obj
    who = c.address_of(address)
    if not etherscan:
        found = local_history(c.settings.home, who, chain_id=chain_id, limit=limit)
        if as_json:
            typer.echo(json.dumps(found.to_json(), indent=1))
        else:
            _show_local(found)
        return
    chain = chain_id or 1
    api = EtherscanClient(c.settings.etherscan_url, api_key=c.settings.etherscan_api_key)
    doc: dict[str, object] = {
        "address": who, "chain_id": chain, "source": "etherscan", "explorer": api.source,
    }  # fmt: skip
    if tokens:
        transfers = api.token_transfers(who, chain_id=chain, limit=limit)
        if not as_json:
            _show_transfers(who, chain, transfers)
        doc["transfers"] = [t.to_json() for t in transfers]
    else:
        txs = api.transactions(who, chain_id=chain, limit=limit)
        if not as_json:
            _show_txs(who, chain, txs)
        doc["transactions"] = [t.to_json() for t in txs]
    if as_json:
        typer.echo(json.dumps(doc, indent=1))


def register(app: typer.Typer) -> None:
    """Attach ``history`` to the top-level app."""
    app.command("history")(history)
