"""One path for signatures: only these modules may build a signer or sign a transaction.

A user's wallet signs through the Wallet agent (``agents/wallet``: the gateway). The rest
sign with keys that are not a user's wallet, each for a stated reason. A new module that
constructs a ``Transactor``/``RecordedSender`` or calls ``sign_transaction`` fails this test
until it is routed through the gateway or declared here with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import rexos

ALLOWED = {
    "agents/wallet/agent.py": "the gateway itself: simulates, then sends through RecordedSender",
    "chain/tx.py": "defines Transactor",
    "chain/recorded.py": "defines RecordedSender (used by the gateway)",
    "chain/evm_rpc.py": "the local py-evm devnet's faucet (dev key, devnet only)",
    "bridges/relayer.py": "the bridge relayer's own operator key",
    "dprompt/node.py": "a provider node's own operator key (answers, votes, audits)",
    "deployment.py": "genesis deployment by the dev deployer",
    "economy/deploy.py": "genesis deployment by the dev deployer",
    "dex/deploy.py": "DEX fixtures deployed by the dev deployer",
    "dprompt/deploy.py": "DPrompt contracts deployed by the dev deployer",
    "cli/demo.py": "the demo's dev accounts",
    "cli/demo_dprompt.py": "the demo's dev accounts",
    "cli/demo_swap.py": "the demo's dev accounts",
    "cli/demo_market.py": "the demo's dev accounts",
    "cli/demo_airdrop.py": "the demo's dev accounts",
    "cli/demo_opml.py": "the demo's dev accounts (a cheating provider and an auditing one)",
    "cli/devnet.py": "devnet up/fund with the dev treasury account",
    "airdrop/launch.py": "a devnet's genesis roles (treasury, airdrop bucket) deploy and fund "
    "the airdrop's distributor; never a user's wallet",
}
SIGNS = re.compile(r"\b(Transactor|RecordedSender)\(|\.sign_transaction\(")


def test_only_declared_modules_build_signers() -> None:
    root = Path(rexos.__file__).parent
    found = {
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if SIGNS.search(path.read_text(encoding="utf-8"))
    }
    assert found <= set(ALLOWED), sorted(found - set(ALLOWED))
    assert all(reason.strip() for reason in ALLOWED.values())
