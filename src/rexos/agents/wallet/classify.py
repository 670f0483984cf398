"""What a transaction does, read from its bytes: the Wallet agent's view of any call it signs.

The gateway never takes a caller's word for what a transaction is. :func:`classify` decodes
the exact calldata against the deployment's own contracts (REX and the dev tokens, sREX, the
RexRouter, DPrompt's RequestBook, ProviderRegistry and OpmlGame, the vesting wallets,
RexBridge, the AgentMarket, the airdrop's RexAirdrop, the FeeRouter) and returns an
:class:`Action`: its kind, the token and amount it moves or commits, and its counterparty.
The policy engine decides on that. A call it cannot interpret — another contract, an unknown
function — is kind ``call``, valued by the ETH it sends, and the policy refuses it unless the
user listed its contract explicitly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, get_args

from web3 import Web3

from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.dex.onchain import TokenInfo
from rexos.dprompt.params import BOOK_PARAM_FIELDS
from rexos.types import Address, format_units

__all__ = ["ACTION_KINDS", "Action", "ActionKind", "classify"]

ActionKind = Literal[
    "transfer",
    "approve",
    "swap",
    "stake",
    "unstake",
    "claim",
    "bridge",
    "dprompt_deposit",
    "dprompt_request",
    "dprompt_challenge",
    "dprompt_settle",
    "dprompt_withdraw",
    "provider_stake",
    "provider_withdraw",
    "vesting_release",
    "market_deposit",
    "market_withdraw",
    "market_buy",
    "market_settle",
    "market_rate",
    "market_claim",
    "market_list",
    "airdrop_claim",
    "airdrop_bind",
    "airdrop_sweep",
    "fee_payment",
    "points_spend",
    "call",
]
ACTION_KINDS: tuple[str, ...] = get_args(ActionKind)

_VESTING_PREFIX = "RexVesting:"  # the economy's manifest keys for vesting wallets

_SERVICE_CALLS: dict[tuple[str, str], tuple[ActionKind, str, int | str]] = {
    ("StakedRex", "stake"): ("stake", "stake", 0),
    ("StakedRex", "unstake"): ("unstake", "unstake", 0),
    ("StakedRex", "claim"): ("claim", "claim rewards of", "earned"),
    ("RequestBook", "deposit"): ("dprompt_deposit", "deposit as DPrompt credit", 0),
    ("RequestBook", "withdrawCredit"): ("dprompt_withdraw", "withdraw DPrompt credit", 0),
    ("RequestBook", "request"): ("dprompt_request", "pay a DPrompt fee of up to", 3),
    ("RequestBook", "challenge"): ("dprompt_challenge", "bond", "bond"),
    ("RequestBook", "finalize"): ("dprompt_settle", "settle a DPrompt request for", "none"),
    ("RequestBook", "refund"): ("dprompt_settle", "settle a DPrompt request for", "none"),
    ("RequestBook", "resolve"): ("dprompt_settle", "settle a DPrompt dispute for", "none"),
    **{  # the opML game's moves: the bond was posted by the challenge, a move moves no REX
        ("OpmlGame", fn): ("dprompt_settle", f"{fn} in a DPrompt opML game for", "none")
        for fn in ("claim", "bisect", "pick", "prove")
    },
    ("ProviderRegistry", "register"): ("provider_stake", "bond as provider stake", 2),
    ("ProviderRegistry", "addStake"): ("provider_stake", "bond as provider stake", 0),
    ("ProviderRegistry", "requestWithdrawal"): ("provider_withdraw", "unbond provider stake", 0),
    ("ProviderRegistry", "withdraw"): ("provider_withdraw", "withdraw unbonded stake", "unbonding"),
    ("AgentMarket", "deposit"): ("market_deposit", "deposit as market credit", 0),
    ("AgentMarket", "depositWithPermit"): ("market_deposit", "deposit as market credit", 0),
    ("AgentMarket", "withdrawCredit"): ("market_withdraw", "withdraw market credit", 0),
    ("AgentMarket", "openJob"): ("market_buy", "hold market credit of up to", 1),
    ("AgentMarket", "settle"): ("market_settle", "settle a market job for", "none"),
    ("AgentMarket", "refund"): ("market_settle", "refund a market job for", "none"),
    ("AgentMarket", "distributeFees"): ("market_settle", "distribute market fees for", "none"),
    ("AgentMarket", "rate"): ("market_rate", "rate a market job for", "none"),
    ("AgentMarket", "claim"): ("market_claim", "claim a developer share for", "none"),
    **{
        ("AgentMarket", fn): ("market_list", f"{fn} on a market listing for", "none")
        for fn in ("list", "addVersion", "setPrice", "setOperator", "setListed", "transferListing")
    },
    ("RexAirdrop", "claim"): ("airdrop_claim", "claim an airdrop of", 2),
    ("RexAirdrop", "claimAndStake"): ("airdrop_claim", "claim and stake an airdrop of", 1),
    ("RexAirdrop", "claimMany"): ("airdrop_claim", "claim airdrops for others, for", "none"),
    ("RexAirdrop", "bind"): ("airdrop_bind", "bind an airdrop's delivery for", "none"),
    ("RexAirdrop", "bindBySig"): ("airdrop_bind", "bind an airdrop's delivery for", "none"),
    ("RexAirdrop", "sweep"): ("airdrop_sweep", "sweep the unclaimed airdrop for", "none"),
    ("FeeRouter", "payRex"): ("fee_payment", "pay a service fee of up to", 1),
    ("DPromptDesk", "fund"): ("dprompt_deposit", "fund the DPrompt desk's float with", 0),
    ("DPromptDesk", "reclaim"): ("dprompt_settle", "reclaim a refunded DPrompt fee for", "none"),
    ("MarketDesk", "fund"): ("market_deposit", "fund the market desk's float with", 0),
    ("MarketDesk", "settleUp"): ("market_settle", "settle up a desk job for", "none"),
    ("MarketDesk", "rate"): ("market_rate", "rate a desk job for", "none"),
}
"""Calls on the deployment's service contracts: kind, wording, and where the REX amount is
(an argument's index, or a read: rewards earned, the challenge bond, the unbonding stake)."""

_DESKS: dict[str, tuple[ActionKind, str]] = {
    "DPromptDesk": ("dprompt_request", "a DPrompt request"),
    "MarketDesk": ("market_buy", "an Agent Market job"),
}
"""The service desks and what spending a voucher there buys."""

_AIRDROP_RECIPIENT = {"claim": 1, "bind": 0, "bindBySig": 1}
"""The argument of a RexAirdrop call naming where its REX goes (the account a claim pays, or
the address a binding delivers to): the counterparty the compliance gate screens."""

_DECODED = frozenset(
    {"RexRouter", "RexBridge"} | set(_DESKS) | {contract for contract, _ in _SERVICE_CALLS}
)
"""The deployment's contracts whose calls are decoded against their own ABI (the vesting
wallets and the tokens are matched apart)."""


@dataclass(frozen=True, slots=True)
class Action:
    """The meaning of one transaction, as the policy sees it."""

    kind: ActionKind
    token: TokenInfo
    """What it moves or commits (ETH for a call that only sends value)."""
    amount: int
    """Base units of ``token``: moved, committed, staked, or released."""
    counterparty: Address
    """Recipient of a transfer or bridge, spender of an approval, target of a call."""
    summary: str


TokenOf = Callable[[str], TokenInfo | None]
"""Token by address (``None``: not a token of the deployment)."""


def classify(
    web3: Web3,
    manifest: Manifest | None,
    token_of: TokenOf,
    eth: TokenInfo,
    sender: Address,
    to: Address,
    value: int,
    data: bytes,
) -> Action:
    """Decode ``data`` sent to ``to`` (with ``value`` wei) from ``sender``."""
    if not data:
        return Action("transfer", eth, value, to, _moves("send", eth, value, f"to {to}"))
    names = {} if manifest is None else {a.lower(): n for n, a in manifest.contracts.items()}
    name = names.get(to.lower(), "")
    token = token_of(to)
    decoded = _decode(web3, _abi_name(name, token is not None), to, data)
    if decoded is None or value:
        what = f"call {name or to}" + (f".{decoded[0]}" if decoded else "")
        return Action("call", eth, value, to, f"{what} sending {format_units(value, 18)} ETH")
    fn, args = decoded
    if token is not None and fn in ("transfer", "approve"):
        who = Address(Web3.to_checksum_address(args[0]))
        verb = "send" if fn == "transfer" else "approve"
        where = f"to {who}" if fn == "transfer" else f"for {who}"
        kind: ActionKind = "transfer" if fn == "transfer" else "approve"
        return Action(kind, token, int(args[1]), who, _moves(verb, token, int(args[1]), where))
    rex = _rex(manifest, token_of)
    reader = _Reader(web3, to, name)
    return _service(name, fn, args, to, sender, rex, token_of, reader) or Action(
        "call", eth, 0, to, f"call {name or to}.{fn}"
    )


def _service(
    name: str,
    fn: str,
    args: list[Any],
    to: Address,
    sender: Address,
    rex: TokenInfo | None,
    token_of: TokenOf,
    read: _Reader,
) -> Action | None:
    if name == "RexRouter" and fn == "swap":
        # (steps, tokenIn, amountIn, tokenOut, minAmountOut, recipient, deadline): the router
        # pulls exactly amountIn of tokenIn from the sender, once; no step can pull more, and
        # what the steps leave goes back to the sender, never to the recipient
        sell_addr, amount, buy_addr, min_out, recipient = args[1:6]
        sell, buy = token_of(sell_addr), token_of(buy_addr)
        if sell is None or buy is None or int(amount) <= 0 or sell == buy:
            return None
        who = Address(Web3.to_checksum_address(recipient))
        text = (
            f"swap {format_units(int(amount), sell.decimals)} {sell.symbol} for ≥ "
            f"{format_units(int(min_out), buy.decimals)} {buy.symbol} via RexRouter"
            + ("" if who == sender else f", output to {who}")
        )
        return Action("swap", sell, int(amount), who, text)
    if name == "RexBridge" and fn == "send":
        token = token_of(args[0])
        if token is None:
            return None
        who = Address(Web3.to_checksum_address(args[3]))
        where = f"to chain {int(args[2])}" + ("" if who == sender else f", recipient {who}")
        return Action(
            "bridge", token, int(args[1]), who, _moves("bridge", token, int(args[1]), where)
        )
    if name == "FeeRouter" and fn in ("payStable", "payAndCall"):
        served = fn == "payAndCall"  # (serviceId, method, token, units, maxAmount, ref, data)
        method = int(args[1]) if served else 0
        if method == 0:
            return _fee_in_stable(token_of(args[2 if served else 1]), int(args[4 if served else 2]),
                                  to, served)  # fmt: skip
        args = [args[0], args[4]]  # as payRex / payPoints: (serviceId, maximum, ...)
        fn = "payRex" if method == 1 else "payPoints"
    if rex is None:
        return None
    if name == "FeeRouter" and fn == "payPoints":
        points = format_units(int(args[1]), 18)
        text = f"spend up to {points} AI points on a service (no tokens move)"
        return Action("points_spend", rex, 0, to, text)
    if name in _DESKS and fn == "spendVoucher":
        kind, what = _DESKS[name]
        voucher = format_units(int(args[0]), 18)
        text = f"spend up to {voucher} REX of your voucher at the {name} on {what} (no tokens move)"
        return Action(kind, rex, 0, to, text)
    key = ("RexVesting" if name.startswith(_VESTING_PREFIX) else name, fn)
    if key == ("RexVesting", "release"):
        amount = read.releasable(rex.address)
        bucket = name.removeprefix(_VESTING_PREFIX)
        return Action(
            "vesting_release", rex, amount, to, _moves("release", rex, amount, f"from {bucket}")
        )
    if key not in _SERVICE_CALLS:
        return None
    kind, verb, source = _SERVICE_CALLS[key]
    if name == "RexAirdrop" and fn in _AIRDROP_RECIPIENT:  # where the REX ends up
        who = Address(Web3.to_checksum_address(args[_AIRDROP_RECIPIENT[fn]]))
        amount = int(args[source]) if isinstance(source, int) else 0
        return Action(kind, rex, amount, who, _moves(verb, rex, amount, f"to {who}"))
    if isinstance(source, int):
        amount = int(args[source])
    elif source == "earned":
        amount = read.earned(sender)
    elif source == "bond":
        amount = read.bond(int(_field(args[1], "fee", 1)))  # the request struct's fee
    elif source == "unbonding":
        amount = read.unbonding(sender)
    else:
        amount = 0
    return Action(kind, rex, amount, to, _moves(verb, rex, amount, ""))


def _fee_in_stable(
    token: TokenInfo | None, ceiling: int, to: Address, served: bool
) -> Action | None:
    """A FeeRouter payment in a stablecoin (``served``: through ``payAndCall``)."""
    if token is None:
        return None
    then = " and have the service's contract serve it" if served else ""
    text = _moves("pay a service fee of up to", token, ceiling, "") + then
    return Action("fee_payment", token, ceiling, to, text)


def _field(struct: Any, name: str, index: int) -> Any:
    """A decoded struct's field (web3 gives dicts by name or tuples by position)."""
    return struct[name] if isinstance(struct, dict) else struct[index]


def _moves(verb: str, token: TokenInfo, units: int, where: str) -> str:
    text = f"{verb} {format_units(units, token.decimals)} {token.symbol}"
    return f"{text} {where}" if where else text


def _rex(manifest: Manifest | None, token_of: TokenOf) -> TokenInfo | None:
    if manifest is None or "RexToken" not in manifest.contracts:
        return None
    return token_of(manifest.contracts["RexToken"])


def _abi_name(name: str, is_token: bool) -> str | None:
    if name.startswith(_VESTING_PREFIX):
        return "RexVesting"
    if name in _DECODED:
        return name
    return "DevToken" if is_token else None


def _decode(web3: Web3, abi: str | None, to: Address, data: bytes) -> tuple[str, list[Any]] | None:
    if abi is None:
        return None
    contract = web3.eth.contract(address=to, abi=load_artifact(abi).abi)
    try:
        fn, args = contract.decode_function_input(data)
    except (ValueError, TypeError, KeyError):
        return None
    ordered = [args[i["name"]] for i in fn.abi["inputs"]]
    return str(fn.fn_name), ordered


class _Reader:
    """Reads a classification needs (amounts that calldata does not carry)."""

    def __init__(self, web3: Web3, to: Address, name: str) -> None:
        self._web3, self._to, self._name = web3, to, name

    def _read(self, abi: str, signature: str, *args: Any) -> Any:
        contract = self._web3.eth.contract(address=self._to, abi=load_artifact(abi).abi)
        with reverts_as(f"read {signature.split('(')[0]} to value the transaction"):
            return contract.get_function_by_signature(signature)(*args).call()

    def earned(self, who: Address) -> int:
        return int(self._read("StakedRex", "earned(address)", who))

    def releasable(self, token: Address) -> int:
        return int(self._read("RexVesting", "releasable(address)", token))

    def bond(self, fee: int) -> int:
        p = dict(
            zip(
                BOOK_PARAM_FIELDS,
                (int(v) for v in self._read("RequestBook", "params()")),
                strict=True,
            )
        )
        return max(p["minBond"], fee * p["bondMultiplier"])

    def unbonding(self, who: Address) -> int:
        return int(self._read("ProviderRegistry", "stakeOf(address)", who)[1])
