"""Questions in plain language → SQL over the index, with no LLM for the common shapes.

:func:`to_sql` tries, in order: raw SQL (the question starts with ``SELECT``, ``WITH`` or
``FROM``), the templates below, then the optional ``llm`` hook (prompt: the schema and the
question; answer: one query). Whatever the source, the SQL goes through
:func:`~rexos.agents.database.guard.check_sql` before it is returned. Token symbols and venue
names are recognised from the index's own vocabulary (:class:`Vocabulary`) and wallet names
from the keystore (``names``), so a template never puts free text from the question into
SQL: only known symbols, venues, checksummed addresses and integers.

"Today" and "the last N days" are measured from the newest indexed block's time, "the last N
blocks" from the index's cursor, so answers do not depend on the wall clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Literal

from rexos.agents.database.guard import DEFAULT_MAX_ROWS, check_sql
from rexos.chainindex.schema import schema_prompt, table_names
from rexos.errors import UsageError
from rexos.types import parse_address

__all__ = ["EXAMPLES", "LLM", "Translation", "Vocabulary", "llm_prompt", "to_sql"]

LLM = Callable[[str], str]
"""A language model as a function: prompt in, completion out."""

EXAMPLES = (
    "how many transfers of REX today",
    "how many swaps in the last 100 blocks",
    "top 5 holders of WETH",
    "balance of 0x… in USDC",
    "largest swaps",
    "total volume by venue",
    "who staked the most",
    "how many DPrompt requests",
    "answers by provider",
    "bridge transfers by direction",
    "my transfers",
    "SELECT count(*) FROM transfers",
)

_ZERO = "0x0000000000000000000000000000000000000000"
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_RAW = re.compile(r"^\s*(select|with|from)\b", re.I)
_N = re.compile(r"\b(?:top|largest|biggest|last|latest|recent|first)\s+(\d{1,4})\b", re.I)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The names a question may use: token symbols and venue names from the index."""

    symbols: Collection[str] = ()
    venues: Collection[str] = ()


@dataclass(frozen=True, slots=True)
class Translation:
    """A guarded query and where it came from."""

    sql: str
    source: Literal["sql", "template", "llm"]


@dataclass(frozen=True, slots=True)
class _Q:
    """A question, lower-cased, with what was recognised in it."""

    text: str
    token: str | None
    venue: str | None
    address: str | None
    n: int | None
    where: list[str] = field(default_factory=list)


def _word(text: str, names: Collection[str]) -> str | None:
    for name in sorted(names, key=len, reverse=True):
        if re.search(rf"(?<![\w$])\$?{re.escape(name.lower())}(?!\w)", text):
            return name
    return None


def _time(text: str) -> str | None:
    if re.search(r"\btoday\b", text):
        return (
            "block IN (SELECT number FROM blocks WHERE time >= "
            "(SELECT date_trunc('day', max(time)) FROM blocks))"
        )
    m = re.search(r"\b(?:in the )?(?:last|past) (\d{1,9}) (block|day|hour)s?\b", text)
    if m is None:
        return None
    n, unit = int(m.group(1)), m.group(2)
    if unit == "block":
        return f"block > (SELECT max(block) FROM cursor) - {n}"
    return (
        "block IN (SELECT number FROM blocks WHERE time > "
        f"(SELECT max(time) FROM blocks) - INTERVAL {n} {unit.upper()})"
    )


def _and(conds: list[str]) -> str:
    return f" WHERE {' AND '.join(conds)}" if conds else ""


# ------------------------------------------------------------ the templates

_WHO = {
    "transfers": ("from_address", "to_address"),
    "swaps": ("sender", "recipient"),
    "stakes": ("account",),
    "dprompt_requests": ("requester",),
    "dprompt_answers": ("responder",),
    "bridge_transfers": ("sender", "recipient"),
}
"""The columns naming who took part in each event table's rows."""


def _who_cond(table: str, q: _Q) -> list[str]:
    if q.address is None:
        return []
    cols = [f"{c} = '{q.address}'" for c in _WHO[table]]
    return [cols[0] if len(cols) == 1 else f"({' OR '.join(cols)})"]


_COUNTED = (
    ("bridge transfers", "bridge_transfers", None, None),
    ("bridges", "bridge_transfers", None, None),
    ("transfers", "transfers", "token_symbol", None),
    ("swaps", "swaps", "swap", None),
    ("unstakes", "stakes", None, "action = 'unstake'"),
    ("stakes", "stakes", None, "action = 'stake'"),
    ("requests", "dprompt_requests", None, None),
    ("prompts", "dprompt_requests", None, None),
    ("answers", "dprompt_answers", None, None),
    ("responses", "dprompt_answers", None, None),
)


def _token_cond(column: str | None, q: _Q) -> list[str]:
    if q.token is None or column is None:
        return []
    sym = q.token.upper()
    if column == "swap":
        return [f"(upper(token_in_symbol) = '{sym}' OR upper(token_out_symbol) = '{sym}')"]
    return [f"upper({column}) = '{sym}'"]


