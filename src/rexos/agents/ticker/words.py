"""The Ticker agent's vocabulary: common words, cue words, aliases and chain names.

Many token symbols and names are also ordinary words (ONE, ME, ON, TIME, MASK, "chain",
"safe"). Such a word counts as a token only with a ``$`` cashtag or next to a cue
(``buy ONE``, ``price of ONE``, ``ONE token``, ``100 ONE``). The lists are upper case.
"""

from __future__ import annotations

__all__ = [
    "ALIASES",
    "CHAIN_NAMES",
    "CHAIN_NOUNS",
    "COMMON_WORDS",
    "FOLLOWING_CUES",
    "LINK_CUES",
    "LOWERCASE_WORDS",
    "PRECEDING_CUES",
    "SHOUTED_SYMBOLS",
    "is_common",
]

_FUNCTION_WORDS = """
A AN AND ANY ARE AS AT BE BEEN BUT BY CAN DID DO DOES FOR FROM GET GO GOT HAD HAS HAVE HE
HER HIM HIS HOW I IF IN INTO IS IT ITS JUST LET ME MORE MOST MY NO NOT NOW OF OFF OK ON ONE
ONLY OR OUR OUT OVER PER PLEASE SO SOME THAN THAT THE THEN THERE THESE THEY THIS TO TOO TWO
UP US VS WAS WE WHAT WHEN WHERE WHICH WHO WHY WILL WITH YES YOU YOUR ALL ALSO BACK EACH FEW
FIRST LAST NEXT MANY MUCH NEW OLD OWN SAME SUCH VERY WAY WELL WANT NEED SHOW TELL GIVE MAKE
THREE TEN HUNDRED EITHER NEITHER OTHER WHETHER RATHER FURTHER
"""

_CHAT_WORDS = """
BUY SELL SWAP TRADE SEND BRIDGE STAKE UNSTAKE HOLD HOLDING HOLDINGS LONG SHORT PRICE PRICES
WORTH VALUE TOKEN TOKENS COIN COINS CHAIN CHAINS WALLET BALANCE BALANCES MARKET MARKETS FEE
FEES GAS AMOUNT ADDRESS CONTRACT POOL POOLS LIQUIDITY YIELD REWARD REWARDS DEPOSIT WITHDRAW
TRANSFER CHECK CONVERT EXCHANGE RATE TODAY PORTFOLIO NETWORK PROTOCOL TRANSACTION APPROVE
SPEND LEND BORROW REPAY CLAIM MINT BURN CHART CHARTS NEWS
USD EUR GBP NFT NFTS DEX CEX APY APR TVL ETF DAO DEFI CEO IPO KYC ATH GM LP ID UTC GMT API
FAQ USA UK EU AM PM TX RPC AI PERP PERPS
"""

_WORD_SYMBOLS = """
ACT ALT AMP ANT APE APP ARM ASH ASSET AUCTION AUDIO BAND BAT BILL BIT BLEND BOND BULL CAP
CHIP COOK COOKIE CORN COST COW CUBE DENT DOS DUAL EDGE ERA FARM FIG FIX FLY FOLD FORT FORTH
GENIUS GUN HIGH HOME HYPE HYPER INDEX JAM KEEP KEY KITE LIT LITE LOOM MAGIC MASK MATH MEME
META MOVE MULTI NET OCEAN PATH PRIME PRO PROMPT PROS PROVE RAIN RARE RECALL RED REP RUN SAFE
SAND SHY SIGN SNAP SNOW SUPER TEAM TERM TIME TONE TREE TRUST BE LA IO ES EV FX MU SD TE YB
BEAM FLUX METAL SPARK STATUS REQUEST EVERYTHING PORTAL CONCRETE GRAVITY GROVE NEXUS MAPLE
ROOK TURBO SWELL PLASMA RAINBOW RALLY ORACLE INTUITION LIMITLESS DEFINITIVE TOWNS SWIPE
TRIBE MELON BOUNCE BOUNDLESS APPLE AMAZON INTEL ZOOM DOLPHIN MOVEMENT ECLIPSE ESPRESSO
SENTIENT BLAST QUANT REAL CHECKMATE FLUENT FLUID TREAD POET PIRATE SOUL SHOP FOX GWEI MAKER
SENT QUICK SPELL VIRTUAL SKY GALA ALPHA ABT OMG USUAL WOO NOICE
"""

_WORD_NAMES = """
JUPITER RENDER DRIVE GRAPH TESLA NVIDIA BOEING GOOGLE MICROSOFT NETFLIX
"""
"""English words and company names that are the name of a listed token (Jupiter, Render; a
tokenised share: "my tesla needs charging" is the car)."""

_LOWERCASE_WORDS = """
LINK SUSHI COMP DOG CAT DEGEN SOCKS PENG PEPE CAKE WELL ALICE ELON GOAT BONK UNI SKY GALA
"""

