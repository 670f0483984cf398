"""`rexos ask` without --max-fee caps at the dearest active provider's price, whichever
provider the quote names (issue 12: a dearer draw once failed "fee below price")."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from rexos.cli.ask import _precheck
from rexos.errors import UsageError

PROVIDER = "0x" + "11" * 20


class _Call:
    def __init__(self, value: Any) -> None:
        self.value = value

    def call(self, **_: Any) -> Any:
        return self.value


class _Client:
    def __init__(self, quoted: int, ceiling: int) -> None:
        limits = SimpleNamespace(requestLimits=lambda key: _Call((True, 1_000)))
        self.models = SimpleNamespace(functions=limits)
        self.quoted, self.ceiling = quoted, ceiling

    def quote(self, model: str) -> tuple[str, int]:
        return PROVIDER, self.quoted

    def price_ceiling(self, model: str) -> int:
        return self.ceiling


@pytest.mark.parametrize("quoted", [2, 7])
def test_the_cap_is_the_ceiling_whoever_is_quoted(quoted: int) -> None:
    assert _precheck(_Client(quoted, 7), "m", "hi", None) == 7  # type: ignore[arg-type]


def test_an_explicit_cap_is_kept_or_refused() -> None:
    assert _precheck(_Client(2, 7), "m", "hi", 5) == 5  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="fee below price"):
        _precheck(_Client(6, 7), "m", "hi", 5)  # type: ignore[arg-type]
