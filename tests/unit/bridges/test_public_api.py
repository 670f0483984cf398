from __future__ import annotations

import rexos.bridges as bridges
from rexos.errors import RexosError


def test_the_clients_are_exported() -> None:
    assert {"rank", "BridgeQuote", "LifiClient", "AcrossClient", "BungeeClient"} <= set(
        bridges.__all__
    )


def test_bridge_error_is_a_rexos_error() -> None:
    assert issubclass(bridges.BridgeError, RexosError)
