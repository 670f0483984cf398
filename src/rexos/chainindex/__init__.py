"""The chain index: one DuckDB file per chain, its tables and the limits on reading it.

Below both the Database agent (which writes it from chain events and answers questions over
it) and the explorer (which reads an address's transfers from it): :mod:`.schema` declares
the tables, :mod:`.store` is the only module that opens DuckDB, :mod:`.limits` bounds what
one read-only query may use.
"""

from rexos.chainindex.limits import DEFAULT_LIMITS, QueryLimits
from rexos.chainindex.schema import TABLES, schema_markdown, table_names
from rexos.chainindex.store import IndexStore, QueryResult, Value, index_path, run_query

__all__ = [
    "DEFAULT_LIMITS",
    "TABLES",
    "IndexStore",
    "QueryLimits",
    "QueryResult",
    "Value",
    "index_path",
    "run_query",
    "schema_markdown",
    "table_names",
]
