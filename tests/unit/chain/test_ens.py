"""ENS names: the EIP-137 namehash vectors, the narrow normalisation and its one-line errors."""

from __future__ import annotations

import re
import string

import pytest
from eth_utils.crypto import keccak
from hypothesis import given
from hypothesis import strategies as st

from rexos.chain.ens import is_ens_name, labelhash, labels, namehash
from rexos.errors import UsageError

VALID_CHARS = string.ascii_lowercase + string.digits + "-"
label_text = st.text(alphabet=VALID_CHARS, min_size=1, max_size=20)
valid_name = st.lists(label_text, min_size=1, max_size=4).map(".".join)


@pytest.mark.parametrize(
    ("name", "node"),
    [
        ("", "00" * 32),
        ("eth", "93cdeb708b7545dc668eb9280176169d1c33cfd8ed6f04690a0bcc88a93fc4ae"),
        ("foo.eth", "de9b09fd7c5f901e23a3f19fecc54828e9c848539801e86591bd9801b019f84f"),
    ],
)
def test_namehash_matches_the_eip137_vectors(name: str, node: str) -> None:
    assert namehash(name).hex() == node


def test_labelhash_is_keccak_of_one_label() -> None:
    assert labelhash("eth").hex() == (
        "4f5b812789fc606be1b3b16908db13fc7a9adf7ca72641f84d75b47069d3d7f0"
    )
    with pytest.raises(UsageError, match="not a single ENS label"):
        labelhash("foo.eth")


@pytest.mark.parametrize("name", ["alice.eth", "pay.alice.eth", "a-1.eth", "0x.eth", "1.eth"])
def test_names_under_eth_are_ens_names(name: str) -> None:
    assert is_ens_name(name)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "eth",
        "alice",
        "alice.com",
        "Alice.eth",
        "alice..eth",
        ".alice.eth",
        "alice.eth.",
        "al ice.eth",
        "ålice.eth",
        "alice.eth ",
        "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045",
        "5 usdc",
    ],
)
def test_other_text_is_not_an_ens_name(text: str) -> None:
    assert not is_ens_name(text)


def test_upper_case_is_refused_with_the_lower_case_spelling() -> None:
    with pytest.raises(
        UsageError, match=r"not normalised: write it in lower case \('vitalik.eth'\)"
    ):
        namehash("Vitalik.eth")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("ALICE_.eth", "'_'"),
        ("Alice.\u00e9th", "'\u00e9'"),
        ("\u212a.eth", "'\u212a'"),
        ("a\nb.eth", "'\\n'"),
    ],
)
def test_the_error_names_the_character_no_case_change_would_fix(name: str, shown: str) -> None:
    with pytest.raises(UsageError, match="has " + re.escape(shown) + ": RexOS resolves only"):
        namehash(name)


def test_long_bad_names_are_cut_in_the_error() -> None:
    with pytest.raises(UsageError) as caught:
        namehash("é" * 500 + ".eth")
    assert len(str(caught.value)) < 200


@given(valid_name)
def test_valid_names_hash_label_by_label(name: str) -> None:
    parts = labels(name)
    assert ".".join(parts) == name
    parent = ".".join(parts[1:])
    assert namehash(name) == keccak(namehash(parent) + labelhash(parts[0]))
    assert len(namehash(name)) == 32
    assert is_ens_name(name) == (len(parts) >= 2 and parts[-1] == "eth")


foreign_text = st.text(min_size=1, max_size=3).filter(
    lambda text: any(c not in VALID_CHARS + "." for c in text)
)
"""Text with at least one character no label may hold (a dot only splits labels)."""


@given(st.lists(label_text, min_size=1, max_size=3), foreign_text, st.data())
def test_a_foreign_character_anywhere_is_one_usage_error_line(
    parts: list[str], bad: str, data: st.DataObject
) -> None:
    where = data.draw(st.integers(min_value=0, max_value=len(parts) - 1))
    cut = data.draw(st.integers(min_value=0, max_value=len(parts[where])))
    parts[where] = parts[where][:cut] + bad + parts[where][cut:]
    name = ".".join(parts) + ".eth"
    with pytest.raises(UsageError) as caught:
        namehash(name)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("ENS name ")
    assert not is_ens_name(name)


@given(st.lists(label_text, min_size=1, max_size=4), st.integers(min_value=0, max_value=4))
def test_an_empty_label_is_refused(parts: list[str], where: int) -> None:
    parts.insert(min(where, len(parts)), "")
    name = ".".join(parts)
    with pytest.raises(UsageError, match="has an empty label"):
        namehash(name)
