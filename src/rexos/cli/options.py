"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["AmountArg", "PassphraseEnv", "PassphraseFile", "WalletOpt", "YesOpt"]

WalletOpt = Annotated[
    str, typer.Option("--wallet", "-w", help="Keystore wallet name or address that signs.")
]
PassphraseFile = Annotated[
    Path | None,
    typer.Option(help="File whose first line is the keystore passphrase.", show_default=False),
]
PassphraseEnv = Annotated[
    str | None,
    typer.Option(
        help="Name of an environment variable holding the passphrase ($REXOS_PASSPHRASE_ENV).",
        show_default=False,
    ),
]
YesOpt = Annotated[
    bool,
    typer.Option(
        "--yes",
        "-y",
        help="Confirm the transactions the wallet policy asks about without a prompt.",
    ),
]
AmountArg = Annotated[str, typer.Argument(help="Amount in whole tokens, e.g. 1000 or 12.5.")]
