"""What each intent does: reads answer with data, funds-moving intents become Wallet moves.

Symbolic amounts ("half my WETH", "all", "$50 of") are resolved against the chain when the
step first runs (after the steps before it), in base units, and kept in the step so a
resumed step does exactly the same. Tokens resolve through the deployment's registry, never
from free text; recipients are addresses or wallet names the user typed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal
from typing import Any

from web3 import Web3

from rexos.agents.database import ask as ask_database
from rexos.agents.database import index_chain, index_path
from rexos.agents.database.agent import amount_units, display_rows
from rexos.agents.wallet import (
    ETH,
    Move,
    WalletAgent,
    balance_of,
    dex_prices,
    holdings,
    stake_moves,
    swap_moves,
    unstake_moves,
)
from rexos.chain.artifacts import load_artifact
from rexos.chain.tx import reverts_as
from rexos.compliance import Gate, service_of
from rexos.dex.onchain import PoolWatcher, TokenInfo, TokenRegistry
from rexos.dex.pool import Pool
from rexos.dex.price import implied_price
from rexos.errors import DexError, UsageError
from rexos.orchestrator import answers
from rexos.orchestrator.airdrops import airdrop_moves
from rexos.orchestrator.asking import ask_moves
from rexos.orchestrator.bridging import (
    DELIVERY_TIMEOUT_S,
    bridge_moves,
    ends_for,
    wait_delivered,
)
from rexos.orchestrator.intent import Amount
from rexos.orchestrator.plan import Step
from rexos.orchestrator.workspace import Workspace
from rexos.types import Address, format_units, parse_units

__all__ = ["ChartMaker", "Executors", "StepError"]

ChartMaker = Callable[[Workspace, str, int | None, str], dict[str, Any]]
"""``(workspace, subject, days, name) -> result``: draws a chart, returns what to show."""


class StepError(UsageError):
    """A step cannot run as asked; the message says why (and what to do instead)."""


class _LivePools:
    """The deployment's pools for every step of a workspace: one :class:`PoolWatcher`, read
    whole once, then brought to the head block from its logs when asked (a few RPC calls, not
    a few hundred); read whole again if the chain went back (a revert, a reorg) or the
    workspace's chain changed, or after a failed update. Safe to share between threads."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._lock = threading.Lock()
        self._watcher: PoolWatcher | None = None
        self._web3: Web3 | None = None
        self._hash = b""  # of the watcher's block

    def current(self) -> tuple[int, list[Pool]]:
        """The head block's number and every pool as of that block."""
        web3 = self._ws.chain().web3
        with self._lock:
            try:
                return self._current(web3)
            except BaseException:
                self._watcher = None  # half updated: read whole next time
                raise

    def _current(self, web3: Web3) -> tuple[int, list[Pool]]:
        with reverts_as("read the head block"):
            head = web3.eth.get_block("latest")
            number, block_hash = int(head["number"]), bytes(head["hash"])
            watcher = self._watcher if self._web3 is web3 else None
            if watcher is not None and self._extends(web3, watcher, head):
                watcher.sync(to_block=number)  # nothing to do in the same block
            else:
                watcher, self._web3 = PoolWatcher(web3, self._ws.manifest()), web3
                if watcher.block != number:  # it read a later block
                    block_hash = bytes(web3.eth.get_block(watcher.block)["hash"])
            self._watcher, self._hash = watcher, block_hash
            return watcher.block, watcher.pools

    def _extends(self, web3: Web3, watcher: PoolWatcher, head: Any) -> bool:
        """Whether ``head`` is the watcher's block or one built on it."""
        number = int(head["number"])
        if number == watcher.block:
            return bytes(head["hash"]) == self._hash
        if number == watcher.block + 1:
            return bytes(head["parentHash"]) == self._hash
        ours = web3.eth.get_block(watcher.block) if number > watcher.block else None
        return ours is not None and bytes(ours["hash"]) == self._hash


def _units(amount: Amount, token: TokenInfo, held: Callable[[], int], usd: Decimal | None) -> int:
    if amount.kind == "exact":
        return parse_units(amount.value, token.decimals)
    if amount.kind == "fraction":
        return held() * int(amount.value * 10**18) // (amount.denominator * 10**18)
    if usd is None or usd <= 0:
        raise StepError(f"cannot price {token.symbol} in USD to turn {amount} into an amount")
    whole = (amount.value / usd).quantize(Decimal(1).scaleb(-token.decimals), ROUND_DOWN)
    return parse_units(whole, token.decimals)