def _counting(q: _Q) -> bool:
    return re.search(r"\b(how many|number of|count)\b", q.text) is not None


def _count(q: _Q) -> str | None:
    if not _counting(q):
        return None
    for word, table, token_col, extra in _COUNTED:
        if re.search(rf"\b{word}\b", q.text):
            conds = [*_token_cond(token_col, q), *([extra] if extra else []), *q.where]
            conds += _who_cond(table, q)
            if q.venue is not None and table == "swaps":
                conds.append(f"venue = '{q.venue}'")
            alias = word.replace(" ", "_")
            return f"SELECT count(*) AS {alias} FROM {table}{_and(conds)}"
    return None


def _balances(symbol: str) -> str:
    return (
        "SELECT holder, sum(delta) AS balance FROM ("
        f"SELECT to_address AS holder, amount AS delta FROM transfers "
        f"WHERE upper(token_symbol) = '{symbol}' "
        f"UNION ALL SELECT from_address AS holder, -amount AS delta FROM transfers "
        f"WHERE upper(token_symbol) = '{symbol}') AS moves "
        f"WHERE holder <> '{_ZERO}' GROUP BY holder"
    )


def _holders(q: _Q) -> str | None:
    if not re.search(r"\bholders?\b", q.text):
        return None
    symbol = (q.token or "REX").upper()
    if re.search(r"\b(how many|number of|count)\b", q.text):
        return f"SELECT count(*) AS holders FROM ({_balances(symbol)}) AS b WHERE balance > 0"
    return (
        f"SELECT holder, balance FROM ({_balances(symbol)}) AS b WHERE balance > 0 "
        f"ORDER BY balance DESC, holder LIMIT {q.n or 10}"
    )


def _balance(q: _Q) -> str | None:
    if q.address is None or not re.search(r"\bbalance\b", q.text):
        return None
    symbol = (q.token or "REX").upper()
    return (
        f"SELECT coalesce(sum(CASE WHEN to_address = '{q.address}' THEN amount ELSE -amount END)"
        f", 0) AS balance FROM transfers WHERE upper(token_symbol) = '{symbol}' "
        f"AND (to_address = '{q.address}' OR from_address = '{q.address}')"
    )


def _supply(q: _Q) -> str | None:
    if not re.search(r"\bsupply\b", q.text):
        return None
    symbol = (q.token or "REX").upper()
    return (
        f"SELECT coalesce(sum(CASE WHEN from_address = '{_ZERO}' THEN amount ELSE 0 END), 0) - "
        f"coalesce(sum(CASE WHEN to_address = '{_ZERO}' THEN amount ELSE 0 END), 0) AS supply "
        f"FROM transfers WHERE upper(token_symbol) = '{symbol}'"
    )


def _largest_swaps(q: _Q) -> str | None:
    if not re.search(r"\b(largest|biggest|top)\b.*\bswaps?\b", q.text):
        return None
    conds = [*_token_cond("token_in_symbol", q), *q.where]
    return (
        "SELECT block, tx_hash, venue, token_in_symbol, amount_in, token_out_symbol, amount_out "
        f"FROM swaps{_and(conds)} ORDER BY amount_in DESC, block, log_index LIMIT {q.n or 10}"
    )


def _volume(q: _Q) -> str | None:
    if not re.search(r"\bvolume\b", q.text):
        return None
    by = "pool" if re.search(r"\b(by|per) pool\b", q.text) else "venue"
    conds = [*_token_cond("token_in_symbol", q), *q.where]
    return (
        f"SELECT {by}, token_in_symbol, sum(amount_in) AS volume, count(*) AS swaps "
        f"FROM swaps{_and(conds)} GROUP BY {by}, token_in_symbol ORDER BY {by}, token_in_symbol"
    )


def _stakers(q: _Q) -> str | None:
    if re.search(r"\b(total|how much)\b.*\bstaked\b", q.text):
        return (
            "SELECT coalesce(sum(CASE WHEN action = 'stake' THEN amount ELSE -amount END), 0) "
            f"AS staked FROM stakes{_and(q.where)}"
        )
    if not re.search(r"\b(staked the most|top stakers|largest stakers|biggest stakers)\b", q.text):
        return None
    conds = ["action = 'stake'", *q.where]
    return (
        f"SELECT account, sum(amount) AS staked FROM stakes{_and(conds)} "
        f"GROUP BY account ORDER BY staked DESC, account LIMIT {q.n or 10}"
    )


def _by_provider(q: _Q) -> str | None:
    if not re.search(r"\b(by|per) provider\b", q.text):
        return None
    if re.search(r"\brequests?\b", q.text):
        return (
            "SELECT provider, count(*) AS requests FROM dprompt_requests"
            f"{_and(q.where)} GROUP BY provider ORDER BY requests DESC, provider"
        )
    return (
        "SELECT responder AS provider, count(*) AS answers FROM dprompt_answers"
        f"{_and(q.where)} GROUP BY responder ORDER BY answers DESC, provider"
    )


