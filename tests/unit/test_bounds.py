"""The bounds ``--help`` shows are the ones the code enforces."""

from __future__ import annotations

from rexos import bounds
from rexos.perps import venues


def test_every_built_in_perp_venue_is_declared_once_in_order() -> None:
    assert tuple(venues._FACTORIES) == bounds.PERP_VENUES == venues.VENUES


def test_the_packages_enforce_the_declared_bounds() -> None:
    from rexos.agents.chart import MAX_DAYS
    from rexos.agents.database import DEFAULT_MAX_ROWS
    from rexos.explorer import MAX_HISTORY
    from rexos.search import MAX_QUERY_CHARS

    assert (DEFAULT_MAX_ROWS, MAX_DAYS, MAX_HISTORY, MAX_QUERY_CHARS) == (
        bounds.MAX_SQL_ROWS,
        bounds.MAX_CHART_DAYS,
        bounds.MAX_HISTORY,
        bounds.MAX_QUERY_CHARS,
    )
