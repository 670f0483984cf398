"""The bot wired to the Wallet agent: its real venue, its scheduler, the policy's warning.

The bot itself (:mod:`rexos.bot`) knows only the ``Venue`` protocol; this composition
module joins it to the deployment's pools for prices and to the Wallet agent for trades,
for ``rexos bot`` and the ``bot`` plug-in.

Each trade is the Wallet agent's swap action (approve the router for exactly the amount if
needed, then swap at the best split): every move is planned, simulated, valued and checked by
the policy engine, and sent only when the verdict is ``allow`` — the bot never holds a
confirmation, so a move the policy wants confirmed (above ``confirm_above_usd``) or refuses
blocks the trade instead. Before planning a move the venue asks the agent what its intent key
already did, so a trade interrupted by a crash is finished or replayed, never made twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak
from web3 import Web3

from rexos.agents.wallet import (
    Executed,
    Move,
    PolicyDenied,
    PolicyEngine,
    WalletAgent,
    WalletPaths,
    dex_prices,
    load_policy,
    open_engine,
    swap_moves,
)
from rexos.bot.scheduler import Scheduler, Trade, TradeBlocked
from rexos.bot.setup import open_bot_store
from rexos.bot.strategies import Dca, Limit, TakeProfitStopLoss
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.dex import PoolWatcher, TokenInfo, TokenRegistry
from rexos.dex.price import implied_price
from rexos.errors import DexError, InvalidAmount, RexosError, RpcUnavailable
from rexos.types import parse_units

__all__ = ["WalletVenue", "open_scheduler", "unattended_warning"]

_TRANSFER = keccak(text="Transfer(address,address,uint256)")


class WalletVenue:
    """Prices from ``manifest``'s pools; trades for ``account`` through a Wallet agent whose
    clock is the chain's and whose USD values come from the pools read for the tick."""

    def __init__(
        self, web3: Web3, manifest: Manifest, account: LocalAccount, engine: PolicyEngine
    ) -> None:
        self.web3 = web3
        self.manifest = manifest
        self.tokens = TokenRegistry.from_manifest(manifest)
        self._watcher: PoolWatcher | None = None
        self.agent = WalletAgent(
            web3, account, self.tokens, self._usd, engine, self.now, manifest=manifest
        )

    def now(self) -> int:
        with reverts_as("read the latest block"):
            return int(self.web3.eth.get_block("latest")["timestamp"])

    def prices(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Decimal | None]:
        if self._watcher is None:
            self._watcher = PoolWatcher(self.web3, self.manifest)
        else:
            self._watcher.sync()
        return {(token, quote): self._price(token, quote) for token, quote in pairs}

    def trade(self, intent: str, sell: str, buy: str, amount: Decimal, slippage_bps: int) -> Trade:
        try:
            tin, tout = self.tokens.symbol(sell), self.tokens.symbol(buy)
            units = parse_units(amount, tin.decimals)
        except (DexError, InvalidAmount) as exc:
            raise TradeBlocked(str(exc)) from None
        swapped = self._recorded(f"{intent}:swap")
        if swapped is None:
            try:
                moves = swap_moves(self.agent, self.manifest, tin, tout, units, slippage_bps)
            except RpcUnavailable:
                raise
            except RexosError as exc:
                raise TradeBlocked(f"cannot swap: {exc}") from None
            for move in moves:
                key = f"{intent}:{move.name}"
                swapped = self._recorded(key) or self._send(move, key)
        if swapped is None:
            raise TradeBlocked("the swap planned no transaction")
        bought = self._received(swapped.tx_hash, tout)
        return Trade(amount, bought, swapped.tx_hash, swapped.block, swapped.replayed)

    def _price(self, token: str, quote: str) -> Decimal | None:
        assert self._watcher is not None
        try:
            t, q = self.tokens.symbol(token), self.tokens.symbol(quote)
        except DexError:
            return None
        return implied_price(self._watcher.pools, t.address, t.decimals, q.address, q.decimals)

    def _usd(self, info: TokenInfo) -> Decimal | None:
        """USD per whole token (USDC as the dollar) from the pools read for this tick."""
        if self._watcher is None:
            self._watcher = PoolWatcher(self.web3, self.manifest)
        return self._price(info.symbol, "USDC")

    def _recorded(self, key: str) -> Executed | None:
        try:
            return self.agent.recorded(key)
        except PolicyDenied as exc:
            raise TradeBlocked(f"an earlier transaction of this trade failed: {exc}") from None

    def _send(self, move: Move, key: str) -> Executed | None:
        try:
            prepared = move.plan()
        except RpcUnavailable:
            raise
        except RexosError as exc:
            raise TradeBlocked(f"cannot plan the {move.name}: {exc}") from None
        if prepared is None:
            return None
        verdict, reason = prepared.decision.verdict, prepared.decision.reason
        if verdict == "confirm":
            raise TradeBlocked(
                f"the {move.name} ({prepared.tx.summary}) needs a confirmation ({reason}); a bot "
                "sends only what the policy allows without one (raise confirm_above_usd in "
                "policy.yaml)"
            )
        if verdict == "deny":
            raise TradeBlocked(f"the policy refuses the {move.name}: {reason}")
        try:
            return self.agent.execute(prepared, key)
        except RpcUnavailable:
            raise
        except RexosError as exc:
            raise TradeBlocked(f"the {move.name} failed: {exc}") from None

    def _received(self, tx_hash: str, token: TokenInfo) -> Decimal | None:
        """Whole ``token`` the wallet received in ``tx_hash`` (from its Transfer logs)."""
        owner = bytes.fromhex(self.agent.address[2:].lower())
        with reverts_as("read the swap's receipt"):
            receipt = self.web3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
        units = 0
        for log in receipt["logs"]:
            topics = [bytes(t) for t in log["topics"]]
            if (
                str(log["address"]).lower() == token.address.lower()
                and len(topics) == 3
                and topics[0] == _TRANSFER
                and topics[2][-20:] == owner
            ):
                units += int.from_bytes(bytes(log["data"]), "big")
        return Decimal(units).scaleb(-token.decimals) if units else None


