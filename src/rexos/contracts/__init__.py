"""Compiled contracts shipped with RexOS."""
