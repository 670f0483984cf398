from __future__ import annotations

import rexos.bridges as bridges
from rexos.errors import RexosError


def test_every_exported_name_exists_and_is_listed_once() -> None:
    assert len(bridges.__all__) == len(set(bridges.__all__))
    for name in bridges.__all__:
        assert hasattr(bridges, name), name
    assert {"rank", "BridgeQuote", "LifiClient", "AcrossClient", "BungeeClient"} <= set(
        bridges.__all__
    )


def test_bridge_error_is_a_rexos_error() -> None:
    assert issubclass(bridges.BridgeError, RexosError)
