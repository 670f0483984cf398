"""Policies and homes the compliance tests share."""

from __future__ import annotations

from pathlib import Path

SANCTIONED = "0x01e2919679362dFBC9ee1644Ba9C6da6D6245BB1"
"""The first address of the shipped OFAC SDN list."""
CLEAN = "0x" + "11" * 20


def write_policy(
    home: Path,
    *,
    method: str = "self-declared",
    unknown: str = "allow",
    providers: str = "[]",
    lists: str = '["default"]',
    rules: str = '[jurisdictions.CN]\nname = "mainland China"\nbasis = "PBoC"\n'
    'barred = ["exchange", "trading-info"]\n',
) -> Path:
    """Write an operator's ``compliance.toml`` into ``home``; its path."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "compliance.toml"
    path.write_text(
        f'version = 1\n[jurisdiction]\nmethod = "{method}"\nunknown = "{unknown}"\n'
        f"kyc_providers = {providers}\n[sanctions]\nlists = {lists}\n{rules}"
    )
    return path
