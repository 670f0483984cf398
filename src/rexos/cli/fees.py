"""``rexos fees services | quote SERVICE | pay SERVICE``: services priced in USD, paid in a
stablecoin, in REX at the discount (converted at the TWAP of the REX pools, never the spot
price) or with AI points, on the deployment's FeeRouter.

Every payment is signed through the Wallet agent's gateway, like every other command's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import typer

from rexos.cli.console import out, rex
from rexos.cli.context import CliContext
from rexos.cli.group import Group
from rexos.cli.options import PassphraseEnv, PassphraseFile, WalletOpt, YesOpt
from rexos.errors import UsageError
from rexos.types import format_units

if TYPE_CHECKING:
    from rexos.chain.tx import Receipt, Transactor
    from rexos.economy.desk import DeskClient
    from rexos.economy.fees import FeeClient, PayMethod
    from rexos.types import Address

__all__ = [
    "ServiceFee",
    "app",
    "desk_quote",
    "fee_client",
    "pay_method",
    "register",
    "service_fee",
    "usd",
]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="Fees for RexOS services: priced in USD, paid in a stablecoin, REX or AI points.",
    no_args_is_help=True,
)

ServiceArg = Annotated[str, typer.Argument(help="Service name, e.g. dprompt.request.")]


def fee_client(c: CliContext) -> FeeClient:
    """The deployment's FeeRouter client; one line when it has none."""
    from rexos.economy.fees import FeeClient

    manifest = c.manifest()
    if "FeeRouter" not in manifest.contracts:
        raise UsageError("this deployment has no FeeRouter (it is deployed with the DEX)")
    return FeeClient(c.chain().web3, manifest)


def pay_method(text: str) -> tuple[PayMethod, str]:
    """``--with`` read: ``("points", "")``, ``("rex", "")`` or ``("stable", SYMBOL)``."""
    word = text.strip()
    if word.lower() == "points":
        return "points", ""
    if word.upper() == "REX":
        return "rex", ""
    return "stable", word.upper()


@dataclass(frozen=True, slots=True)
class ServiceFee:
    """One use of a service, quoted before anything is signed, to pay later."""

    client: FeeClient
    service: str
    method: PayMethod
    symbol: str
    amount: int

    def text(self, amount: int | None = None) -> str:
        decimals = self.client.stablecoin(self.symbol)[1] if self.method == "stable" else 18
        return _shown(self.method, self.symbol, self.amount if amount is None else amount,
                      decimals)  # fmt: skip

    def pay(self, signer: Transactor, payee: Address | None = None) -> tuple[int, Receipt]:
        """Pay it through ``signer`` (a gateway signer) to ``payee`` (services that name one
        at payment); what was charged and the receipt."""
        return self.client.pay(signer, self.service, self.method, payee=payee,
                               symbol=self.symbol or "USDC")  # fmt: skip


def service_fee(c: CliContext, service: str, choice: str) -> ServiceFee:
    """Quote one use of ``service`` paid with ``choice`` (REX, points or a stablecoin) before
    anything is signed: a deployment without a FeeRouter, a method the service refuses or an
    oracle too young for REX is one line, and nothing is sent."""
    client = fee_client(c)
    method, symbol = pay_method(choice)
    amount = client.quote(service, method, symbol or "USDC")
    return ServiceFee(client, service, method, symbol, amount)


def desk_quote(desk: DeskClient, method: PayMethod, symbol: str, units: int) -> str:
    """What ``units`` cents of a desk's service cost by ``method``, as shown before signing."""
    service = desk.fees.service(desk.service)
    amount = desk.fees.quote_units(desk.service, method, units, symbol or "USDC")
    decimals = desk.fees.stablecoin(symbol)[1] if method == "stable" else 18
    return (
        f"{units} cents of budget ({usd(service.price_usd * units)}, "
        f"{rex(desk.budget(units, method))}): {_shown(method, symbol, amount, decimals)}"
    )


