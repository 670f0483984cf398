"""From a recognised command and the values of a request to an intent or a question.

The recogniser names the command; the values come from :mod:`.extract`. Where the grammar
can read a command once its words are put in order, the builder writes that plain command
("swap 2 ETH to PEPE") and lets the grammar read it, so both paths give the same
arguments and ask the same questions. Nothing is filled in that the request did not say.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rexos.errors import InvalidAmount
from rexos.orchestrator.intent.amounts import parse_amount
from rexos.orchestrator.intent.grammar import parse_command
from rexos.orchestrator.intent.reads import ask_prompt, period_days
from rexos.orchestrator.intent.result import Clarification, Intent, IntentName, JsonValue
from rexos.orchestrator.intent.slots import Context, amount_json
from rexos.orchestrator.understand.extract import Mention, Values
from rexos.orchestrator.understand.vocab import symbols

__all__ = ["build"]

Built = Intent | Clarification
_BUY_VERBS = re.compile(
    r"\b(?:buy|get|need|want|like|grab|acquire|purchase|pick\s+up|load\s+up\s+on|scoop"
    r"|ape\s+into|give\s+me)\b",
    re.IGNORECASE,
)
_PAY_MARK = {"with", "using", "from", "for"}
_SELL_WORDS = {"sell", "dump", "selling", "sold", "from"}
_GET_WORDS = {"buy", "buying", "purchase"}
_GET_MARK = {"to", "into", "for", "in", "as", "->"}
_STABLES = {"USDC", "USDT", "DAI", "USDS", "FRAX", "LUSD", "PYUSD", "USDE"}
_ASK_LEAD = re.compile(
    r"^.*?\b(?:on[-\s]?chain\s+(?:ai|model|llm)|dprompt|the\s+ai(?:\s+on[-\s]?chain)?"
    r"|the\s+model)\b\s*"
    r"(?:[:,]|\bto\s+answer\b\s*:?|\bto\b|\babout\b)?\s*",
    re.IGNORECASE,
)
_PORTFOLIO_WORDS = re.compile(r"\b(?:portfolio|holdings|bags|wallet|account|net\s*worth)\b", re.I)
_AIRDROP = re.compile(r"\b(?:air[\s-]?drops?|drop)\b", re.IGNORECASE)


def _grammar(command: str, intent: IntentName, ctx: Context) -> Built:
    result = parse_command(command, ctx)
    if isinstance(result, Clarification) and result.intent is None:
        return Clarification(result.question, result.missing, result.step, intent)
    return result


def _amount(values: Values, token: Mention | None) -> str:
    if token is not None:
        attached = values.amount_of(token)
        if attached is not None:
            return attached.text
    return ""


def _swap(values: Values, ctx: Context) -> Built:
    tokens = _distinct(values.tokens)
    text = values.text
    if len(tokens) > 2:
        listed = ", ".join(t.value for t in tokens)
        return Clarification(
            f"That names {listed}: which one do you pay with, and which one do you get?",
            ["sell", "buy"],
            intent="swap",
        )
    if len(tokens) == 2:
        first, second = tokens
        between = text[first.end : second.start].lower().split()
        verb = text[: first.start].strip()
        if (not verb and "for" in between) or (
            {"with"} & set(between) and not _BUY_VERBS.search(text[: first.start])
        ):
            # "eth for 100 usdc", "swap 100 usdc with eth": which side is paid is unsaid
            return Clarification(
                f"Which do you pay with, {first.value} or {second.value}?",
                ["sell"],
                intent="swap",
            )
        if values.word_before(first) in {"to", "into"}:  # "swap to eth 100 usdc"
            on_paid = _amount(values, second)
            return _grammar(f"swap {on_paid} {second.value} to {first.value}", "swap", ctx)
    if len(tokens) >= 2:
        first, second = tokens[0], tokens[1]
        between = text[first.end : second.start].lower().split()
        buying = bool(_BUY_VERBS.search(text[: first.start])) and bool(_PAY_MARK & set(between))
        if {"with", "using"} & set(between) or values.word_before(first) in {"into", "in"}:
            buying = True
        # a verb right before a token says its role: "sell eth", "buy usdc"
        for token, sold in ((first, True), (second, False)):
            verb = values.word_before(token)
            if verb in _SELL_WORDS:
                buying = not sold
            elif verb in _GET_WORDS:
                buying = sold
        if buying:
            bought, paid = first, second
        else:
            paid, bought = first, second
        on_paid, on_bought = _amount(values, paid), _amount(values, bought)
        if on_bought and not on_paid:
            return _grammar(f"buy {on_bought} {bought.value} with {paid.value}", "swap", ctx)
        return _grammar(f"swap {on_paid} {paid.value} to {bought.value}", "swap", ctx)
    if len(tokens) == 1:
        token = tokens[0]
        amount = _amount(values, token) or ("" if values.vague else _loose_amount(values))
        if _BUY_VERBS.search(text[: token.start]) and not re.search(r"\bsell\b", text, re.I):
            return _grammar(f"buy {amount} {token.value}", "swap", ctx)
        return _grammar(f"swap {amount} {token.value}", "swap", ctx)
    return _grammar("swap", "swap", ctx)


def _loose_amount(values: Values) -> str:
    return values.amounts[0].text if len(values.amounts) == 1 else ""


def _distinct(tokens: list[Mention]) -> list[Mention]:
    """Tokens in order, a repeat of the same symbol dropped."""
    seen: set[str] = set()
    kept = []
    for token in tokens:
        if token.value not in seen:
            kept.append(token)
            seen.add(token.value)
    return kept


def _recipient(values: Values, wallet_names: frozenset[str]) -> str:
    if values.addresses:
        return values.addresses[-1].text
    if values.ens:
        return values.ens[-1].value
    words = re.findall(r"(?<!from )(?<![A-Za-z0-9_-])[A-Za-z][A-Za-z0-9_-]*", values.text)
    named = [w for w in words if w.lower() in wallet_names]
    if named:
        return str(named[-1]).lower()
    after_to = re.search(r"\bto\s+([a-z][a-z0-9_-]{0,31})\s*$", values.text, re.IGNORECASE)
    return str(after_to[1]) if after_to and after_to[1].lower() not in {"me", "my"} else ""


def _send(values: Values, ctx: Context, wallet_names: frozenset[str]) -> Built:
    tokens = _distinct([t for t in values.tokens if not _inside(t, values.ens)])
    token = tokens[0] if len(tokens) == 1 else None
    amount = _amount(values, token) if token else _loose_amount(values)
    if values.vague and not _amount(values, token):
        amount = ""
    to = _recipient(values, wallet_names)
    command = "send " + " ".join(p for p in (amount, token.value if token else "") if p)
    return _grammar(command + (f" to {to}" if to else ""), "send", ctx)


def _inside(token: Mention, spans: list[Mention]) -> bool:
    return any(s.start <= token.start and token.end <= s.end for s in spans)


def _staking(verb: IntentName, values: Values, ctx: Context) -> Built:
    tokens = [t for t in values.tokens if t.value in {"REX", "SREX"}]
    token = tokens[0] if tokens else None
    amount = _amount(values, token) if token else _loose_amount(values)
    if values.vague and not (token and _amount(values, token)):
        amount = ""
    return _grammar(f"{verb} {amount} {token.value if token else ''}".strip(), verb, ctx)


def _bridge(values: Values, ctx: Context) -> Built:
    chains = values.chains
    chain_spans = [(c.start, c.end) for c in chains]
    plain = [t for t in values.tokens if (t.start, t.end) not in chain_spans]
    # "bridge 1 eth arb to op": a word that is a token and a chain is the token when it
    # comes first; the others are the chains
    token: Mention | None = (plain or values.tokens or [None])[0]  # type: ignore[list-item]
    if plain and values.tokens and values.tokens[0].start < plain[0].start:
        first = values.tokens[0]
        if values.amount_of(first) is not None:
            token = first
    used = [c for c in chains if not (token and c.start == token.start)]
    source = target = None
    for chain in used:
        before = values.word_before(chain)
        if before in {"from", "on", "off"}:
            source = source or chain.value
        elif before in {"to", "onto", "into"}:
            target = chain.value
    loose = [c.value for c in used if c.value not in {source, target}]
    if target is None and loose:
        target = loose.pop()
    if source is None and loose:
        source = loose.pop(0)
    amount = _amount(values, token) if token else _loose_amount(values)
    if values.vague and not (token and _amount(values, token)):
        amount = ""
    command = f"bridge {amount} {token.value if token else ''}"
    command += f" from {source}" if source else ""
    command += f" to {target}" if target else ""
    return _grammar(" ".join(command.split()), "bridge", ctx)


def _price(values: Values, ctx: Context) -> Built:
    tokens = _distinct(values.tokens)
    if not tokens:
        return Clarification("The price of which token?", ["token"], intent="price")
    token, quote = tokens[0], None
    pair = re.search(r"\b([A-Za-z0-9]+)\s*/\s*([A-Za-z0-9]+)\b", values.text)
    if len(tokens) > 1 and (values.word_before(tokens[1]) in {"in", "vs", "against"} or pair):
        quote = tokens[1].value
    currency = re.search(
        r"\bin\s+(eur|usd|gbp|jpy|chf|inr|ngn|php|cny|krw|cad|aud|brl|try|mxn|sgd|hkd)\b",
        values.text,
        re.IGNORECASE,
    )
    if currency:
        quote = currency[1].upper()
    amount = _amount(values, token)
    return Intent(
        "price",
        {
            "token": token.value,
            "quote": quote,
            "amount": _grammar_amount(amount) if amount else None,
        },
    )


def _grammar_amount(text: str) -> JsonValue:
    try:
        return amount_json(parse_amount(text))
    except InvalidAmount:
        return None


def _chart(values: Values) -> Built:
    days = period_days(values.text)
    tokens = _distinct(values.tokens)
    if _PORTFOLIO_WORDS.search(values.text) and not tokens:
        return Intent("chart", {"subject": "portfolio", "days": days})
    if len(tokens) == 1:
        return Intent("chart", {"subject": tokens[0].value, "days": days})
    if not tokens:
        return Clarification(
            "What should I chart: a token (e.g. ETH) or your portfolio?", ["subject"],
            intent="chart",
        )  # fmt: skip
    listed = " or ".join(t.value for t in tokens)
    return Clarification(f"One chart at a time: {listed}?", ["subject"], intent="chart")


_NOT_MARKETS = {"perp", "perps", "perpetual", "perpetuals", "dex", "venue", "venues", "futures"}
_VENUES = {"hyperliquid", "dydx", "binance", "bybit", "okx", "gmx", "drift", "vertex", "aevo",
           "bitget", "kucoin", "kraken", "coinbase", "deribit", "mexc", "gate", "apex"}  # fmt: skip
"""Perp venues: named in a comparison ("hyperliquid vs dydx for a btc short"), never the
market (HYPE, DYDX)."""


def _perp(values: Values) -> Built:
    markets = [
        t
        for t in _distinct(values.tokens)
        if t.value not in _STABLES and t.text.lower() not in _NOT_MARKETS | _VENUES
    ]
    if not markets:
        return Clarification("Which market (e.g. BTC or ETH)?", ["market"], intent="perp")
    if len(markets) > 1:
        listed = " or ".join(m.value for m in markets)
        return Clarification(f"One market at a time: {listed}?", ["market"], intent="perp")
    sides = set(values.sides)
    if len(sides) > 1:
        return Clarification("Long or short? You said both.", ["side"], intent="perp")
    return Intent(
        "perp",
        {"action": "compare", "market": markets[0].value, "side": sides.pop() if sides else None,
         "size": None},
    )  # fmt: skip


_BALANCE_CUE = re.compile(
    r"\bbalance\s+(?:of|in)\s+(?:my\s+)?(?P<a>\$?[a-z][a-z0-9]*)\b"
    r"|^(?:my\s+)?(?P<b>\$?[a-z][a-z0-9]*)\s+(?:balance|holdings?)\b"
    r"|\bhow\s+(?:much|many)\s+(?P<c>\$?[a-z][a-z0-9]*)\s+(?:is|are)\s+(?:sitting\s+|left\s+)?"
    r"in\s+my\s+(?:wallet|account)\b",
    re.IGNORECASE,
)
"""Where a balance request names its token, even one spelt like a word ("balance of ONE",
"how much sand is sitting in my wallet")."""


def _balance(values: Values) -> Built:
    tokens = _distinct(values.tokens)
    if len(tokens) > 1:
        return Clarification(
            "One token at a time, or all of them ('my balances')?", ["token"], intent="balance"
        )
    if tokens:
        return Intent("balance", {"token": tokens[0].value})
    cue = _BALANCE_CUE.search(values.text)
    word = next((w for w in cue.groups() if w), "") if cue else ""
    bare = word.removeprefix("$").upper()
    return Intent("balance", {"token": bare if bare in symbols() else None})


def _ask(original: str) -> Built:
    lead = _ASK_LEAD.match(original)
    prompt = ask_prompt(original[lead.end() :].lstrip("→⇒=->:, ")) if lead else None
    if prompt is None or not prompt.strip(".!?: "):
        return Clarification("What do you want to ask the on-chain AI?", ["prompt"], intent="ask")
    return Intent("ask", {"prompt": prompt})


_REWARD_WORDS = re.compile(r"\b(?:rewards?|yield|staking|earnings?|interest)\b", re.IGNORECASE)


def _claim(values: Values) -> Built:
    """An airdrop or the staking rewards, only as the words say: a bare "claim it" asks."""
    airdrop, rewards = _AIRDROP.search(values.text), _REWARD_WORDS.search(values.text)
    if airdrop and not rewards:
        return Intent("claim", {"what": "airdrop"})
    if rewards and not airdrop:
        return Intent("claim", {"what": "rewards"})
    return Clarification(
        "What do you want to claim: your staking rewards or the airdrop?", ["what"], intent="claim"
    )


def build(
    label: IntentName,
    values: Values,
    original: str,
    ctx: Context,
    wallet_names: frozenset[str],
) -> Built:
    """The intent ``label`` with what ``values`` say, or the question for what they don't."""
    builders: dict[str, Callable[[], Built]] = {
        "swap": lambda: _swap(values, ctx),
        "send": lambda: _send(values, ctx, wallet_names),
        "stake": lambda: _staking("stake", values, ctx),
        "unstake": lambda: _staking("unstake", values, ctx),
        "claim": lambda: _claim(values),
        "price": lambda: _price(values, ctx),
        "balance": lambda: _balance(values),
        "portfolio": lambda: Intent("portfolio", {}),
        "points": lambda: Intent("points", {}),
        "performance": lambda: Intent("performance", {"days": period_days(values.text)}),
        "chart": lambda: _chart(values),
        "query": lambda: Intent("query", {"question": original.strip()}),
        "bridge": lambda: _bridge(values, ctx),
        "perp": lambda: _perp(values),
        "ask": lambda: _ask(original),
    }
    return builders[label]()
