"""The API token file: random, 0600 in a 0700 folder, made once, never accepted short."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from rexos.api.token import load_or_create_token, token_matches, token_path


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_first_call_makes_a_private_token_later_calls_read_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = load_or_create_token(home)
    assert first.created and first.path == token_path(home)
    assert len(first.value) >= 43
    assert _mode(first.path) == 0o600 and _mode(home) == 0o700
    again = load_or_create_token(home)
    assert not again.created and again.value == first.value
    assert load_or_create_token(tmp_path / "other").value != first.value


@pytest.mark.parametrize("content", ["", "\n", "short", "x" * 42, "not a token at all " * 4])
def test_an_empty_short_or_odd_file_is_replaced_never_accepted(
    tmp_path: Path, content: str
) -> None:
    token_path(tmp_path).write_text(content)
    token = load_or_create_token(tmp_path)
    assert token.created and token.value != content.strip() and len(token.value) >= 43
    assert token_path(tmp_path).read_text().strip() == token.value
    assert _mode(token_path(tmp_path)) == 0o600


def test_a_file_left_readable_by_others_is_tightened(tmp_path: Path) -> None:
    value = load_or_create_token(tmp_path).value
    os.chmod(token_path(tmp_path), 0o644)
    assert load_or_create_token(tmp_path).value == value
    assert _mode(token_path(tmp_path)) == 0o600


def test_only_the_exact_bearer_token_matches() -> None:
    token = "a" * 43
    assert token_matches(token, f"Bearer {token}")
    assert token_matches(token, f"bearer {token}")
    for header in [None, "", token, f"Basic {token}", f"Bearer {token}x", "Bearer ", "Bearer a"]:
        assert not token_matches(token, header), header
    assert not token_matches("", "Bearer ")
