"""Readers for the slots of a command: token symbols, amounts with their token,
recipients and chains. Each raises :class:`Unclear` with the question to ask.

Symbols are checked for shape only (2–11 letters and digits, at least one letter,
an optional ``$`` cashtag); what a symbol means is the Ticker agent's business.
When the caller passes ``known_symbols``, a symbol outside it is a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eth_utils.address import is_address, is_checksum_address, to_checksum_address

from rexos.chain.ens import is_ens_name
from rexos.errors import InvalidAmount
from rexos.orchestrator.intent.amounts import Amount, parse_amount
from rexos.orchestrator.intent.result import Clarification, JsonValue

__all__ = [
    "CHAIN_ALIASES",
    "Context",
    "Unclear",
    "amount_json",
    "is_symbol_shaped",
    "names_an_account",
    "parse_chain",
    "parse_recipient",
    "parse_symbol",
    "read_amount",
    "reads_as_amount",
    "split_object",
]

# Canonical names are the keys of ``rexos.bridges.chains.CHAINS`` and the devnet's two chains
# (``rexos.chain.devnet.DEVNET_NAMES``); a test keeps them in step.
CHAIN_ALIASES: dict[str, str] = {
    "devnet": "devnet",
    "devnet-a": "devnet",
    "devnet a": "devnet",
    "devnet-b": "devnet-b",
    "devnet b": "devnet-b",
    "chain b": "devnet-b",
    "the second chain": "devnet-b",
    "second chain": "devnet-b",
    "ethereum": "ethereum",
    "eth": "ethereum",
    "mainnet": "ethereum",
    "optimism": "optimism",
    "op": "optimism",
    "bsc": "bsc",
    "bnb": "bsc",
    "bnb chain": "bsc",
    "binance smart chain": "bsc",
    "polygon": "polygon",
    "matic": "polygon",
    "base": "base",
    "arbitrum": "arbitrum",
    "arb": "arbitrum",
    "arbitrum one": "arbitrum",
    "avalanche": "avalanche",
    "avax": "avalanche",
    "avalanche c-chain": "avalanche",
    "zksync": "zksync",
    "zksync era": "zksync",
    "zk sync": "zksync",
    "linea": "linea",
    "scroll": "scroll",
}

# Words that are never a bare token symbol in a command ("send it", "swap my ..."); as a
# cashtag ($IT) they are accepted.
_NOT_SYMBOLS = frozenset(
    [
        "a",
        "an",
        "the",
        "my",
        "me",
        "it",
        "its",
        "them",
        "this",
        "that",
        "these",
        "those",
        "to",
        "for",
        "of",
        "in",
        "on",
        "with",
        "from",
        "into",
        "and",
        "or",
        "some",
        "any",
        "all",
        "half",
        "max",
        "everything",
        "i",
        "you",
        "your",
        "is",
        "do",
        "what",
        "worth",
        "wallet",
        "bucks",
        "dollars",
        "dollar",
        "tokens",
        "coins",
        "words",
        "money",
        "funds",
        "assets",
        "stuff",
        "crypto",
        "something",
        "anything",
        "somethin",
        "smth",
        "sth",
    ]
)
_SYMBOL = re.compile(r"(?=[a-z0-9]*[a-z])[a-z0-9]{2,11}", re.IGNORECASE)
_WALLET_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}", re.IGNORECASE)
_FILLERS = frozenset({"my", "of", "worth", "the"})


class Unclear(Exception):
    """Raised by a reader that cannot fill its slot; carries the question."""

    def __init__(self, question: str, *missing: str) -> None:
        super().__init__(question)
        self.clarification = Clarification(question, list(missing))


@dataclass(frozen=True, slots=True)
class Context:
    """What the parser may check against: the upper-case symbols it knows, if any."""

    known_symbols: frozenset[str] | None = None

    @classmethod
    def of(cls, known_symbols: set[str] | frozenset[str] | None) -> Context:
        if known_symbols is None:
            return cls()
        return cls(frozenset(s.upper() for s in known_symbols))


def parse_symbol(word: str, slot: str, ctx: Context) -> str:
    """``"$eth"``, ``"eth"`` or ``"ETH"`` → ``"ETH"``; anything else is a question."""
    bare = word[1:] if word.startswith("$") else word
    if not _SYMBOL.fullmatch(bare) or (bare == word and bare.lower() in _NOT_SYMBOLS):
        raise Unclear(f"'{word}' is not a token symbol: which token do you mean?", slot)
    symbol = bare.upper()
    if ctx.known_symbols is not None and symbol not in ctx.known_symbols:
        raise Unclear(f"I don't know the token '{symbol}': which token do you mean?", slot)
    return symbol


def is_symbol_shaped(word: str) -> bool:
    """Whether ``word`` could be a symbol at all (shape only, no amount, no stop word)."""
    bare = word[1:] if word.startswith("$") else word
    if not _SYMBOL.fullmatch(bare) or (bare == word and bare.lower() in _NOT_SYMBOLS):
        return False
    return not reads_as_amount(word)


def split_object(words: list[str]) -> tuple[str | None, str | None]:
    """``["half", "my", "ETH"]`` → ``("half", "ETH")``: the amount words and the token word.

    The last word is the token unless it reads as an amount (``"10k"``, ``"$50"``,
    ``"all"``); filler words (my, of, worth, the) around the amount are dropped.
    """
    if not words:
        return None, None
    symbol: str | None = None
    if is_symbol_shaped(words[-1]):
        symbol, words = words[-1], words[:-1]
    while words and words[-1].lower() in _FILLERS:
        words = words[:-1]
    while words and words[0].lower() in _FILLERS:
        words = words[1:]
    return (" ".join(words) or None), symbol


def read_amount(text: str, slot: str = "amount") -> Amount:
    """:func:`parse_amount`, with its refusal turned into a question."""
    try:
        return parse_amount(text)
    except InvalidAmount as exc:
        raise Unclear(str(exc), slot) from exc


def amount_json(amount: Amount) -> JsonValue:
    return dict(amount.to_json())


_ADDRESS_SHAPE = re.compile(r"0x[0-9a-fA-F]{40}")


def names_an_account(word: str) -> bool:
    """Whether ``word`` as written is a 0x address (by shape) or an ENS name: someone to
    send to, never an amount or a token."""
    return bool(_ADDRESS_SHAPE.fullmatch(word)) or is_ens_name(word.lower())


def parse_recipient(words: list[str]) -> tuple[str, str]:
    """A 0x address (checksummed), an ENS name or a wallet name → ``(value, kind)``, the kind
    being ``"address"``, ``"ens"`` or ``"wallet"``. An ENS name (``vitalik.eth``) is a name,
    never the ETH ticker; it is resolved through the chain's ENS registry when a plan runs.

    eth-utils 6's ``is_address`` checks the shape only, so a mixed-case address is
    also checked against its EIP-55 checksum here: a typo is a question, not a send.
    """
    if words and words[0].lower() in {"wallet", "account"}:
        words = words[1:]
    if len(words) != 1:
        shown = " ".join(words)
        raise Unclear(
            f"Who is the recipient{f' ({shown!r})' if shown else ''}? "
            "Give a 0x address or the name of one of your wallets.",
            "to",
        )
    word = words[0]
    if word.lower().startswith("0x"):
        digits = word[2:]
        mixed_case = digits != digits.lower() and digits != digits.upper()
        if not is_address(word) or (mixed_case and not is_checksum_address(word)):
            raise Unclear(
                f"'{word}' is not a valid address (40 hex digits, checksum if mixed case): "
                "which address do you mean?",
                "to",
            )
        return to_checksum_address(word), "address"
    if "." in word:
        name = word.lower().rstrip(".,!?")
        if is_ens_name(name):
            return name, "ens"
        raise Unclear(
            f"'{word}' is not an ENS name (like vitalik.eth), an address or a wallet name: "
            "who is the recipient?",
            "to",
        )
    if not _WALLET_NAME.fullmatch(word) or word.lower() in _NOT_SYMBOLS:
        raise Unclear(f"'{word}' is not an address or a wallet name: who is the recipient?", "to")
    return word, "wallet"


def parse_chain(text: str, slot: str) -> str:
    """A chain name or alias (``arb``, ``bnb chain``) → its canonical name."""
    key = " ".join(text.lower().split())
    key = key.removeprefix("the ").removesuffix(" network").removesuffix(" mainnet").strip()
    if key in CHAIN_ALIASES:
        return CHAIN_ALIASES[key]
    known = ", ".join(sorted(set(CHAIN_ALIASES.values())))
    raise Unclear(f"I don't know the chain '{text}': which one of {known}?", slot)


def reads_as_amount(word: str) -> bool:
    """Whether ``word`` is a readable amount (``"10k"``, ``"$50"``, ``"half"``)."""
    try:
        parse_amount(word)
    except InvalidAmount:
        return False
    return True
