"""rexos.bot's public surface is its explicit ``__all__``."""

from __future__ import annotations

import rexos.bot


def test_all_names_exist_once() -> None:
    exported = rexos.bot.__all__
    assert len(exported) == len(set(exported))
    for name in exported:
        assert hasattr(rexos.bot, name), name
