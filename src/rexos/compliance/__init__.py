"""The compliance gate: a jurisdiction policy and sanctions screening, checked before any
service does work."""

from __future__ import annotations

__all__: list[str] = []
