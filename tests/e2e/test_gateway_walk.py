"""Every CLI command that signs for a user's wallet goes through the Wallet agent's gateway.

Two proofs. Statically: each command that unlocks a wallet is declared below — through the
gateway, or handing the key to the Wallet agent another way, or an operator's node with its
own key — and only those modules may unlock a key or build a bare Transactor. Dynamically:
with a policy that allows no chain, each gateway command, run as a user would, is refused by
the policy and the wallet's nonce does not move (nothing was signed).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import typer

from rexos.chain import Transactor
from rexos.cli import main
from rexos.dprompt import receipt_hash
from tests.e2e.conftest import PASS_ENV
from tests.e2e.dprompt_fixtures import MODEL, DPromptNet, devnet
from tests.e2e.test_cli_dprompt import COMMITTEE_POOL, _register_bob, _register_committee

__all__ = ["devnet"]

ALICE = ("--wallet", "alice", "--passphrase-env", PASS_ENV, "--yes")

GATEWAY = {
    "stake", "unstake", "claim", "swap", "bridge", "ask", "dprompt deposit",
    "dprompt challenge", "dprompt finalize", "provider register", "provider withdraw",
    "vesting release", "market publish", "market deposit", "market withdraw", "market buy",
    "market settle", "market refund", "market rate", "market claim", "airdrop claim",
    "airdrop bind", "airdrop sweep", "fees pay", "lense report", "dprompt reclaim",
    "dprompt desk-fund", "market settle-up", "market desk-fund",
}  # fmt: skip
"""Sign through ``CliContext.gateway`` (a GatewaySigner: the agent classifies every tx)."""
AGENT = {
    "send": "plans the transfer with the Wallet agent and executes it there",
    "chat": "plans become Wallet agent moves; each transaction confirmed by fingerprint",
    "serve": "the same session over HTTP",
    "bot run": "trades through WalletAgent.execute, only what the policy allows unattended",
    "studio run": "the agent's plan runs through a Wallet agent held to the user's policy, "
    "the spec's permissions and the run's budget",
    "studio publish": "the same gateway signer as `market publish` (cli/market.py's "
    "publish_spec calls c.gateway)",
}
KEYSTORE = {
    "wallet new": "creates a keystore: the passphrase encrypts a new key, nothing is signed",
    "wallet import": "encrypts an imported key into the keystore, nothing is signed",
}
OPERATOR = {
    "provider run": "a provider node's own key answers, votes and audits (no user funds)",
    "relayer run": "the bridge relayer's key signs deliveries on both chains",
}
UNLOCK_MODULES = {
    "context.py", "chat.py", "studio.py", "policy.py", "bot.py", "provider_run.py", "relayer.py",
}  # fmt: skip
BARE_TRANSACTOR_MODULES = {
    "demo.py", "demo_dprompt.py", "demo_swap.py", "demo_market.py", "demo_airdrop.py",
    "demo_opml.py", "devnet.py",
}  # fmt: skip
"""Dev accounts for genesis and the demo: explicit and separate from any user wallet."""


def _commands(app: typer.Typer, prefix: str = "") -> Iterator[tuple[str, object]]:
    for info in app.registered_commands:
        callback = info.callback
        assert callback is not None
        yield (prefix + (info.name or callback.__name__)).strip(), callback
    for group in app.registered_groups:
        assert group.typer_instance is not None
        yield from _commands(group.typer_instance, f"{prefix}{group.name} ")


def test_every_command_that_unlocks_a_wallet_is_declared() -> None:
    declared = GATEWAY | set(AGENT) | set(OPERATOR) | set(KEYSTORE)
    unlocking = {
        name
        for name, callback in _commands(main.app)
        if "passphrase_env" in inspect.signature(callback).parameters  # type: ignore[arg-type]
    }
    assert unlocking == declared
    for name, callback in _commands(main.app):
        if name in GATEWAY:
            module = inspect.getmodule(callback)
            assert module is not None and "c.gateway(" in inspect.getsource(module), name


def test_only_declared_modules_unlock_keys_or_sign_bare() -> None:
    cli_dir = Path(main.__file__).parent
    for path in sorted(cli_dir.glob("*.py")):
        text = path.read_text()
        if re.search(r"\.signer\(", text):
            assert path.name in UNLOCK_MODULES, path.name
        if re.search(r"\bTransactor\(", text):
            assert path.name in BARE_TRANSACTOR_MODULES, path.name


def _nonce(net: DPromptNet) -> int:
    return int(net.chain.web3.eth.get_transaction_count(net.alice))


def test_each_gateway_command_is_refused_by_a_closed_policy(cli, net: DPromptNet) -> None:  # type: ignore[no-untyped-def]
    # what the commands need first, under the default policy (each confirmed with --yes)
    _register_bob(net)
    _register_committee(net)
    for setup in (("stake", "20"), ("dprompt", "deposit", "50")):
        assert cli(*setup, *ALICE).code == 0
    asked = cli("ask", "2+2?", "--no-wait", *ALICE)
    assert asked.code == 0, asked.err
    request_id = int(re.findall(r"Request (\d+)", asked.out)[0])
    client = net.client()
    view = client.get(request_id)
    responder = net.bob_account if view.provider == net.bob else None
    if responder is None:
        from rexos.chain import dev_account

        responder = next(
            dev_account(i) for i in COMMITTEE_POOL if dev_account(i).address == view.provider
        )
    client.respond(
        Transactor(net.chain.web3, responder),
        view,
        "4",
        receipt_hash(*[("0x" + "ab" * 32)] * 3, 0, "0x" + "ab" * 32),
    )
    (net.home / "policy.yaml").write_text("allow: {chains: [1]}\n")  # no chain at all
    attempts = [
        ("stake", "1"),
        ("unstake", "1"),
        ("claim",),
        ("swap", "WETH", "USDC", "0.01"),
        ("send", "USDC", "1", "--to", net.bob),
        ("ask", "hello?", "--no-wait"),
        ("dprompt", "deposit", "1"),
        ("dprompt", "challenge", str(request_id)),
        ("provider", "register", "--model", MODEL, "--price", "1", "--stake", "1000"),
        ("market", "deposit", "1"),
        ("vesting", "release", "community_staking"),  # after a year: something has vested
        ("ask", "hello?", "--pay-with", "USDC", "--no-wait"),  # the TWAP window is covered now
        ("dprompt", "desk-fund", "1"),
    ]
    before = _nonce(net)
    for args in attempts:
        if args[0] == "vesting":
            net.chain.time_travel(366 * 86_400)
        result = cli(*args, *ALICE)
        assert result.code == 2, (args, result.out, result.err)
        assert "refused by the policy: chain" in result.err, (args, result.err)
        assert "is not in the policy's allow-list" in result.err, (args, result.err)
        assert _nonce(net) == before, args
    print(f"gateway walk: {len(attempts)} signing commands, {len(attempts)} refused by the policy")
