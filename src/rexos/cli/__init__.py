"""The ``rexos`` command line (a thin edge: nothing imports it)."""

__all__: list[str] = []