def usd(value: Decimal) -> str:
    """A USD price as people write it: cents always shown, finer digits only when there."""
    cents = value.quantize(Decimal("0.01"))
    return f"${cents}" if cents == value else f"${value.normalize()}"


def _shown(method: PayMethod, symbol: str, amount: int, decimals: int) -> str:
    unit = {"rex": "REX", "points": "points"}.get(method, symbol)
    return f"{format_units(amount, decimals)} {unit}"


@app.command("services")
def services(ctx: typer.Context) -> None:
    """List the published services, their USD prices and shares."""
    client = fee_client(ctx.obj)
    terms = client.terms()
    known = {str(a): role for role, a in client.manifest.accounts.items()}
    known |= {str(a): name for name, a in client.manifest.contracts.items()}
    for name in client.service_names():
        s = client.service(name)
        payee = "named at payment" if s.payee is None else known.get(str(s.payee), s.payee)
        points = "  (points)" if s.accepts_points else ""
        each = " a cent of budget" if client.desk_of(name) else ""
        out.print(
            f"{name:<22} {usd(s.price_usd)}{each}  pool {s.pool_bps / 100:g} %  treasury "
            f"{s.treasury_bps / 100:g} %  payee {payee}{points}"
        )
    out.print(
        f"REX pays {terms.rex_discount_bps / 100:g} % less, at the {terms.twap_window} s TWAP; "
        f"{format_units(terms.points_per_usd, 18, 4)} points a USD."
    )


@app.command("quote")
def quote(ctx: typer.Context, service: ServiceArg) -> None:
    """What one use of SERVICE costs in USD, USDC, REX (discounted, TWAP) and points."""
    client = fee_client(ctx.obj)
    s = client.service(service)
    terms = client.terms()
    out.print(f"{service}: {usd(s.price_usd)}")
    _, decimals = client.stablecoin("USDC")
    out.print(f"  in USDC    {_shown('stable', 'USDC', client.quote(service, 'stable'), decimals)}")
    try:
        twap = client.twap()
        rex = client.quote(service, "rex")
    except UsageError as exc:
        out.print(f"  in REX     not now: {exc}")
    else:
        out.print(
            f"  in REX     {_shown('rex', '', rex, 18)} ({terms.rex_discount_bps / 100:g} % off at "
            f"${twap.usd_per_rex:.6f} a REX, the {twap.window} s TWAP)"
        )
    if s.accepts_points:
        out.print(f"  in points  {_shown('points', '', client.quote(service, 'points'), 18)}")


@app.command("pay")
def pay(
    ctx: typer.Context,
    service: ServiceArg,
    wallet: WalletOpt,
    with_: Annotated[
        str, typer.Option("--with", help="REX, points, or a stablecoin symbol (USDC, USDT, DAI).")
    ] = "USDC",
    payee: Annotated[
        str | None, typer.Option(help="Provider or developer paid (services that name one).")
    ] = None,
    ref: Annotated[
        str | None, typer.Option(help="A 32-byte 0x reference recorded with the payment.")
    ] = None,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Pay one use of SERVICE from your wallet, through the Wallet agent's gateway."""
    c: CliContext = ctx.obj
    client = fee_client(c)
    method, symbol = pay_method(with_)
    reference = bytes(32)
    if ref is not None:
        try:
            reference = bytes.fromhex(ref.removeprefix("0x"))
        except ValueError as exc:
            raise UsageError(f"--ref is not hex: {ref!r}") from exc
    to = c.address_of(payee) if payee else None
    client.quote(service, method, symbol or "USDC")  # a bad service or method is named first
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    amount, receipt = client.pay(
        signer, service, method, payee=to, ref=reference, symbol=symbol or "USDC"
    )
    decimals = client.stablecoin(symbol)[1] if method == "stable" else 18
    out.print(
        f"Paid {service} with {_shown(method, symbol, amount, decimals)} in block "
        f"{receipt.block_number} (gas {receipt.gas_used:,})."
    )


def register(root: typer.Typer) -> None:
    """Attach ``rexos fees`` to the top-level app."""
    root.add_typer(app, name="fees")
