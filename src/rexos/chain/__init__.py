"""Chain layer: clients, backends, the transaction lifecycle, keystores, devnets."""

from rexos.chain.artifacts import Artifact, artifact_names, load_artifact
from rexos.chain.backends import AnvilChain, EmbeddedChain, RpcChain, connect
from rexos.chain.client import ChainClient, ChainKind, DevChain
from rexos.chain.devaccounts import dev_account, dev_accounts
from rexos.chain.devnet import DevnetState, devnet_down, devnet_status, devnet_up, rpc_url
from rexos.chain.ens import is_ens_name, namehash
from rexos.chain.ens_deploy import deploy_ens
from rexos.chain.keystore import Keystore, PassphraseSource, WalletInfo
from rexos.chain.manifest import Manifest, load_manifest, save_manifest
from rexos.chain.revert import decode_revert
from rexos.chain.tx import Receipt, Transactor, reverts_as

__all__ = [
    "AnvilChain",
    "Artifact",
    "ChainClient",
    "ChainKind",
    "DevChain",
    "DevnetState",
    "EmbeddedChain",
    "Keystore",
    "Manifest",
    "PassphraseSource",
    "Receipt",
    "RpcChain",
    "Transactor",
    "WalletInfo",
    "artifact_names",
    "connect",
    "decode_revert",
    "deploy_ens",
    "dev_account",
    "dev_accounts",
    "devnet_down",
    "devnet_status",
    "devnet_up",
    "is_ens_name",
    "load_artifact",
    "load_manifest",
    "namehash",
    "reverts_as",
    "rpc_url",
    "save_manifest",
]
