"""The index's tables: one declaration that yields the DDL, the reference doc and the LLM prompt.

Every amount is an ``int`` in the token's base units stored as ``HUGEINT`` (128-bit; REX's
whole supply is about 2⁹¹), never a float. Addresses are checksummed ``0x`` strings, hashes
``0x`` hex. Event tables are keyed by ``(tx_hash, log_index)``, so indexing a block range
twice never duplicates a row.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "TABLES",
    "Column",
    "Table",
    "ddl",
    "schema_markdown",
    "schema_prompt",
    "table_names",
]


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its name, DuckDB type and what it holds."""

    name: str
    type: str
    doc: str


@dataclass(frozen=True, slots=True)
class Table:
    """One table of the index."""

    name: str
    doc: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]

    def create(self) -> str:
        """``CREATE TABLE IF NOT EXISTS`` for this table."""
        cols = [f"    {c.name} {c.type}" for c in self.columns]
        cols.append(f"    PRIMARY KEY ({', '.join(self.primary_key)})")
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n" + ",\n".join(cols) + "\n)"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(name: str, type_: str, doc: str) -> Column:
    return Column(name, type_, doc)


_AMOUNT = "HUGEINT"
_EVENT = (
    _c("block", "BIGINT NOT NULL", "Block number of the log."),
    _c("tx_hash", "VARCHAR NOT NULL", "Transaction hash (0x hex)."),
    _c("log_index", "INTEGER NOT NULL", "Position of the log in its block."),
)
_KEY = ("tx_hash", "log_index")

TABLES: tuple[Table, ...] = (
    Table(
        "blocks",
        "Every block that holds at least one indexed log, with its time.",
        (
            _c("number", "BIGINT NOT NULL", "Block number."),
            _c("timestamp", "BIGINT NOT NULL", "Block time, Unix seconds."),
            _c("time", "TIMESTAMP NOT NULL", "Block time as a UTC timestamp."),
        ),
        ("number",),
    ),
    Table(
        "tokens",
        "The deployment's tokens: REX, sREX, every dev token and bridged token.",
        (
            _c("address", "VARCHAR NOT NULL", "Token contract address."),
            _c("symbol", "VARCHAR NOT NULL", "Ticker symbol (REX, sREX, WETH, USDC, ...)."),
            _c("decimals", "INTEGER NOT NULL", "Decimals: amounts divide by 10^decimals."),
        ),
        ("address",),
    ),
    Table(
        "transfers",
        "ERC-20 Transfer events of the deployment's tokens (mints come from, burns go to, "
        "the zero address).",
        (
            *_EVENT,
            _c("token", "VARCHAR NOT NULL", "Token contract address."),
            _c("token_symbol", "VARCHAR NOT NULL", "Token symbol (REX, sREX, WETH, ...)."),
            _c("from_address", "VARCHAR NOT NULL", "Sender (zero address for a mint)."),
            _c("to_address", "VARCHAR NOT NULL", "Recipient (zero address for a burn)."),
            _c("amount", f"{_AMOUNT} NOT NULL", "Amount in the token's base units."),
        ),
        _KEY,
    ),
    Table(
        "swaps",
        "Swaps on the deployment's DEX pools: V2 pairs and V3 pools (Swap) and StableSwap "
        "pools (TokenExchange); one row per pool traded.",
        (
            *_EVENT,
            _c("pool", "VARCHAR NOT NULL", "Pool contract address."),
            _c("venue", "VARCHAR NOT NULL", "Venue name (unidev, cakedev, curvedev, ...)."),
            _c("kind", "VARCHAR NOT NULL", "'v2', 'v3' or 'stable'."),
            _c(
                "sender",
                "VARCHAR NOT NULL",
                "Caller of the pool; through RexRouter, the account that sent the transaction.",
            ),
            _c(
                "recipient",
                "VARCHAR NOT NULL",
                "Receiver of the output tokens; RexRouter stands for the transaction's sender.",
            ),
            _c("token_in", "VARCHAR NOT NULL", "Address of the token sold."),
            _c("token_in_symbol", "VARCHAR NOT NULL", "Symbol of the token sold."),
            _c("token_out", "VARCHAR NOT NULL", "Address of the token bought."),
            _c("token_out_symbol", "VARCHAR NOT NULL", "Symbol of the token bought."),
            _c("amount_in", f"{_AMOUNT} NOT NULL", "Amount sold, base units of token_in."),
            _c("amount_out", f"{_AMOUNT} NOT NULL", "Amount bought, base units of token_out."),
        ),
        _KEY,
    ),
    Table(
        "stakes",
        "REX staked for sREX (Staked) and sREX unstaked for REX (Unstaked).",
        (
            *_EVENT,
            _c("account", "VARCHAR NOT NULL", "The staker."),
            _c("action", "VARCHAR NOT NULL", "'stake' or 'unstake'."),
            _c("amount", f"{_AMOUNT} NOT NULL", "REX staked or sREX unstaked, wei."),
            _c("received", _AMOUNT, "Unstake: REX paid out, wei (NULL for a stake)."),
            _c("deduction", _AMOUNT, "Unstake: age-based deduction, wei (NULL for a stake)."),
            _c("burned", _AMOUNT, "Unstake: part of the deduction burned, wei (NULL for a stake)."),
            _c("entry_time", "BIGINT", "Stake: new weighted entry time, Unix s (NULL: unstake)."),
        ),
        _KEY,
    ),
    Table(
        "dprompt_requests",
        "DPrompt inference requests (RequestBook Requested events).",
        (
            *_EVENT,
            _c("request_id", "BIGINT NOT NULL", "Request id."),
            _c("requester", "VARCHAR NOT NULL", "Who asked and pays."),
            _c("provider", "VARCHAR NOT NULL", "The priority provider named for the request."),
            _c("model_id", "VARCHAR NOT NULL", "Model key (0x hex of the bytes32)."),
            _c("fee", f"{_AMOUNT} NOT NULL", "Escrowed fee, REX wei."),
            _c("prompt_hash", "VARCHAR NOT NULL", "keccak256 of the prompt (0x hex)."),
            _c("prompt", "VARCHAR NOT NULL", "The prompt text (UTF-8, invalid bytes replaced)."),
            _c("deadline", "BIGINT NOT NULL", "Answer deadline of the priority provider, Unix s."),
            _c("challenge_window", "BIGINT NOT NULL", "Challenge window after an answer, s."),
        ),
        _KEY,
    ),
    Table(
        "dprompt_answers",
        "DPrompt answers (RequestBook Responded events).",
        (
            *_EVENT,
            _c("request_id", "BIGINT NOT NULL", "The request answered."),
            _c("responder", "VARCHAR NOT NULL", "The provider that answered."),
            _c("output", "VARCHAR NOT NULL", "The answer text (UTF-8, invalid bytes replaced)."),
            _c("receipt_hash", "VARCHAR NOT NULL", "Receipt hash binding model, prompt, output."),
            _c("responded_at", "BIGINT NOT NULL", "Answer time, Unix s."),
        ),
        _KEY,
    ),
    Table(
        "bridge_transfers",
        "RexBridge moves: 'sent' from this chain (Sent) and 'delivered' to it (Delivered).",
        (
            *_EVENT,
            _c("direction", "VARCHAR NOT NULL", "'sent' or 'delivered'."),
            _c("src_chain_id", "BIGINT NOT NULL", "Chain the transfer left from."),
            _c("dst_chain_id", "BIGINT NOT NULL", "Chain the transfer goes to."),
            _c("nonce", "BIGINT NOT NULL", "Bridge nonce on the source chain."),
            _c("token", "VARCHAR NOT NULL", "Sent: home token address; delivered: local token."),
            _c("sender", "VARCHAR", "Who sent (NULL for a delivery: not in the event)."),
            _c("recipient", "VARCHAR NOT NULL", "Who receives on the destination chain."),
            _c("amount", f"{_AMOUNT} NOT NULL", "Amount in the token's base units."),
        ),
        _KEY,
    ),
    Table(
        "cursor",
        "How far the index has read each chain.",
        (
            _c("chain_id", "BIGINT NOT NULL", "Chain id."),
            _c("block", "BIGINT NOT NULL", "Last block fully indexed."),
        ),
        ("chain_id",),
    ),
)