COMMON_WORDS: frozenset[str] = frozenset(
    (_FUNCTION_WORDS + _CHAT_WORDS + _WORD_SYMBOLS + _WORD_NAMES).split()
)
"""Words that are a token only with a ``$`` or a cue, however they are written."""

SHOUTED_SYMBOLS: frozenset[str] = frozenset(_WORD_SYMBOLS.split()) | {"ONE"}
"""Ordinary words that are also tickers: written in capitals inside a sentence in lower
case ("SUPER is pumping", "holds ONE") they are the ticker."""

LOWERCASE_WORDS: frozenset[str] = frozenset(_LOWERCASE_WORDS.split())
"""Words that are a ticker in capitals (LINK) but an ordinary word otherwise (link)."""

PRECEDING_CUES: frozenset[str] = frozenset(
    [
        "BUY",
        "SELL",
        "SWAP",
        "TRADE",
        "SEND",
        "BRIDGE",
        "STAKE",
        "UNSTAKE",
        "HOLD",
        "LONG",
        "SHORT",
        "DUMP",
        "CONVERT",
        "EXCHANGE",
        "APPROVE",
        "WRAP",
        "UNWRAP",
        "ACCUMULATE",
        "CHART",
        "PLOT",
        "BUYING",
        "SELLING",
        "SWAPPING",
        "TRADING",
        "DUMPING",
        "BOUGHT",
        "SOLD",
        "APED",
        "HOLDING",
        "HODL",
        "HODLING",
        "SWAPPED",
        "TRADED",
        "STAKED",
        "UNSTAKED",
        "BRIDGED",
        "CONVERTED",
        "EXCHANGED",
        "DUMPED",
        "SHORTED",
    ]
)
"""A word right before a mention (an amount may sit between) that makes it a token."""

FOLLOWING_CUES: frozenset[str] = frozenset(
    [
        "TOKEN",
        "TOKENS",
        "COIN",
        "COINS",
        "PRICE",
        "PRICES",
        "HOLDERS",
        "BALANCE",
        "BALANCES",
        "CONTRACT",
        "CHART",
        "WORTH",
        "BAG",
        "BAGS",
        "AIRDROP",
        "LOSSES",
        "GAINS",
        "POSITION",
        "POSITIONS",
        "STACK",
        "STAKERS",
        "HOLDINGS",
    ]
)
"""A word right after a mention that makes it a token."""

LINK_CUES: frozenset[str] = frozenset(
    ["FOR", "TO", "INTO", "FROM", "AND", "OR", "VS", "VERSUS", "NOT", "THAN", "INSTEAD",
     "MEAN", "MEANT", "WAIT", "ACTUALLY"]
)  # fmt: skip
"""Words that join a mention to an earlier one (``swap USDC for ONE``), a contrast (``ARB not
OP``) or a correction (``some aave, sorry i mean comp``, ``pepe, no wait, bonk``)."""

ALIASES: dict[str, str] = {
    "ETH": "WETH",
    "ETHER": "WETH",
    "ETHEREUM": "WETH",
    "BTC": "WBTC",
    "BITCOIN": "WBTC",
    "WRAPPED BITCOIN": "WBTC",
    "TETHER": "USDT",
    "USD COIN": "USDC",
    "BNB": "WBNB",
    "AVAX": "WAVAX",
    "SHIBA": "SHIB",
}
"""Common names and tickers for a token the database lists under another symbol."""

CHAIN_NAMES: dict[str, int] = {
    "ETHEREUM": 1,
    "MAINNET": 1,
    "OPTIMISM": 10,
    "BSC": 56,
    "BNB": 56,
    "UNICHAIN": 130,
    "POLYGON": 137,
    "BASE": 8453,
    "ARBITRUM": 42161,
    "AVALANCHE": 43114,
    "CELO": 42220,
    "SEPOLIA": 11155111,
    "DEVNET": 31337,
    "LINEA": 59144,
    "SCROLL": 534352,
    "ZKSYNC": 324,
}
"""Chain names read after ``on``/``in``/``via`` (``USDC on Base``) as the preferred chain."""

CHAIN_NOUNS: frozenset[str] = frozenset(
    {"CHAIN", "CHAINS", "L2", "L2S", "NETWORK", "ROLLUP", "TVL", "OUTAGE", "OUTAGES", "CONGESTED",
     "CONGESTION", "HALTED", "DOWNTIME", "GWEI", "TPS", "VALIDATORS", "HARDFORK", "BLOCKSPACE",
     "BLOCKS", "FINALITY", "MEMPOOL", "SEQUENCER", "TESTNET", "RPC"}
)  # fmt: skip
"""Words that make a sentence about chains: there a chain's name is the chain, not its coin
("optimism vs arbitrum, which chain has more tvl", "solana had an outage", "ethereum is
congested, gas is 40 gwei")."""


def is_common(word: str) -> bool:
    """Whether ``word`` as written is an ordinary word that needs a cue to be a token."""
    key = word.upper()
    return key in COMMON_WORDS or (key != word and key in LOWERCASE_WORDS)
