"""ENS names (EIP-137): the namehash, and resolution through an ENS registry.

Normalisation is deliberately narrow: a label is lowercase ASCII ``[a-z0-9-]``. Anything
else (upper case, other scripts, emoji, spaces, empty labels) is a :class:`UsageError` with
one line saying why, never a guess at what was meant: full ENSIP-15 normalisation maps many
spellings to one name, and a wrong guess sends money to someone else.

Resolution asks the registry for the name's resolver and the resolver for ``addr(node)``;
an unset resolver or an unset (zero) address is ``None``.
"""

from __future__ import annotations

import re
from typing import Any

from eth_utils.crypto import keccak
from web3 import Web3
from web3.exceptions import BadFunctionCallOutput

from rexos.chain.artifacts import load_artifact
from rexos.chain.tx import reverts_as
from rexos.errors import ChainError, UsageError
from rexos.types import Address, parse_address

__all__ = ["ENS_TLD", "is_ens_name", "labelhash", "labels", "namehash", "resolve"]

ENS_TLD = "eth"
"""The top-level name :func:`is_ens_name` accepts."""

_LABEL = re.compile(r"[a-z0-9-]+")
_ZERO_ADDRESS = "0x" + "00" * 20
_SHOWN = 60


def _shown(name: str) -> str:
    """``name`` quoted for an error line: escapes visible, long names cut."""
    text = repr(name)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 4] + "...'"


def labels(name: str) -> list[str]:
    """The labels of ``name`` (``"alice.eth"`` → ``["alice", "eth"]``; ``""`` → ``[]``).

    Raises :class:`UsageError` for an empty label or a label outside ``[a-z0-9-]``.
    """
    if name == "":
        return []
    parts = name.split(".")
    if "" in parts:
        raise UsageError(f"ENS name {_shown(name)} has an empty label")
    for char in name.replace(".", ""):
        if not (char.isascii() and _LABEL.fullmatch(char.lower())):
            raise UsageError(
                f"ENS name {_shown(name)} has {char!r}: RexOS resolves only names of lower-case "
                "ASCII letters, digits and '-'"
            )
    if name != name.lower():
        raise UsageError(
            f"ENS name {_shown(name)} is not normalised: write it in lower case "
            f"({_shown(name.lower())})"
        )
    return parts


def labelhash(label: str) -> bytes:
    """keccak256 of one label (``"eth"``); the label must be valid on its own."""
    if len(labels(label)) != 1:
        raise UsageError(f"not a single ENS label: {_shown(label)}")
    return keccak(text=label)


def namehash(name: str) -> bytes:
    """The EIP-137 namehash of ``name`` (32 bytes; the root ``""`` is 32 zero bytes)."""
    node = b"\x00" * 32
    for label in reversed(labels(name)):
        node = keccak(node + keccak(text=label))
    return node


def is_ens_name(text: str) -> bool:
    """Whether ``text`` is a name under ``.eth`` (``"alice.eth"``, ``"pay.alice.eth"``)
    whose labels are all lowercase ASCII ``[a-z0-9-]``."""
    try:
        parts = labels(text)
    except UsageError:
        return False
    return len(parts) >= 2 and parts[-1] == ENS_TLD


def _is_zero(address: str) -> bool:
    return address.lower() == _ZERO_ADDRESS


def _read(call: Any, action: str, silent: str) -> str:
    """``call.call()`` as a string; ``silent`` is the error when the target returns nothing
    (no contract there, or not one with that function)."""
    with reverts_as(action):
        try:
            return str(call.call())
        except BadFunctionCallOutput as exc:
            raise ChainError(silent) from exc


def resolve(web3: Web3, registry_address: str, name: str) -> Address | None:
    """The address ``name`` resolves to through the ENS registry at ``registry_address``;
    ``None`` when the name has no resolver or its resolver has no address for it."""
    node = namehash(name)
    registry_at = parse_address(registry_address)
    registry = web3.eth.contract(address=registry_at, abi=load_artifact("ENSRegistry").abi)
    resolver_at = _read(
        registry.functions.resolver(node),
        f"look up the ENS resolver of {name}",
        f"no ENS registry answers at {registry_at}",
    )
    if _is_zero(resolver_at):
        return None
    resolver = web3.eth.contract(
        address=parse_address(resolver_at), abi=load_artifact("PublicResolver").abi
    )
    answer = _read(
        resolver.get_function_by_signature("addr(bytes32)")(node),
        f"resolve {name} with its resolver {resolver_at}",
        f"the ENS resolver of {name} ({resolver_at}) does not answer addr(bytes32)",
    )
    if _is_zero(answer):
        return None
    return parse_address(answer)
