"""ENS on a devnet: the real ENSRegistry and PublicResolver, and ``label.eth`` names in them.

The bytecode is the ENS project's own (npm ``@ensdomains/ens`` and ``@ensdomains/resolver``;
see ``rexos/contracts/artifacts/NOTICE``). The deployer owns the root, ``eth`` and every
name it registers, so it can re-point a name later; each name's resolver is the deployed
PublicResolver with its ``addr`` record set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rexos.chain.artifacts import load_artifact
from rexos.chain.ens import ENS_TLD, labelhash, labels, namehash
from rexos.chain.tx import Transactor
from rexos.errors import UsageError
from rexos.types import Address, parse_address

__all__ = ["deploy_ens", "register_subnames"]

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    """Default progress callback: say nothing."""


def _contract(deployer: Transactor, name: str, address: Address) -> Any:
    return deployer.web3.eth.contract(address=address, abi=load_artifact(name).abi)


def _child_label(name: str, parent: str) -> str:
    """The one label ``name`` adds under ``parent`` (``"alice.eth"`` under ``"eth"``)."""
    parts, parent_parts = labels(name), labels(parent)
    if len(parts) != len(parent_parts) + 1 or parts[1:] != parent_parts:
        raise UsageError(f"ENS name {name!r} is not one label under {parent!r}")
    return parts[0]


def register_subnames(
    deployer: Transactor,
    registry: Address,
    resolver: Address,
    parent: str,
    names: Mapping[str, str],
) -> None:
    """Register each name of ``names`` (one label under ``parent``, which the deployer must
    own), owned by the deployer, with ``resolver`` as its resolver and its ``addr`` record set
    to the mapped address: one transaction per name, then one multicall setting every address.
    """
    targets = {name: parse_address(address) for name, address in names.items()}
    children = {name: _child_label(name, parent) for name in targets}
    if not targets:
        return
    ens = _contract(deployer, "ENSRegistry", registry)
    public = _contract(deployer, "PublicResolver", resolver)
    parent_node = namehash(parent)
    for name, label in children.items():
        deployer.send(
            ens.functions.setSubnodeRecord(
                parent_node, labelhash(label), deployer.address, resolver, 0
            ),
            action=f"register {name}",
        )
    set_addr = public.get_function_by_signature("setAddr(bytes32,address)")
    calls = [
        set_addr(namehash(name), address)._encode_transaction_data()
        for name, address in targets.items()
    ]
    deployer.send(public.functions.multicall(calls), action=f"set {len(calls)} ENS addresses")


def deploy_ens(
    deployer: Transactor,
    names: Mapping[str, str],
    *,
    progress: Progress = _quiet,
) -> dict[str, Address]:
    """Deploy ENSRegistry and PublicResolver, create ``eth`` and register ``names``
    (``{"alice.eth": address, ...}``, each one label under ``eth``) with their addresses.

    Returns the manifest entries ``{"ENSRegistry": ..., "PublicResolver": ...}``.
    """
    for name, address in names.items():
        _child_label(name, ENS_TLD)
        parse_address(address)
    progress(f"deploying ENS (registry, public resolver) with {len(names)} .eth names")
    registry = deployer.deploy("ENSRegistry")
    registry_at = Address(registry.address)
    resolver_at = Address(deployer.deploy("PublicResolver", registry_at).address)
    deployer.send(
        registry.functions.setSubnodeOwner(namehash(""), labelhash(ENS_TLD), deployer.address),
        action="create the eth node",
    )
    register_subnames(deployer, registry_at, resolver_at, ENS_TLD, names)
    return {"ENSRegistry": registry_at, "PublicResolver": resolver_at}
