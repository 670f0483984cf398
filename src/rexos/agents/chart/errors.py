"""The Chart agent's errors (both :class:`~rexos.errors.RexosError`: one line on the CLI).

::

    RexosError
    └── ChartError        a chart that cannot be built, checked or rendered
        └── NoChartData   the sources hold nothing to draw (no swaps indexed, no holdings)
"""

from __future__ import annotations

from rexos.errors import RexosError

__all__ = ["ChartError", "NoChartData"]


class ChartError(RexosError):
    """A chart could not be built, failed its Vega-Lite checks, or could not be rendered."""


class NoChartData(ChartError):
    """There is nothing to draw: no data is invented to fill a chart."""
