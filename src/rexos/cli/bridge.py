"""``rexos bridge TOKEN AMOUNT --to CHAIN``: move tokens between the devnet's two chains, or
compare the bridges that could move them between real chains.

Between ``devnet`` and ``devnet-b`` the transfer goes through RexBridge (lock-and-mint,
delivered by the relayer that ``rexos devnet up`` starts): quote → confirm → approve → send
→ wait for the delivery. Between real chains (``--from ethereum --to arbitrum``) it asks
LI.FI, Across and Bungee for quotes and ranks them by one utility with the breakdown;
nothing is signed.
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import nullcontext
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from rexos.cli.console import confirm, out
from rexos.cli.context import CliContext
from rexos.cli.options import PassphraseEnv, PassphraseFile
from rexos.errors import InsufficientBalance, UsageError
from rexos.types import display_units, format_units, parse_address, parse_units

if TYPE_CHECKING:
    from rexos.chain import Manifest

__all__ = ["bridge", "register"]


def _decimal(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise UsageError(f"{what} must be a number, got {text!r}") from None
    if not value.is_finite() or value < 0:
        raise UsageError(f"{what} must be a non-negative number, got {text!r}")
    return value


# ------------------------------------------------------------------ devnet


def _devnet_bridge(
    c: CliContext,
    token: str,
    amount: str,
    src_name: str,
    dst_name: str,
    wallet: str | None,
    recipient: str | None,
    yes: bool,
    timeout: float,
    passphrase_file: PassphraseFile,
    passphrase_env: PassphraseEnv,
) -> None:
    from rexos.bridges import BridgeError
    from rexos.bridges.lockmint import RexBridge, devnet_token
    from rexos.chain import ChainClient, load_artifact
    from rexos.chain.devnet import DEVNET_NAMES

    if src_name not in DEVNET_NAMES:
        raise UsageError(f"--from {src_name}: the devnet bridge connects devnet and devnet-b")
    if src_name == dst_name:
        raise UsageError(f"source and destination are both {src_name}")
    if wallet is None:
        raise UsageError("--wallet is required to bridge on the devnet")
    ends: dict[str, tuple[ChainClient, Manifest]] = {
        "devnet": (c.chain(), c.manifest()),
        "devnet-b": c.peer(),
    }
    (src_chain, src_m), (dst_chain, dst_m) = ends[src_name], ends[dst_name]
    src_token = devnet_token(src_m, token, src_name)
    dst_token = devnet_token(dst_m, token, dst_name)
    erc20 = load_artifact("DevToken").abi
    src_erc20 = src_chain.web3.eth.contract(address=src_token, abi=erc20)
    dst_erc20 = dst_chain.web3.eth.contract(address=dst_token, abi=erc20)
    decimals = int(src_erc20.functions.decimals().call())
    symbol = str(src_erc20.functions.symbol().call())
    wei = parse_units(amount, decimals)
    owner = c.address_of(wallet)
    to = parse_address(recipient) if recipient else owner
    balance = int(src_erc20.functions.balanceOf(owner).call())
    if balance < wei:
        raise InsufficientBalance(
            f"{wallet} holds {display_units(balance, decimals)} {symbol} on {src_name}, "
            f"less than {amount}"
        )
    if int(src_chain.web3.eth.get_balance(owner)) == 0:
        raise InsufficientBalance(
            f"{wallet} has no ETH for gas on {src_name}: `rexos devnet fund {wallet}`"
        )
    src = RexBridge(src_chain.web3, src_m.address("RexBridge"))
    dst = RexBridge(dst_chain.web3, dst_m.address("RexBridge"))
    locks = src_token != dst_token and not bool(src.contract.functions.isBridged(src_token).call())
    threshold = int(dst.contract.functions.threshold().call())
    out.print(f"Bridge {format_units(wei, decimals)} {symbol}: {src_name} → {dst_name}")
    out.print(
        "route        RexBridge lock-and-mint ("
        + (
            f"locks on {src_name}, mints on {dst_name})"
            if locks
            else f"burns on {src_name}, "
            f"{'releases' if dst_name == 'devnet' else 'mints'} on {dst_name})"
        )
    )
    out.print(f"you receive  {format_units(wei, decimals)} {symbol} at {to} (no bridge fee)")
    out.print(
        f"trust        multisig: each delivery needs {threshold} relayer signature"
        f"{'s' if threshold != 1 else ''} (the RexBridge committee)"
    )
    confirm("Bridge?", yes, "rerun with --yes to bridge without a prompt")
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes, peer=src_name == "devnet-b")
    before = int(dst_erc20.functions.balanceOf(to).call())
    transfer, receipt = src.send(signer, src_token, wei, dst.chain_id, to)
    out.print(f"Sent: transfer {transfer.src_chain_id}/{transfer.nonce} (tx {receipt.tx_hash}).")
    deadline = time.monotonic() + timeout
    with out.status(f"Waiting for the relayer to deliver on {dst_name}..."):
        while not dst.is_delivered(transfer.src_chain_id, transfer.nonce):
            if time.monotonic() > deadline:
                raise BridgeError(
                    f"transfer {transfer.src_chain_id}/{transfer.nonce} was sent but not "
                    f"delivered within {timeout:g} s: is the relayer running? "
                    "(`rexos relayer run`; it delivers late transfers too)"
                )
            time.sleep(0.2)
    after = int(dst_erc20.functions.balanceOf(to).call())
    out.print(
        f"[green]Delivered[/] on {dst_name}: {to} received "
        f"{format_units(after - before, decimals)} {symbol} "
        f"(balance {format_units(after, decimals, 6)})."
    )


# ---------------------------------------------------------- recommendation


def _usd(value: Decimal) -> str:
    return f"${value.quantize(Decimal('0.01')):,}"


def _recommend(
    c: CliContext,
    token: str,
    amount: str,
    src_name: str,
    dst_name: str,
    address: str | None,
    wallet: str | None,
    price_usd: str | None,
    value_of_time: str,
    as_json: bool,
) -> None:
    from rexos.bridges.recommend import explain, recommend

    price = None if price_usd is None else _decimal(price_usd, "--price-usd")
    if address is not None:
        sender = str(parse_address(address))
    elif wallet is not None:
        sender = str(c.address_of(wallet))
    else:
        raise UsageError("pass --address (or --wallet): bridge APIs quote for a sender")
    with out.status("Asking the bridge APIs...") if not as_json else nullcontext():
        found = recommend(c.settings, token, amount, src_name, dst_name, sender, price,
                          _decimal(value_of_time, "--value-of-time"))  # fmt: skip
    ranked, failed = found.ranked, found.unavailable
    src, dst = found.request.from_chain, found.request.to_chain
    if as_json:
        sys.stdout.write(json.dumps(found.to_json(), indent=2) + "\n")
        return
    tin_symbol, tout_symbol = token.upper(), found.symbol
    table = Table(
        title=f"Bridge {amount} {tin_symbol}: chain {src} → {dst} (best first)",
        title_justify="left",
    )
    for col in ("#", "bridge", "receive", "fees", "gas", "time", "trust", "penalty", "utility"):
        table.add_column(col, justify="left" if col in ("bridge", "trust") else "right")
    for n, r in enumerate(ranked, 1):
        q = r.quote
        table.add_row(
            str(n),
            f"{q.provider}/{q.route_name}",
            f"{format_units(q.amount_out, q.out_decimals, 4)} {tout_symbol}",
            _usd(q.fees_usd),
            _usd(r.gas_source_usd + r.gas_dest_usd),
            f"{q.duration_s // 60}m{q.duration_s % 60:02d}s",
            q.trust,
            _usd(r.trust_penalty_usd),
            _usd(r.utility_usd),
        )
    out.print(table)
    for name, why in failed.items():
        out.print(f"[yellow]{name} unavailable[/]: {why}")
    out.print(explain(ranked))
    out.print(
        "utility = received − gas on both chains − value of time × expected time − trust "
        "penalty. Nothing was signed: send with the winner's own app."
    )


def bridge(
    ctx: typer.Context,
    token: Annotated[str, typer.Argument(help="Token symbol, e.g. USDC, WETH, REX.")],
    amount: Annotated[str, typer.Argument(help="Amount in whole tokens.")],
    to: Annotated[
        str, typer.Option("--to", help="Destination: devnet-b / devnet, or a chain (arbitrum).")
    ],
    from_: Annotated[
        str | None,
        typer.Option("--from", help="Source chain (default: the other devnet chain, or ethereum)."),
    ] = None,
    wallet: Annotated[
        str | None, typer.Option("--wallet", "-w", help="Keystore wallet that sends.")
    ] = None,
    recipient: Annotated[
        str | None, typer.Option(help="Receiver on the destination (default: the sender).")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Bridge without asking.")] = False,
    timeout: Annotated[
        float, typer.Option(min=1, help="Seconds to wait for the devnet relayer.")
    ] = 60,
    address: Annotated[
        str | None, typer.Option(help="Sender address for real-chain quotes.")
    ] = None,
    price_usd: Annotated[
        str | None, typer.Option(help="USD price of the token (stablecoins: 1).")
    ] = None,
    value_of_time: Annotated[
        str, typer.Option(help="What an hour of waiting costs you, in USD.")
    ] = "10",
    as_json: Annotated[bool, typer.Option("--json", help="Print the ranking as JSON.")] = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Bridge TOKEN between the devnet's two chains, or rank the bridges between real chains."""
    from rexos.chain.devnet import DEVNET_NAMES

    c: CliContext = ctx.obj
    dst = to.strip().lower()
    if dst in DEVNET_NAMES:
        src = (from_ or ("devnet" if dst == "devnet-b" else "devnet-b")).strip().lower()
        _devnet_bridge(
            c,
            token,
            amount,
            src,
            dst,
            wallet,
            recipient,
            yes,
            timeout,
            passphrase_file,
            passphrase_env,
        )
        return
    _recommend(
        c,
        token,
        amount,
        from_ or "ethereum",
        dst,
        address,
        wallet,
        price_usd,
        value_of_time,
        as_json,
    )


def register(app: typer.Typer) -> None:
    app.command("bridge")(bridge)
