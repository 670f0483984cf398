"""Which functions a guarded query may call.

Two kinds are refused by :func:`check_call`:

- functions that reach outside the index: files, the network, settings, the environment,
  system catalogs (the deny-list below, by name and by prefix);
- functions whose output size is set by an argument (``repeat``, ``lpad``/``rpad``,
  ``printf``/``format`` widths, ``list_resize``, ``bitstring``, ...). DuckDB builds their
  results outside its buffer manager, so its ``memory_limit`` does not bound them
  (``repeat('x', 1500000000)`` takes 3 GB under a 64 MB limit).

``range`` and ``generate_series`` are the only table functions, and the only list
generators, allowed: with whole-number literal bounds and at most :data:`MAX_SERIES`
elements, in ``FROM`` or in an expression.
"""

from __future__ import annotations

from sqlglot import exp

from rexos.errors import UnsafeQuery

__all__ = ["MAX_SERIES", "check_call", "denied", "function_name", "refuse"]

MAX_SERIES = 1000
"""The most elements a ``range``/``generate_series`` call may produce."""

_DENIED_PREFIXES = (
    "read_",
    "duckdb_",
    "pragma_",
    "parquet_",
    "sqlite_",
    "postgres_",
    "mysql_",
    "iceberg_",
    "delta_",
    "http",
    "s3",
    "json_execute",
    "pg_",
    "information_schema",
)
_DENIED_NAMES = frozenset(
    {
        "glob",
        "getenv",
        "current_setting",
        "query",
        "query_table",
        "sniff_csv",
        "load_extension",
        "install",
        "load",
        "attach",
        "copy",
        "export_database",
        "import_database",
        "checkpoint",
        "force_checkpoint",
        "which_secret",
        "read_text",
        "read_blob",
        "write_csv",
        "from_json_file",
        "sql_auto_complete",
        "test_all_types",
        "enable_profiling",
    }
)
_SIZED_BY_ARGUMENT = frozenset(
    {
        "repeat",
        "repeat_row",
        "pad",
        "lpad",
        "rpad",
        "printf",
        "format",
        "list_resize",
        "array_resize",
        "bitstring",
    }
)
_SIZED_NODES: tuple[type[exp.Expression], ...] = (exp.Repeat, exp.Pad, exp.Format)


def refuse(reason: str) -> UnsafeQuery:
    """The error for a refused query: one line, ``refused SQL: <reason>``."""
    return UnsafeQuery(f"refused SQL: {reason}")


def function_name(node: exp.Func) -> str:
    """The lower-case name ``node`` is called by (sqlglot's name for a known function)."""
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()


def denied(name: str) -> bool:
    """Whether ``name`` (a function, table or CTE name) is a system or outside-world name."""
    return name in _DENIED_NAMES or name.startswith(_DENIED_PREFIXES)


def _whole(node: exp.Expression | None) -> int | None:
    if isinstance(node, exp.Neg):
        inner = _whole(node.this)
        return None if inner is None else -inner
    if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit():
        return int(node.this)
    return None


def _series_length(node: exp.GenerateSeries) -> int | None:
    start, end = _whole(node.args.get("start")), _whole(node.args.get("end"))
    step = _whole(node.args["step"]) if node.args.get("step") is not None else 1
    if start is None or end is None or step is None or step == 0:
        return None
    stop = end if node.args.get("is_end_exclusive") else end + (1 if step > 0 else -1)
    if step > 0:
        return max(0, (stop - start + step - 1) // step)
    return max(0, (start - stop - step - 1) // -step)


def check_call(node: exp.Func) -> None:
    """Raise :class:`~rexos.errors.UnsafeQuery` unless a query may call ``node``."""
    name = function_name(node)
    if denied(name):
        raise refuse(f"function {name}() is not allowed")
    if isinstance(node, _SIZED_NODES) or name in _SIZED_BY_ARGUMENT:
        raise refuse(f"function {name}() is not allowed: an argument sets its output size")
    if isinstance(node, exp.GenerateSeries):
        length = _series_length(node)
        if length is None or length > MAX_SERIES:
            raise refuse(
                f"range()/generate_series() needs whole-number literal bounds and at most "
                f"{MAX_SERIES} elements: {node.sql('duckdb')}"
            )
