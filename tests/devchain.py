"""The dev deployment, made once per test process and forked for each fixture that needs it.

:func:`rexos.deployment.deploy_dev` mines about 190 blocks on py-evm (several seconds of
CPU); a fixture that wants a fresh devnet gets an independent fork of a chain that already
holds it (:meth:`~rexos.chain.embedded.EmbeddedEvm.fork`), and its accounts funded
afterwards as ``deploy_dev(funded=…)`` would have funded them
(:func:`rexos.deployment.fund_dev`). Blocks mined on a fork carry the time they are mined,
so the deployment's TGE may lie a few minutes in the past, as on a devnet started earlier.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

from rexos.chain import EmbeddedChain, RpcChain
from rexos.chain.embedded import EmbeddedEvm, create_embedded_evm
from rexos.chain.evm_server import EvmServer, serve
from rexos.chain.manifest import Manifest
from rexos.deployment import deploy_dev, fund_dev
from rexos.types import Address

__all__ = ["dev_chain", "served_dev_chain"]

_deployed: dict[bool, tuple[EmbeddedEvm, Manifest]] = {}


def _template(dex: bool) -> tuple[EmbeddedEvm, Manifest]:
    if dex not in _deployed:
        evm = create_embedded_evm()
        _deployed[dex] = (evm, deploy_dev(EmbeddedChain(evm), dex=dex))
    return _deployed[dex]


def dev_chain(
    funded: Sequence[Address] = (), *, dex: bool = True
) -> tuple[EmbeddedChain, Manifest]:
    """A fresh in-process chain holding ``deploy_dev(funded=funded, dex=dex)``."""
    evm, manifest = _template(dex)
    chain = EmbeddedChain(evm.fork())
    fund_dev(chain, manifest, funded)
    return chain, replace(manifest, block=int(chain.web3.eth.block_number))


@contextmanager
def served_dev_chain(
    funded: Sequence[Address] = (), *, dex: bool = True
) -> Iterator[tuple[EvmServer, RpcChain, Manifest]]:
    """:func:`dev_chain` served over JSON-RPC on loopback, as ``rexos devnet up`` serves it."""
    evm, manifest = _template(dex)
    with serve(evm=evm.fork()) as server:
        chain = RpcChain(server.url)
        fund_dev(chain, manifest, funded)
        block = int(chain.web3.eth.block_number)
        yield server, chain, replace(manifest, backend="rpc", rpc_url=server.url, block=block)
