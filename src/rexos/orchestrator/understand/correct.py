"""A request the user corrected as they wrote it, read as the request they ended with.

"swap 200 usdc for eth. no wait, make it 150" is "swap 150 usdc for eth"; "send 0.5 wbtc
to carol, no sorry to dave" is "send 0.5 wbtc to dave"; "swap 200 usdc for pendle.
actually no, for morpho" is "swap 200 usdc for morpho". The correction replaces one value
of the request before it (an amount, with its token or without; the object after "to",
"for" or "into"; a recipient said alone) with what the user typed after the correction
word; anything else is left to the question the pipeline asks ("please say the whole
request again"). Every word of the result is the user's, and the plan it becomes is shown
for confirmation like any other.
"""

from __future__ import annotations

import re

from rexos.orchestrator.intent.slots import names_an_account

__all__ = ["corrected"]

_MARK = (
    r"(?:no\s+)?(?:wait|sorry|actually|oops|correction|i\s+mean|scratch\s+that)"
    r"(?:[\s,.!]+(?:no|wait|sorry|actually|i\s+mean))*"
)
_SPLIT = re.compile(
    rf"^(?P<before>.+?[\w$])[\s,.;!]+(?:(?:{_MARK})[\s,.:;!-]*(?:make\s+(?:it|that)\s+)?"
    r"|make\s+(?:it|that)\s+)(?P<after>.+?)[\s.!]*$",
    re.IGNORECASE,
)
_AMOUNT = r"\$?\d[\d,]*(?:\.\d+)?(?:\s*[kmb]\b)?"
_NEW_AMOUNT = re.compile(rf"^(?P<amount>{_AMOUNT})(?:\s+(?P<token>\$?[a-z][a-z0-9]*))?$", re.I)
_OLD_AMOUNT = re.compile(
    rf"(?<![\w.]){_AMOUNT}(?:\s+(?P<token>(?!(?:to|for|into|of|in|with|on)\b)\$?[a-z][a-z0-9]*))?",
    re.I,
)
_NEW_OBJECT = re.compile(r"^(?P<mark>to|for|into)\s+(?P<what>\S+)$", re.IGNORECASE)


def corrected(text: str, wallets: frozenset[str]) -> str | None:
    """``text`` with its one self-correction applied, or ``None`` when it has none this
    can apply (``wallets`` are the names a recipient said alone may be)."""
    found = _SPLIT.match(" ".join(text.split()))
    if found is None:
        return None
    before, after = found["before"], found["after"]
    if re.search(rf"\b(?:{_MARK})\b", before, re.IGNORECASE):
        return None  # more than one correction: asked about
    amount = _NEW_AMOUNT.match(after)
    if amount is not None:
        old = _OLD_AMOUNT.search(before)
        if old is None:
            return None
        if amount["token"] is not None and old["token"] is None:
            return None  # "swap 5 to usdc, i mean 5 eth": not one value replaced
        new_token = (amount["token"] or "").lower().lstrip("$")
        if new_token and new_token != (old["token"] or "").lower().lstrip("$"):
            return None  # "…, make it 150 dai": the amount and the token both changed
        token = amount["token"] or old["token"]
        new = amount["amount"] + (f" {token}" if token else "")
        return before[: old.start()] + new + before[old.end() :]
    obj = _NEW_OBJECT.match(after)
    if obj is not None:
        last = list(re.finditer(r"\b(?:to|for|into)\s+\S+", before, re.IGNORECASE))
        if not last:
            return None
        end = last[-1]
        return f"{before[: end.start()]}{obj['mark']} {obj['what']}{before[end.end() :]}"
    alone = after.strip()
    if names_an_account(alone) or alone.lower() in wallets:
        end_to = re.search(r"\bto\s+\S+$", before, re.IGNORECASE)
        if end_to is not None:
            return f"{before[: end_to.start()]}to {alone}"
    return None
