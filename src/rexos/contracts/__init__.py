"""Compiled contracts shipped with RexOS."""

__all__: list[str] = []
