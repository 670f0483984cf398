"""ENS on the py-evm devnet: the npm packages' bytecode deployed by ``deploy_ens``, names
resolved over JSON-RPC through the registry, each test inside a snapshot/revert."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from rexos.chain import RpcChain, Transactor, dev_account, load_artifact
from rexos.chain.ens import labelhash, namehash, resolve
from rexos.chain.ens_deploy import deploy_ens, register_subnames
from rexos.chain.evm_server import serve
from rexos.errors import ChainError, UsageError
from rexos.types import Address

VITALIK = Address("0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045")
NAMES = {
    "alice.eth": Address(dev_account(1).address),
    "bob.eth": Address(dev_account(2).address),
    "vitalik.eth": VITALIK,
}


@dataclass(frozen=True)
class EnsDevnet:
    chain: RpcChain
    deployer: Transactor
    contracts: dict[str, Address]

    def resolve(self, name: str) -> Address | None:
        return resolve(self.chain.web3, self.contracts["ENSRegistry"], name)

    def registry(self) -> Any:
        abi = load_artifact("ENSRegistry").abi
        return self.chain.web3.eth.contract(address=self.contracts["ENSRegistry"], abi=abi)


@pytest.fixture(scope="module")
def devnet() -> Iterator[EnsDevnet]:
    with serve() as server:
        chain = RpcChain(server.url)
        deployer = Transactor(chain.web3, dev_account(0))
        messages: list[str] = []
        contracts = deploy_ens(deployer, NAMES, progress=messages.append)
        assert messages == ["deploying ENS (registry, public resolver) with 3 .eth names"]
        yield EnsDevnet(chain, deployer, contracts)
        chain.close()


@pytest.fixture
def ens(devnet: EnsDevnet) -> Iterator[EnsDevnet]:
    snapshot = devnet.chain.snapshot()
    yield devnet
    devnet.chain.revert(snapshot)


def test_deploy_returns_the_two_manifest_entries(ens: EnsDevnet) -> None:
    assert sorted(ens.contracts) == ["ENSRegistry", "PublicResolver"]
    assert ens.contracts["ENSRegistry"] != ens.contracts["PublicResolver"]


@pytest.mark.parametrize("name", sorted(NAMES))
def test_registered_names_resolve_to_the_given_address(ens: EnsDevnet, name: str) -> None:
    assert ens.resolve(name) == NAMES[name]


def test_the_deployed_code_is_the_published_bytecode(ens: EnsDevnet) -> None:
    for name, address in ens.contracts.items():
        code = ens.chain.web3.eth.get_code(address)
        assert "0x" + code.hex().removeprefix("0x") == load_artifact(name).deployed_bytecode


def test_the_registry_names_the_deployed_public_resolver(ens: EnsDevnet) -> None:
    registry = ens.registry().functions
    for name in NAMES:
        assert registry.resolver(namehash(name)).call() == ens.contracts["PublicResolver"]
        assert registry.owner(namehash(name)).call() == ens.deployer.address
    assert registry.owner(namehash("eth")).call() == ens.deployer.address
    assert registry.resolver(namehash("eth")).call() == "0x" + "00" * 20


@pytest.mark.parametrize("name", ["carol.eth", "eth", "pay.alice.eth", "alice.test"])
def test_an_unknown_name_resolves_to_none(ens: EnsDevnet, name: str) -> None:
    assert ens.resolve(name) is None


def test_a_name_whose_resolver_has_no_address_resolves_to_none(ens: EnsDevnet) -> None:
    registry = ens.registry().functions
    ens.deployer.send(
        registry.setSubnodeRecord(
            namehash("eth"),
            labelhash("dave"),
            ens.deployer.address,
            ens.contracts["PublicResolver"],
            0,
        ),
        action="register dave.eth without an address",
    )
    assert registry.resolver(namehash("dave.eth")).call() == ens.contracts["PublicResolver"]
    assert ens.resolve("dave.eth") is None


@pytest.mark.parametrize("name", ["Alice.eth", "al ice.eth", "alice..eth", "ålice.eth"])
def test_an_invalid_label_is_a_usage_error(ens: EnsDevnet, name: str) -> None:
    with pytest.raises(UsageError, match=r"^ENS name "):
        ens.resolve(name)


def test_a_registry_address_without_a_contract_is_a_chain_error(ens: EnsDevnet) -> None:
    nobody = dev_account(5).address
    with pytest.raises(ChainError, match=f"no ENS registry answers at {nobody}"):
        resolve(ens.chain.web3, nobody, "alice.eth")


def test_register_subnames_repoints_and_adds_names(ens: EnsDevnet) -> None:
    carol = Address(dev_account(3).address)
    register_subnames(
        ens.deployer,
        ens.contracts["ENSRegistry"],
        ens.contracts["PublicResolver"],
        "eth",
        {"alice.eth": carol, "carol.eth": carol},
    )
    assert ens.resolve("alice.eth") == carol
    assert ens.resolve("carol.eth") == carol
    assert ens.resolve("bob.eth") == NAMES["bob.eth"]


@pytest.mark.parametrize(
    "names",
    [
        {"alice.com": VITALIK},
        {"pay.alice.eth": VITALIK},
        {"eth": VITALIK},
        {"Alice.eth": VITALIK},
        {"carol.eth": VITALIK, "dave.eth": "0x1234"},
    ],
)
def test_deploy_refuses_bad_names_before_sending_anything(
    ens: EnsDevnet, names: dict[str, str]
) -> None:
    before = ens.chain.web3.eth.block_number
    with pytest.raises(UsageError):
        deploy_ens(ens.deployer, names)
    assert ens.chain.web3.eth.block_number == before
