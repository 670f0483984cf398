"""Plug-ins that ship with RexOS; registered through entry points like any other."""

__all__: list[str] = []
