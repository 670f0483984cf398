"""Genesis DEX fixtures: dev tokens, three V2 venues, a 3-coin StableSwap pool, the real
Uniswap V3 factory with its pools (:mod:`rexos.dex.deploy_v3`) and QuoterV2, RexRouter and
a multicall contract.

All pools are seeded at the same USD prices with different depths and fees per venue, so
splitting an order pays. Transactions go out raw (fixed gas, no simulation: the embedded
py-evm chain is slow) and every receipt is checked; pair addresses are computed
(CREATE2). Manifest keys: ``DevToken:<SYMBOL>``, ``RexV2Factory:<venue>``,
``StableSwapPool:<venue>``, ``UniswapV3Factory:<venue>``, ``QuoterV2``, ``RexRouter``,
``RexMulticall``, ``DevV3Liquidity``; :func:`dex_facts` gives ``genesis["dex"]``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak
from web3 import Web3
from web3.contract.contract import ContractFunction

from rexos.chain.artifacts import load_artifact
from rexos.chain.client import ChainClient
from rexos.chain.tx import reverts_as
from rexos.dex.deploy_v3 import V3_POOLS, V3_VENUE, seed_v3
from rexos.errors import InsufficientBalance, TransactionFailed
from rexos.types import Address

__all__ = [
    "DEV_TOKENS",
    "FUNDED_USD",
    "REX",
    "STABLE_VENUES",
    "V2_VENUES",
    "DexToken",
    "StableVenue",
    "V2Venue",
    "deploy_dex",
    "dex_facts",
    "fund_dev_tokens",
    "pair_address",
]


@dataclass(frozen=True, slots=True)
class DexToken:
    """A devnet token and the USD price the pools are seeded at."""

    symbol: str
    name: str
    decimals: int
    usd: Decimal

    def units(self, usd: int) -> int:
        """Base units worth ``usd`` dollars."""
        return int((Decimal(usd) * 10**self.decimals / self.usd).to_integral_value(ROUND_DOWN))


@dataclass(frozen=True, slots=True)
class V2Venue:
    """A RexV2Factory venue: its default fee and pairs ``(a, b, USD per side, own fee)``."""

    name: str
    fee_bps: int
    pairs: tuple[tuple[str, str, int, int | None], ...]


@dataclass(frozen=True, slots=True)
class StableVenue:
    """A StableSwapPool: coins, USD per coin, ``amp`` (A·100) and ``fee`` (1e-10 units)."""

    name: str
    coins: tuple[str, ...]
    usd_per_coin: int
    amp: int
    fee: int


REX = DexToken("REX", "Rex", 18, Decimal("0.10"))
"""REX (deployed by the economy's genesis) and the price its pools are seeded at."""

DEV_TOKENS = (
    DexToken("WETH", "Wrapped Ether (dev)", 18, Decimal(3000)),
    DexToken("USDC", "USD Coin (dev)", 6, Decimal(1)),
    DexToken("USDT", "Tether USD (dev)", 6, Decimal(1)),
    DexToken("WBTC", "Wrapped BTC (dev)", 8, Decimal(60000)),
    DexToken("DAI", "Dai (dev)", 18, Decimal(1)),
    DexToken("LINK", "Chainlink (dev)", 18, Decimal(15)),
    DexToken("UNI", "Uniswap (dev)", 18, Decimal(8)),
)
"""Tokens :func:`deploy_dex` creates (REX already exists)."""


def _pairs(spec: str) -> tuple[tuple[str, str, int, int | None], ...]:
    """``"A/B 20M, C/D 0.5M@100"``: pairs, USD per side (M = million), own fee in bps."""
    found = []
    for item in spec.split(","):
        pair, size = item.split()
        size, _, fee = size.partition("@")
        a, b = pair.split("/")
        usd = int(Decimal(size.removesuffix("M")) * 1_000_000)
        found.append((a, b, usd, int(fee) if fee else None))
    return tuple(found)


V2_VENUES = (
    V2Venue(
        "unidev",
        30,
        _pairs(
            "WETH/USDC 20M, WETH/USDT 12M, WETH/DAI 6M, WBTC/WETH 10M, WBTC/USDC 4M, "
            "REX/WETH 1M, REX/USDC 0.5M@100, LINK/WETH 3M, UNI/WETH 2M"
        ),
    ),
    V2Venue(
        "cakedev",
        25,
        _pairs(
            "WETH/USDC 8M, WETH/USDT 6M, WBTC/USDT 3M, REX/USDT 0.6M, REX/WETH 0.4M, "
            "LINK/USDC 1M, UNI/USDT 0.8M"
        ),
    ),
    V2Venue("lowdev", 5, _pairs("WETH/USDC 3M, USDC/USDT 4M, DAI/USDC 2M, WBTC/WETH 1.5M")),
)
"""The V2 venues: Uniswap-like (30 bps), PancakeSwap-like (25 bps) and a low-fee one (5 bps)."""

STABLE_VENUES = (StableVenue("curvedev", ("USDC", "USDT", "DAI"), 10_000_000, 20_000, 4_000_000),)
"""The StableSwap venue: A = 200, fee 4 bps."""

FUNDED_USD = 50_000
"""USD worth of every dev token each funded account receives."""

_PRIORITY_FEE_WEI = 1_000_000_000
_GAS_CREATE = 7_000_000
_GAS_CALL = 1_000_000
_MAX = 2**256 - 1

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    """Default progress callback: say nothing."""


def pair_address(factory: str, token_a: str, token_b: str) -> Address:
    """The RexV2Pair address ``factory`` creates for two tokens (CREATE2, sorted-token salt)."""
    low, high = sorted((token_a, token_b), key=lambda t: int(t, 16))
    salt = keccak(bytes.fromhex(low[2:]) + bytes.fromhex(high[2:]))
    init_hash = keccak(hexstr=load_artifact("RexV2Pair").bytecode)
    raw = keccak(b"\xff" + bytes.fromhex(factory[2:]) + salt + init_hash)[12:]
    return Address(Web3.to_checksum_address(raw))


def dex_facts() -> dict[str, Any]:
    """Token decimals and venue fees, for the manifest's ``genesis["dex"]``."""
    tokens = {t.symbol: t.decimals for t in DEV_TOKENS}
    venues: dict[str, dict[str, Any]] = {
        v.name: {"kind": "v2", "fee_bps": v.fee_bps} for v in V2_VENUES
    }
    venues.update({s.name: {"kind": "stable", "fee": s.fee, "amp": s.amp} for s in STABLE_VENUES})
    venues[V3_VENUE] = {"kind": "v3", "pools": [[p.a, p.b, p.fee] for p in V3_POOLS]}
    return {"tokens": {"REX": 18, **tokens}, "venues": venues}


class _Batch:
    """Raw signed transactions with consecutive nonces and fixed gas, each checked when mined.

    No simulation or gas estimate (eth-tester re-runs a call many times to estimate), and the
    receipt is read right away: eth-tester finds a receipt by scanning back from the head.
    """

    def __init__(self, web3: Web3, account: LocalAccount) -> None:
        self._web3 = web3
        self._account = account
        with reverts_as("read the deployer's nonce"):
            self._nonce = int(web3.eth.get_transaction_count(account.address, "pending"))
            self._chain_id = int(web3.eth.chain_id)
            # blocks of these transactions stay below the gas target: the base fee only falls
            self._max_fee = 2 * int(web3.eth.get_block("latest").get("baseFeePerGas", 0) or 0)
        self._created: list[Address] = []

    def _send(self, tx: dict[str, Any], action: str) -> None:
        with reverts_as(action):
            tx |= {
                "chainId": self._chain_id,
                "nonce": self._nonce,
                "value": 0,
                "maxPriorityFeePerGas": _PRIORITY_FEE_WEI,
                "maxFeePerGas": self._max_fee + _PRIORITY_FEE_WEI,
            }
            signed = self._account.sign_transaction(tx)
            tx_hash = self._web3.eth.send_raw_transaction(signed.raw_transaction)
            raw = self._web3.eth.wait_for_transaction_receipt(tx_hash, timeout=120)
        self._nonce += 1
        if raw["status"] != 1:
            raise TransactionFailed(f"DEX genesis: {action} failed (tx {tx_hash.to_0x_hex()})")
        created = raw.get("contractAddress")
        if created:
            self._created.append(Address(created))

    def call(self, call: ContractFunction, action: str, gas: int = _GAS_CALL) -> None:
        tx = {"to": call.address, "data": call._encode_transaction_data(), "gas": gas}
        self._send(tx, action)

    def create(self, name: str, *args: Any) -> None:
        artifact = load_artifact(name)
        factory = self._web3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        data = factory.constructor(*args).data_in_transaction
        self._send({"data": data, "gas": _GAS_CREATE}, f"deploy {name}")

    def created(self) -> list[Address]:
        """Addresses of the contracts created since the last call, in order."""
        found, self._created = self._created, []
        return found


def _bind(web3: Web3, name: str, address: Address) -> Any:
    return web3.eth.contract(address=address, abi=load_artifact(name).abi)


def deploy_dex(
    chain: ChainClient,
    deployer: LocalAccount,
    rex_address: str,
    *,
    progress: Progress = _quiet,
) -> dict[str, Address]:
    """Deploy and seed the DEX fixtures; return manifest name → address.

    The deployer owns the dev tokens (:func:`fund_dev_tokens` mints them to users) and must
    hold the REX the REX pools are seeded with.
    """
    web3 = chain.web3
    batch = _Batch(web3, deployer)
    me = deployer.address
    rex = _bind(web3, "RexToken", Address(Web3.to_checksum_address(rex_address)))
    prices = {t.symbol: t for t in (*DEV_TOKENS, REX)}
    rex_needed = sum(
        REX.units(usd) for v in V2_VENUES for a, b, usd, _ in v.pairs if REX.symbol in (a, b)
    ) + sum(2 * REX.units(p.usd) for p in V3_POOLS if REX.symbol in (p.a, p.b))
    with reverts_as("read the deployer's REX balance"):
        rex_held = int(rex.functions.balanceOf(me).call())
    if rex_held < rex_needed:
        raise InsufficientBalance(
            f"DEX genesis needs {rex_needed} REX wei for its pools, the deployer has {rex_held}"
        )

    progress(
        f"deploying {len(DEV_TOKENS)} dev tokens, {len(V2_VENUES)} V2 venues, Uniswap V3 "
        "and RexRouter"
    )
    for t in DEV_TOKENS:
        batch.create("DevToken", t.name, t.symbol, t.decimals, me)
    for venue in V2_VENUES:
        batch.create("RexV2Factory", venue.fee_bps)
    batch.create("UniswapV3Factory")
    created = batch.created()
    v3_factory = created[-1]
    weth = created[[t.symbol for t in DEV_TOKENS].index("WETH")]
    batch.create("RexRouter", [v3_factory])
    batch.create("RexMulticall")
    batch.create("DevV3Liquidity", me)
    batch.create("QuoterV2", v3_factory, weth)
    router, multicall, v3_liquidity, quoter = batch.created()
    tokens = {t.symbol: _bind(web3, "DevToken", created[k]) for k, t in enumerate(DEV_TOKENS)}
    token_addr = {s: Address(c.address) for s, c in tokens.items()}
    token_addr["REX"] = Address(rex.address)
    factories = {v.name: created[len(DEV_TOKENS) + k] for k, v in enumerate(V2_VENUES)}
    contracts = {f"DevToken:{s}": Address(c.address) for s, c in tokens.items()}
    contracts |= {f"RexV2Factory:{name}": a for name, a in factories.items()}
    contracts |= {
        f"UniswapV3Factory:{V3_VENUE}": v3_factory,
        "QuoterV2": quoter,
        "RexRouter": router,
        "RexMulticall": multicall,
        "DevV3Liquidity": v3_liquidity,
    }

    def pay(symbol: str, to: str, amount: int) -> None:
        if symbol == "REX":
            batch.call(rex.functions.transfer(to, amount), "seed REX")
        else:
            batch.call(tokens[symbol].functions.mint(to, amount), f"mint {symbol}")

    count = sum(len(v.pairs) for v in V2_VENUES)
    progress(f"creating and seeding {count} V2 pairs and the StableSwap pools")
    for venue in V2_VENUES:
        factory = _bind(web3, "RexV2Factory", factories[venue.name])
        for a, b, usd, fee in venue.pairs:
            ta, tb = token_addr[a], token_addr[b]
            create = (
                factory.functions.createPair(ta, tb)
                if fee is None
                else factory.functions.createPairWithFee(ta, tb, fee)
            )
            batch.call(create, f"create {a}/{b} on {venue.name}", _GAS_CREATE)
            pair = pair_address(factories[venue.name], ta, tb)
            pay(a, pair, prices[a].units(usd))
            pay(b, pair, prices[b].units(usd))
            batch.call(_bind(web3, "RexV2Pair", pair).functions.mint(me), f"seed {a}/{b}")
    progress(f"creating and seeding {len(V3_POOLS)} Uniswap V3 pools")
    seed_v3(batch, web3, v3_factory, v3_liquidity, token_addr, prices, pay)
    for stable in STABLE_VENUES:
        coins = [token_addr[c] for c in stable.coins]
        rates = [10 ** (36 - prices[c].decimals) for c in stable.coins]
        batch.create("StableSwapPool", coins, rates, stable.amp, stable.fee)
        for c in stable.coins:
            pay(c, me, prices[c].units(stable.usd_per_coin))
    pools = batch.created()
    for stable, address in zip(STABLE_VENUES, pools, strict=True):
        contracts[f"StableSwapPool:{stable.name}"] = address
        for c in stable.coins:
            batch.call(tokens[c].functions.approve(address, _MAX), f"approve {c}")
        amounts = [prices[c].units(stable.usd_per_coin) for c in stable.coins]
        pool = _bind(web3, "StableSwapPool", address)
        batch.call(pool.functions.add_liquidity(amounts, 0), f"seed {stable.name}")
    return contracts


def fund_dev_tokens(
    chain: ChainClient,
    deployer: LocalAccount,
    contracts: Mapping[str, Address],
    accounts: Sequence[str],
) -> None:
    """Mint each of ``accounts`` :data:`FUNDED_USD` worth of every dev token of a deployed
    DEX (``contracts``: the manifest's, with ``DevToken:<SYMBOL>``); ``deployer`` owns them."""
    batch = _Batch(chain.web3, deployer)
    for account in accounts:
        for t in DEV_TOKENS:
            token = _bind(chain.web3, "DevToken", contracts[f"DevToken:{t.symbol}"])
            batch.call(token.functions.mint(account, t.units(FUNDED_USD)), f"mint {t.symbol}")
