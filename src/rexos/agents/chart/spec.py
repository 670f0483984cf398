"""The ChartSpec: a small typed description of one chart, checked before it is compiled.

A chart is one mark (``line``, ``bar`` or ``area``) over points ``(x, y)``: ``y`` is always a
quantity (a :class:`~decimal.Decimal`, never a float), ``x`` is a time (ISO 8601 with a
timezone), a quantity or a category. The spec says which, with a title and unit per axis;
:func:`~rexos.agents.chart.vegalite.to_vega_lite` turns it into Vega-Lite.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["MAX_POINTS", "Axis", "ChartKind", "ChartSpec", "FieldType", "Point"]

ChartKind = Literal["line", "bar", "area"]
"""The mark drawn: a line or an area over time, bars per category."""

FieldType = Literal["temporal", "quantitative", "nominal"]
"""What an axis shows: times, quantities or categories (Vega-Lite's field types)."""

MAX_POINTS = 5_000
"""Most points one chart holds."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Axis(_Frozen):
    """One axis: the data field it reads, its title, its type and its unit."""

    field: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$", description="Data field name.")
    title: str = Field(min_length=1, max_length=80, description="Axis title.")
    type: FieldType
    unit: str | None = Field(default=None, max_length=16, description="e.g. USD, UTC.")


class Point(_Frozen):
    """One datum: ``x`` as text (a time, a number or a category), ``y`` an exact number."""

    x: str = Field(min_length=1, max_length=80)
    y: Decimal = Field(allow_inf_nan=False)


class ChartSpec(_Frozen):
    """One chart: mark, titles, axes and points (time charts in time order)."""

    kind: ChartKind
    title: str = Field(min_length=1, max_length=120)
    subtitle: tuple[str, ...] = Field(default=(), max_length=4)
    x: Axis
    y: Axis
    points: tuple[Point, ...] = Field(min_length=1, max_length=MAX_POINTS)

    @model_validator(mode="after")
    def _consistent(self) -> ChartSpec:
        if self.y.type != "quantitative":
            raise ValueError("the y axis must be quantitative")
        if self.x.field == self.y.field:
            raise ValueError("the x and y axes must read different fields")
        if self.kind == "bar" and self.x.type != "nominal":
            raise ValueError("a bar chart needs a nominal (category) x axis")
        if self.kind != "bar" and self.x.type == "nominal":
            raise ValueError(f"a {self.kind} chart needs a temporal or quantitative x axis")
        xs = [p.x for p in self.points]
        if self.x.type == "temporal":
            times = [_time(x) for x in xs]
            if any(b <= a for a, b in pairwise(times)):
                raise ValueError("the points of a time chart must be in strictly increasing time")
        elif self.x.type == "quantitative":
            for x in xs:
                _number(x)
        elif len(set(xs)) != len(xs):
            raise ValueError("each category may appear once")
        return self


def _time(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 time: {text!r}") from None
    if value.tzinfo is None:
        raise ValueError(f"a time needs a timezone (e.g. Z): {text!r}")
    return value


def _number(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    return value
