"""The Database agent: chain events indexed into DuckDB, questions answered with safe SQL.

``index_chain`` writes a deployment's transfers, swaps, stakes, DPrompt requests and answers
and bridge moves into ``$REXOS_HOME/index/<chain_id>.duckdb`` (tables in
:mod:`~rexos.chainindex.schema`); ``ask`` turns a question into SQL (templates, raw SQL
or an optional LLM), checks it with ``check_sql`` and runs it on a read-only connection
under :class:`QueryLimits` (memory, threads, a wall-clock timeout, rows fetched).
"""

from rexos.agents.database.agent import ask, vocabulary
from rexos.agents.database.guard import DEFAULT_MAX_ROWS, check_sql
from rexos.agents.database.indexer import IndexProgress, IndexReport, index_chain
from rexos.agents.database.questions import EXAMPLES, LLM, Translation, Vocabulary, to_sql
from rexos.chainindex.limits import QueryLimits
from rexos.chainindex.schema import TABLES, schema_markdown, table_names
from rexos.chainindex.store import QueryResult, index_path, run_query

__all__ = [
    "DEFAULT_MAX_ROWS",
    "EXAMPLES",
    "LLM",
    "TABLES",
    "IndexProgress",
    "IndexReport",
    "QueryLimits",
    "QueryResult",
    "Translation",
    "Vocabulary",
    "ask",
    "check_sql",
    "index_chain",
    "index_path",
    "run_query",
    "schema_markdown",
    "table_names",
    "to_sql",
    "vocabulary",
]