def _bridge(q: _Q) -> str | None:
    if not re.search(r"\bbridge", q.text):
        return None
    return (
        "SELECT direction, count(*) AS transfers, sum(amount) AS amount FROM bridge_transfers"
        f"{_and(q.where)} GROUP BY direction ORDER BY direction"
    )


def _address_transfers(q: _Q) -> str | None:
    if q.address is None or not re.search(r"\btransfers?\b", q.text) or _counting(q):
        return None
    who = f"(from_address = '{q.address}' OR to_address = '{q.address}')"
    if re.search(r"\bfrom\b|\bsent\b", q.text):
        who = f"from_address = '{q.address}'"
    elif re.search(r"\bto\b|\breceived\b", q.text):
        who = f"to_address = '{q.address}'"
    conds = [who, *_token_cond("token_symbol", q), *q.where]
    return (
        "SELECT block, tx_hash, token_symbol, from_address, to_address, amount "
        f"FROM transfers{_and(conds)} ORDER BY block, log_index"
    )


_LATEST_TABLES = {"transfers": "transfers", "swaps": "swaps", "stakes": "stakes"}


def _latest(q: _Q) -> str | None:
    m = re.search(r"\b(latest|recent|last)\b(?: \d+)? (transfers|swaps|stakes)\b", q.text)
    if m is None:
        return None
    table = _LATEST_TABLES[m.group(2)]
    column = {"transfers": "token_symbol", "swaps": "swap", "stakes": None}[table]
    conds = [*_token_cond(column, q), *q.where]
    order = f"ORDER BY block DESC, log_index DESC LIMIT {q.n or 10}"
    return f"SELECT * FROM {table}{_and(conds)} {order}"


_TEMPLATES: tuple[Callable[[_Q], str | None], ...] = (
    _balance,
    _address_transfers,
    _holders,
    _supply,
    _count,
    _largest_swaps,
    _volume,
    _stakers,
    _by_provider,
    _bridge,
    _latest,
)


def _named(text: str, names: Mapping[str, str]) -> str | None:
    """The address of the one wallet name ``text`` mentions (checksummed), if any."""
    said = sorted(name for name in names if _word(text, [name]) is not None)
    if len(said) > 1:
        raise UsageError(f"the question names several wallets: {', '.join(said)}")
    return parse_address(names[said[0]]) if said else None


def _parse(question: str, vocabulary: Vocabulary, me: str | None, names: Mapping[str, str]) -> _Q:
    text = " ".join(question.lower().replace("?", " ").split())
    found = _ADDRESS.search(question)
    address: str | None = parse_address(found.group(0)) if found else _named(text, names)
    if address is None and re.search(r"\b(my|me|mine|i)\b", text):
        if me is None:
            raise UsageError("the question says 'my': name the wallet or address to use")
        address = parse_address(me)
    n = _N.search(text)
    time = _time(text)
    return _Q(
        text=text,
        token=_word(text, vocabulary.symbols),
        venue=_word(text, vocabulary.venues),
        address=address,
        n=int(n.group(1)) if n else None,
        where=[time] if time else [],
    )


def llm_prompt(question: str) -> str:
    """The prompt given to the ``llm`` hook for a question no template matches."""
    return (
        "You translate questions about an EVM chain's indexed events into one DuckDB SELECT.\n"
        "Amounts are integers in base units. Use only these tables:\n"
        f"{schema_prompt()}\n\n"
        f"Question: {question}\n"
        "Answer with the SQL only, in a ```sql block.\n"
    )


def _extract(completion: str) -> str:
    fenced = re.search(r"```(?:sql)?\s*(.*?)```", completion, re.S | re.I)
    if fenced:
        return fenced.group(1).strip()
    start = re.search(r"\b(select|with)\b", completion, re.I)
    return completion[start.start() :].strip() if start else completion.strip()


def to_sql(
    question: str,
    *,
    vocabulary: Vocabulary = Vocabulary(),
    me: str | None = None,
    names: Mapping[str, str] | None = None,
    llm: LLM | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Translation:
    """Translate ``question`` into a guarded query (see the module docstring).

    ``names`` maps wallet names (the keystore's) to addresses: a name in the question
    stands for its address, interpolated checksummed like an address written out.
    """
    tables = table_names()
    if not question.strip():
        raise UsageError("ask a question, e.g. " + "; ".join(EXAMPLES[:3]))
    if _RAW.match(question):
        return Translation(check_sql(question, tables, max_rows), "sql")
    q = _parse(question, vocabulary, me, names or {})
    for template in _TEMPLATES:
        sql = template(q)
        if sql is not None:
            return Translation(check_sql(sql, tables, max_rows), "template")
    if llm is None:
        examples = "\n".join(f"  - {e}" for e in EXAMPLES)
        raise UsageError(
            f"cannot answer {question!r} without a language model; questions like these work:\n"
            f"{examples}"
        )
    return Translation(check_sql(_extract(llm(llm_prompt(question))), tables, max_rows), "llm")
