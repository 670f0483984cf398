"""One TOML loader for the genesis and DPrompt's parameters; each error names what is read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rexos.dprompt import load_dprompt_params
from rexos.economy import load_genesis
from rexos.errors import ConfigError


def test_dprompt_errors_name_dprompt_parameters(tmp_path: Path) -> None:
    path = tmp_path / "genesis.toml"
    path.write_text("[dprompt]\ncommittee_size = 4\n")
    with pytest.raises(ConfigError) as info:
        load_dprompt_params(path)
    assert str(info.value) == (
        f"DPrompt parameters in {path}: dprompt.committee_size: must be odd, got 4"
    )


def test_genesis_errors_name_the_genesis(tmp_path: Path) -> None:
    path = tmp_path / "genesis.toml"
    path.write_text("total_supply_rex = \n")
    with pytest.raises(ConfigError, match=f"^genesis {re.escape(str(path))}: not valid TOML"):
        load_genesis(path)
    with pytest.raises(ConfigError, match=r"^DPrompt parameters in .*: not valid TOML"):
        load_dprompt_params(path)


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^DPrompt parameters in .*absent\.toml: cannot read"):
        load_dprompt_params(tmp_path / "absent.toml")


def test_defaults_alone_load() -> None:
    assert load_dprompt_params().book.committee_size % 2 == 1
    assert load_genesis().buckets
