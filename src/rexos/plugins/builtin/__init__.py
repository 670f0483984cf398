"""Plug-ins that ship with RexOS; registered through entry points like any other."""