def table_names() -> frozenset[str]:
    """Names of every table a query may read."""
    return frozenset(t.name for t in TABLES)


def ddl() -> list[str]:
    """The statements that create every table (idempotent)."""
    return [t.create() for t in TABLES]


def schema_markdown() -> str:
    """The reference page ``docs/reference/database-schema.md``."""
    lines = [
        "# Database agent: index schema",
        "",
        "`rexos index` reads the deployment's events into DuckDB at",
        "`$REXOS_HOME/index/<chain_id>.duckdb`; `rexos sql` answers questions over these",
        "tables. Amounts are integers in the token's base units (`HUGEINT`, never a float);",
        "addresses are checksummed `0x` strings. Event tables are keyed by",
        "`(tx_hash, log_index)`: re-indexing a range never duplicates a row.",
        "Queries may read these tables only (no system catalogs, table functions or files).",
        "",
        "This page is generated from `rexos.chainindex.schema`.",
    ]
    for table in TABLES:
        lines += ["", f"## `{table.name}`", "", table.doc, ""]
        lines += [f"Primary key: `({', '.join(table.primary_key)})`.", ""]
        lines += ["| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{c.name}` | `{c.type}` | {c.doc} |" for c in table.columns]
    return "\n".join(lines) + "\n"


def schema_prompt() -> str:
    """A compact description of the tables for a language model."""
    parts = []
    for table in TABLES:
        cols = ", ".join(f"{c.name} {c.type.split()[0]} -- {c.doc}" for c in table.columns)
        parts.append(f"{table.name}: {table.doc}\n  columns: {cols}")
    return "\n".join(parts)