class Executors:
    def __init__(
        self,
        ws: Workspace,
        chart: ChartMaker | None = None,
        delivery_timeout_s: float = DELIVERY_TIMEOUT_S,
    ) -> None:
        self.ws = ws
        self._chart = chart
        self._pools = _LivePools(ws)
        self._delivery_timeout_s = delivery_timeout_s
        self._compliance: Gate | None = None

    def comply(self, step: Step) -> None:
        """The compliance gate's verdict on what ``step`` does (its intent's service), before
        any of it runs: a refusal is a :class:`~rexos.errors.ComplianceRefused` naming the rule
        (a swap is refused again at the Wallet agent, with its addresses screened)."""
        if self._compliance is None:
            self._compliance = Gate(self.ws.settings.home)
        name = step.intent.intent
        self._compliance.require(service_of("intent", name), entry=f"intent:{name}")

    # ------------------------------------------------------------ helpers

    def _registry(self) -> TokenRegistry:
        return TokenRegistry.from_manifest(self.ws.manifest())

    def _token(self, symbol: object, *, eth: bool = False) -> TokenInfo:
        text = str(symbol or "").strip()
        if text.upper() == "ETH":
            if eth:
                return ETH
            raise StepError(
                "the devnet's pools trade WETH, not native ETH: say WETH (e.g. 'swap 1 WETH to "
                "USDC')"
            )
        try:
            return self._registry().symbol(text)
        except DexError as exc:
            raise StepError(str(exc)) from None

    def _usd(self, token: TokenInfo) -> Decimal | None:
        _, pools = self._pools.current()
        return dex_prices(self.ws.chain().web3, self.ws.manifest(), pools=pools)(token)

    def _resolve(
        self, step: Step, token: TokenInfo, held: Callable[[], int], key: str = "amount"
    ) -> int:
        """The step's amount in base units: fixed the first time, reused on resume."""
        if "units" in step.resolved:
            return int(step.resolved["units"])
        amount = Amount.from_json(step.intent.args.get(key))
        units = _units(amount, token, held, self._usd(token) if amount.kind == "usd" else None)
        if units <= 0:
            raise StepError(f"{amount.of(token.symbol)} is 0 {token.symbol}: nothing to do")
        step.resolved.update(
            units=str(units), token=token.symbol, amount=format_units(units, token.decimals)
        )
        return units

    # ------------------------------------------------------------ funds

    def moves(self, step: Step, agent: WalletAgent) -> list[Move]:
        """The Wallet moves of a funds-moving step (amounts resolved now, or as first resolved)."""
        a, manifest = step.intent.args, self.ws.manifest()
        name = step.intent.intent
        if name == "swap":
            if a.get("side") == "buy" and Amount.from_json(a.get("amount")).kind != "usd":
                raise StepError(
                    f"exact-output swaps are not supported: say how much {a.get('sell')} to sell"
                )
            sell, buy = self._token(a.get("sell")), self._token(a.get("buy"))
            units = self._resolve(step, sell, lambda: balance_of(agent, sell))
            return swap_moves(agent, manifest, sell, buy, units)
        if name == "send":
            token = self._token(a.get("token"), eth=True)
            # a name (keystore wallet, ENS) is resolved once, when the step first runs, and
            # kept: a resumed step pays the same address even if the name moved since
            to = Address(
                step.resolved.get("to_address") or self.ws.resolve_recipient(str(a.get("to")))
            )
            step.resolved["to_address"] = to
            units = self._resolve(step, token, lambda: balance_of(agent, token))
            amount = format_units(units, token.decimals)
            return [Move("transfer", lambda: agent.plan_transfer(token.symbol, amount, to))]
        if name == "stake":
            rex = self._rex(a)
            units = self._resolve(step, rex, lambda: balance_of(agent, rex))
            return stake_moves(agent, manifest, units)
        if name == "unstake":
            rex = self._rex(a)
            units = self._resolve(step, rex, lambda: self._staked_of(agent.address))
            return unstake_moves(agent, manifest, units)
        if name == "claim":
            what = a.get("what")
            if what == "airdrop":
                try:
                    return airdrop_moves(self.ws, agent, step.resolved)
                except UsageError as exc:
                    raise StepError(str(exc)) from exc
            if what != "rewards":  # a step stored before claims meant only staking rewards
                raise StepError(f"RexOS can only claim staking rewards, not {what}")
            rex, staked = self._registry().symbol("REX"), manifest.address("StakedRex")
            earned = self._earned(agent.address)
            if earned == 0 and "units" not in step.resolved:
                raise StepError("there are no staking rewards to claim yet")
            step.resolved.setdefault("units", str(earned))
            return [Move("claim", lambda: agent.plan_claim(rex, earned, staked))]
        if name == "ask":
            return ask_moves(agent, manifest, str(a.get("prompt")), step.resolved)
        if name == "bridge":
            ends = ends_for(a, manifest, self.ws.peer)
            token = self._token(a.get("token"))
            units = self._resolve(step, token, lambda: balance_of(agent, token))
            return bridge_moves(agent, ends, token.symbol, units, step.resolved)
        raise StepError(f"{name} does not move funds")

    def settle(self, step: Step, agent: WalletAgent) -> dict[str, str]:
        """What a funds step's sent transactions led to, once all are mined (a bridge
        step: whether the relayer delivered on the other chain)."""
        if step.intent.intent != "bridge" or not step.txs:
            return {}
        ends = ends_for(step.intent.args, self.ws.manifest(), self.ws.peer)
        return wait_delivered(agent, ends, str(step.txs[-1]["tx"]), self._delivery_timeout_s)

    def _rex(self, args: dict[str, Any]) -> TokenInfo:
        token = self._token(args.get("token") or "REX")
        if token.symbol != "REX":
            raise StepError(f"only REX can be staked, not {token.symbol}")
        return token

    def _staked(self) -> Any:
        web3 = self.ws.chain().web3
        return web3.eth.contract(
            address=self.ws.manifest().address("StakedRex"), abi=load_artifact("StakedRex").abi
        )

    def _staked_of(self, who: Address) -> int:
        with reverts_as("read the staked balance"):
            return int(self._staked().functions.balanceOf(who).call())

    def _earned(self, who: Address) -> int:
        with reverts_as("read the staking rewards"):
            return int(self._staked().functions.earned(who).call())

    # ------------------------------------------------------------ reads

    def read(self, step: Step) -> dict[str, Any]:
        """Run a step that moves nothing; what it found, as JSON-ready data."""
        a, name = step.intent.args, step.intent.intent
        if name == "price":
            return self._price(a)
        if name in ("balance", "portfolio"):
            web3, manifest = self.ws.chain().web3, self.ws.manifest()
            wanted = a.get("token") if name == "balance" else None
            symbol = self._token(wanted, eth=True).symbol if wanted else None
            block, pools = self._pools.current()  # balances and prices at one block
            prices = dex_prices(web3, manifest, pools=pools)
            rows = holdings(web3, manifest, self.ws.owner(), prices, zero=symbol is not None,
                            block=block)  # fmt: skip
            if symbol is not None:  # one token: shown even when its balance is 0
                rows = [r for r in rows if r.token.symbol == symbol]
            total = sum((r.usd for r in rows if r.usd is not None), Decimal(0))
            return {
                "owner": self.ws.owner(),
                "holdings": [r.to_json() for r in rows],
                "total_usd": f"{total:.2f}",
            }
        if name == "chart":
            if self._chart is None:
                raise StepError("charts are not available in this session")
            days = a.get("days")
            return self._chart(
                self.ws, str(a.get("subject")), int(str(days)) if days else None, f"step-{step.id}"
            )
        if name == "query":
            return self._query(str(a.get("question")))
        web3, manifest, owner = self.ws.chain().web3, self.ws.manifest(), self.ws.owner()
        if name == "points":
            return answers.points(web3, manifest, owner)
        if name == "performance":
            days = a.get("days")
            index = index_path(self.ws.settings.home, int(manifest.chain_id))
            index_chain(web3, manifest, index)
            return answers.performance(
                web3, manifest, owner, index, int(str(days)) if days else None
            )
        if name == "perp":
            return answers.perp_venues(a)
        raise StepError(f"{name} is not supported in plans yet")

    def _price(self, a: dict[str, Any]) -> dict[str, Any]:
        token = self._token(a.get("token"), eth=True)
        quote = self._token(a.get("quote") or "USDC")
        base = self._registry().symbol("WETH") if token is ETH else token
        _, pools = self._pools.current()
        price = implied_price(pools, base.address, base.decimals, quote.address, quote.decimals)
        if price is None:
            raise StepError(f"no pool prices {token.symbol} in {quote.symbol}")
        amount = a.get("amount")
        qty = Amount.from_json(amount).value if isinstance(amount, dict) else Decimal(1)
        return {
            "token": token.symbol,
            "quote": quote.symbol,
            "amount": str(qty),
            "price": f"{price:.6f}",
            "value": f"{price * qty:.6f}",
            "source": "DEX-implied (the deployment's pools)",
        }

    def _query(self, question: str) -> dict[str, Any]:
        web3, manifest = self.ws.chain().web3, self.ws.manifest()
        path = index_path(self.ws.settings.home, int(manifest.chain_id))
        index_chain(web3, manifest, path)
        result = ask_database(path, question, me=self.ws.owner(), names=self.ws.wallet_names())
        return {
            "sql": result.sql,
            "columns": list(result.columns),
            "rows": result.json_rows(),  # amounts exact, in base units
            "shown": display_rows(result, amount_units(path, result)),  # in token units
        }