def unattended_warning(
    home: Path, web3: Web3, manifest: Manifest, strategy: Dca | Limit | TakeProfitStopLoss
) -> str | None:
    """Why the policy in ``home`` would pause this strategy's trades at today's prices, or
    ``None`` when one trade fits what it allows without a confirmation."""
    policy = load_policy(WalletPaths.of(home).policy)
    sold = TokenRegistry.from_manifest(manifest).symbol(strategy.sold)
    price = dex_prices(web3, manifest)(sold)
    if price is None:
        return f"no pool prices {sold.symbol} in USD: the policy will refuse its trades"
    usd = (strategy.amount * price).quantize(Decimal("0.01"))
    if usd > policy.per_tx_usd_cap:
        return f"one trade (≈ ${usd:,}) is above the per-transaction cap of " + (
            f"${policy.per_tx_usd_cap:,}: the policy will refuse it and the bot will pause"
        )
    if policy.confirm_above_usd == 0 or usd > policy.confirm_above_usd:
        return (
            f"one trade (≈ ${usd:,}) needs a confirmation under your policy (confirm_above_usd: "
            f"{policy.confirm_above_usd}); a bot never confirms, so it will pause instead of "
            "trading: raise confirm_above_usd in policy.yaml"
        )
    return None


def open_scheduler(
    home: Path, web3: Web3, manifest: Manifest, account: LocalAccount
) -> tuple[Scheduler, WalletVenue]:
    """A scheduler for ``account``'s strategies on ``manifest``'s chain, trading through a
    Wallet agent under the policy and ledger of ``home``."""
    venue = WalletVenue(web3, manifest, account, open_engine(home))
    with reverts_as("read the chain id"):
        chain_id = int(web3.eth.chain_id)
    scheduler = Scheduler(open_bot_store(home), venue, venue.agent.address, chain_id)
    return scheduler, venue
