"""Trading-bot strategies: what to trade, and the rule that says when.

Three kinds, each a frozen pydantic model with exact ``Decimal`` amounts in whole tokens:

* :class:`Dca` — sell ``amount`` of one token for another every ``interval`` seconds, up to
  ``count`` times or until ``budget`` is sold (the last trade sells what is left of it);
* :class:`Limit` — sell ``amount`` of ``token`` once its price in ``quote`` reaches ``price``
  or more, or spend ``amount`` of ``quote`` on ``token`` once its price falls to ``price``
  or less; once;
* :class:`TakeProfitStopLoss` — sell a position of ``token`` for ``quote`` once its price
  rises to ``take_profit`` or falls to ``stop_loss``, whichever comes first; once.

The rules are pure: :meth:`trigger` looks only at the strategy's :class:`Progress`, the
chain's time and the price read for this tick, so they are tested with made-up ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from rexos.dex.onchain import TokenInfo
from rexos.errors import UsageError
from rexos.types import parse_units

__all__ = [
    "Dca",
    "Limit",
    "Progress",
    "Strategy",
    "TakeProfitStopLoss",
    "Trigger",
    "check_tokens",
    "parse_interval",
    "parse_strategy",
]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
_INTERVAL = re.compile(r"^([1-9][0-9]*)([smhdw]?)$")
_SYMBOL = re.compile(r"^[A-Z0-9]{1,11}$")
MIN_INTERVAL_S = 60
"""The shortest DCA interval: one trade a minute."""


def parse_interval(text: str | int) -> int:
    """Seconds in ``"90s"``, ``"30m"``, ``"1h"``, ``"1d"``, ``"2w"`` or a plain ``3600``."""
    if isinstance(text, bool):
        raise ValueError(f"not an interval: {text!r}")
    if isinstance(text, int):
        return text
    match = _INTERVAL.match(str(text).strip().lower())
    if match is None:
        raise ValueError(f"not an interval: {text!r} (e.g. 30m, 1h, 1d, 1w or seconds)")
    return int(match.group(1)) * _UNITS[match.group(2) or "s"]


def _interval(value: Any) -> Any:
    return parse_interval(value) if isinstance(value, str | int) else value


def _no_float(value: Any) -> Any:
    if isinstance(value, float | bool):
        raise ValueError("give amounts and prices as strings like '0.1', never floats")
    return value


def _symbol(value: str) -> str:
    symbol = value.strip().lstrip("$").upper()
    if not _SYMBOL.match(symbol):
        raise ValueError(f"not a token symbol: {value!r}")
    return symbol


Amount = Annotated[
    Decimal, BeforeValidator(_no_float), Field(gt=0, allow_inf_nan=False, max_digits=60)
]
Symbol = Annotated[str, AfterValidator(_symbol)]


@dataclass(frozen=True, slots=True)
class Progress:
    """What a strategy has done so far (kept by the bot's store)."""

    started_at: int
    """Chain time (seconds) when it was added."""
    fires: int = 0
    """Trades made."""
    spent: Decimal = Decimal(0)
    """Whole tokens sold so far."""
    last_fire_at: int | None = None
    """Chain time of the latest trade."""


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trade due now: sell ``amount`` whole tokens, and why."""

    amount: Decimal
    why: str


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    slippage_bps: int = Field(
        default=50, ge=0, le=1000, description="Most the output may fall below the quote."
    )


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


class Dca(_Base):
    """Dollar-cost averaging: sell ``amount`` of ``sell`` for ``buy`` every ``interval``."""

    kind: Literal["dca"] = "dca"
    sell: Symbol = Field(description="Token sold, e.g. USDC.")
    buy: Symbol = Field(description="Token bought, e.g. WETH.")
    amount: Amount = Field(description="Whole tokens sold per trade.")
    interval: Annotated[int, BeforeValidator(_interval)] = Field(
        ge=MIN_INTERVAL_S, description="Seconds between trades (or 30m, 1h, 1d, 1w)."
    )
    count: int | None = Field(default=None, ge=1, le=100_000, description="Most trades.")
    budget: Amount | None = Field(default=None, description="Most whole tokens sold in all.")

    @model_validator(mode="after")
    def _bounded(self) -> Dca:
        if self.sell == self.buy:
            raise ValueError(f"cannot trade {self.sell} for itself")
        if self.count is None and self.budget is None:
            raise ValueError("a DCA needs a count, a budget or both, so that it ends")
        if self.budget is not None and self.budget < self.amount:
            raise ValueError("the budget is smaller than one trade's amount")
        return self

    @property
    def sold(self) -> str:
        return self.sell

    @property
    def bought(self) -> str:
        return self.buy

    @property
    def pair(self) -> tuple[str, str] | None:
        return None

    def next_at(self, progress: Progress) -> int:
        """Chain time the next trade is due: the first at once, then one per interval slot
        after the slot of the latest (missed slots are not made up)."""
        if progress.last_fire_at is None:
            return progress.started_at
        slot = (progress.last_fire_at - progress.started_at) // self.interval
        return progress.started_at + (slot + 1) * self.interval

    def trigger(self, progress: Progress, now: int, price: Decimal | None) -> Trigger | None:
        if self.finished(progress) or now < self.next_at(progress):
            return None
        amount = self.amount
        if self.budget is not None:
            amount = min(amount, self.budget - progress.spent)
        return Trigger(amount, f"DCA trade {progress.fires + 1}")

    def finished(self, progress: Progress) -> bool:
        if self.count is not None and progress.fires >= self.count:
            return True
        return self.budget is not None and progress.spent >= self.budget

    def describe(self) -> str:
        bounds = [f"{self.count} times"] if self.count is not None else []
        if self.budget is not None:
            bounds.append(f"at most {_plain(self.budget)} {self.sell}")
        return (
            f"sell {_plain(self.amount)} {self.sell} for {self.buy} every "
            f"{_every(self.interval)}, {' or '.join(bounds)}"
        )


class Limit(_Base):
    """A limit order on the DEX-implied price of ``token`` in ``quote``."""

    kind: Literal["limit"] = "limit"
    side: Literal["buy", "sell"] = Field(description="sell token at ≥ price; buy it at ≤ price.")
    token: Symbol = Field(description="Token whose price is watched, e.g. WETH.")
    quote: Symbol = Field(description="Token the price is in, e.g. USDC.")
    amount: Amount = Field(description="Whole tokens sold: token when selling, quote when buying.")
    price: Amount = Field(description="Level, in quote per whole token.")

    @model_validator(mode="after")
    def _distinct(self) -> Limit:
        if self.token == self.quote:
            raise ValueError(f"cannot price {self.token} in itself")
        return self

    @property
    def sold(self) -> str:
        return self.token if self.side == "sell" else self.quote

    @property
    def bought(self) -> str:
        return self.quote if self.side == "sell" else self.token

    @property
    def pair(self) -> tuple[str, str] | None:
        return (self.token, self.quote)

    def trigger(self, progress: Progress, now: int, price: Decimal | None) -> Trigger | None:
        if self.finished(progress) or price is None:
            return None
        reached = price >= self.price if self.side == "sell" else price <= self.price
        if not reached:
            return None
        sign = "≥" if self.side == "sell" else "≤"
        return Trigger(self.amount, f"{self.token} at {_plain(price)} {self.quote} {sign} limit")

    def finished(self, progress: Progress) -> bool:
        return progress.fires >= 1

    def describe(self) -> str:
        level = _plain(self.price)
        if self.side == "sell":
            return (
                f"sell {_plain(self.amount)} {self.token} for {self.quote} when "
                f"1 {self.token} ≥ {level} {self.quote}"
            )
        return (
            f"buy {self.token} with {_plain(self.amount)} {self.quote} when "
            f"1 {self.token} ≤ {level} {self.quote}"
        )


class TakeProfitStopLoss(_Base):
    """Sell a position once its price reaches the take-profit or the stop-loss level."""

    kind: Literal["tpsl"] = "tpsl"
    token: Symbol = Field(description="Token held and sold, e.g. WETH.")
    quote: Symbol = Field(description="Token received and the price is in, e.g. USDC.")
    amount: Amount = Field(description="Whole tokens of the position to sell.")
    take_profit: Amount | None = Field(default=None, description="Sell at or above this price.")
    stop_loss: Amount | None = Field(default=None, description="Sell at or below this price.")

    @model_validator(mode="after")
    def _levels(self) -> TakeProfitStopLoss:
        if self.token == self.quote:
            raise ValueError(f"cannot price {self.token} in itself")
        if self.take_profit is None and self.stop_loss is None:
            raise ValueError("give a take-profit level, a stop-loss level or both")
        if (
            self.take_profit is not None
            and self.stop_loss is not None
            and self.stop_loss >= self.take_profit
        ):
            raise ValueError("the stop-loss must be below the take-profit")
        return self

    @property
    def sold(self) -> str:
        return self.token

    @property
    def bought(self) -> str:
        return self.quote

    @property
    def pair(self) -> tuple[str, str] | None:
        return (self.token, self.quote)

    def trigger(self, progress: Progress, now: int, price: Decimal | None) -> Trigger | None:
        if self.finished(progress) or price is None:
            return None
        at = f"{self.token} at {_plain(price)} {self.quote}"
        if self.take_profit is not None and price >= self.take_profit:
            return Trigger(self.amount, f"take-profit: {at} ≥ {_plain(self.take_profit)}")
        if self.stop_loss is not None and price <= self.stop_loss:
            return Trigger(self.amount, f"stop-loss: {at} ≤ {_plain(self.stop_loss)}")
        return None

    def finished(self, progress: Progress) -> bool:
        return progress.fires >= 1

    def describe(self) -> str:
        levels = []
        if self.take_profit is not None:
            levels.append(f"≥ {_plain(self.take_profit)}")
        if self.stop_loss is not None:
            levels.append(f"≤ {_plain(self.stop_loss)}")
        return (
            f"sell {_plain(self.amount)} {self.token} for {self.quote} when 1 {self.token} "
            f"{' or '.join(levels)} {self.quote}"
        )


Strategy = Annotated[Dca | Limit | TakeProfitStopLoss, Field(discriminator="kind")]
"""Any strategy, told apart by ``kind`` (``dca``, ``limit``, ``tpsl``)."""

_ADAPTER: TypeAdapter[Dca | Limit | TakeProfitStopLoss] = TypeAdapter(Strategy)


def parse_strategy(data: Mapping[str, Any] | str) -> Dca | Limit | TakeProfitStopLoss:
    """Validate a strategy (a mapping, or its JSON); one :class:`UsageError` naming each bad
    field."""
    try:
        if isinstance(data, str):
            return _ADAPTER.validate_json(data)
        return _ADAPTER.validate_python(dict(data))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'strategy'}: "
            f"{e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise UsageError(f"invalid strategy: {problems}") from None


def check_tokens(
    strategy: Dca | Limit | TakeProfitStopLoss, tokens: Callable[[str], TokenInfo]
) -> None:
    """Check the tokens exist on the deployment (``tokens`` raises for unknown symbols) and
    that amounts sold fit the sold token's decimals (:class:`~rexos.errors.InvalidAmount`)."""
    sold = tokens(strategy.sold)
    tokens(strategy.bought)
    parse_units(strategy.amount, sold.decimals)
    if isinstance(strategy, Dca) and strategy.budget is not None:
        parse_units(strategy.budget, sold.decimals)


def _every(seconds: int) -> str:
    """The largest unit that divides ``seconds`` exactly: ``86400`` → ``1d``."""
    suffix, size = next(
        (s, n) for s, n in sorted(_UNITS.items(), key=lambda item: -item[1]) if seconds % n == 0
    )
    return f"{seconds // size}{suffix}"
