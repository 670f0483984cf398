"""The airdrop page in Chromium over a served py-evm devnet with a built, deployed and funded
airdrop: the airdrop's facts, the server wallet's allocation claimed (and staked) only after
its exact transaction is shown and confirmed, another address's exclusion with its evidence,
and hostile input shown as text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from rexos.agents.wallet import open_agent
from rexos.airdrop.launch import launch, with_airdrop
from rexos.airdrop.tree import AirdropTree, tree_path
from rexos.api.app import create_app
from rexos.api.guard import GuardPolicy
from rexos.api.pages import use_airdrop
from rexos.api.web_session import WebSessions
from rexos.chain import RpcChain, Transactor, dev_account, load_artifact
from rexos.orchestrator.airdrop_desk import AirdropDesk
from rexos.types import Address, format_units
from tests.browser.conftest import TOKEN
from tests.browser.harness import serve
from tests.devchain import served_dev_chain
from tests.unit.api.fake_lense import WALLET, FakeLense

pytestmark = pytest.mark.xdist_group("browser")

REX = 10**18
ME = dev_account(1)
EXCLUDED = Address("0x00000000000000000000000000000000000000e1")


@dataclass
class Served:
    url: str
    sessions: WebSessions
    chain: RpcChain
    tree: AirdropTree

    def login(self, next_path: str) -> str:
        return f"{self.url}/login?code={self.sessions.new_code()}&next={next_path}"

    def staked(self, who: str) -> int:
        manifest_staked = self.tree.distributor  # the distributor knows its sREX
        assert manifest_staked is not None
        dist = self.chain.web3.eth.contract(address=manifest_staked,
                                            abi=load_artifact("RexAirdrop").abi)  # fmt: skip
        sr = self.chain.web3.eth.contract(address=dist.functions.staked().call(),
                                          abi=load_artifact("StakedRex").abi)  # fmt: skip
        return int(sr.functions.balanceOf(who).call())


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("airdrop-page-home")
    with served_dev_chain([Address(ME.address)]) as (_, chain, manifest):
        web3 = chain.web3
        rows = [(Address(ME.address), 1234 * REX), (Address(dev_account(2).address), REX)]
        deadline = int(web3.eth.get_block("latest")["timestamp"]) + 30 * 86_400
        built = AirdropTree.build(manifest.chain_id, rows, deadline)
        treasury, bucket = Transactor(web3, dev_account(0)), Transactor(web3, dev_account(9))
        tree = launch(web3, manifest, built, treasury, bucket)
        tree.save(tree_path(home, manifest.chain_id))
        draft = {"appeal_deadline": 1_800_000_000, "excluded": [{
            "address": EXCLUDED, "lost": ["loyalty"],
            "evidence": {"cluster_id": "c-0123456789abcdef", "size": 37}}]}  # fmt: skip
        (home / "airdrop" / f"draft-{manifest.chain_id}.json").write_text(json.dumps(draft))
        deployed = with_airdrop(manifest, tree, "x.json")
        agent = open_agent(web3, deployed, ME, home)
        (home / "policy.yaml").write_text('confirm_above_usd: "1000000"\n')
        desk = AirdropDesk(web3, home, manifest.chain_id, lambda: agent)
        holder: list[WebSessions] = []

        def make(port: int) -> object:
            holder.append(WebSessions(port))
            app = create_app(None, GuardPolicy.build(TOKEN, port), lense=FakeLense(),
                             web=holder[0], home=WALLET)  # fmt: skip
            use_airdrop(app, desk)
            return app

        with serve(make) as url:
            yield Served(url, holder[0], chain, tree)


def test_the_wallet_claims_and_stakes_only_after_its_transaction_is_shown(
    page: Page, served: Served
) -> None:
    web3 = served.chain.web3
    page.goto(served.login("/airdrop"))
    expect(page.get_by_test_id("facts")).to_contain_text("2, 1,235.0000 REX in all")
    expect(page.get_by_test_id("facts")).to_contain_text(served.tree.root)
    expect(page.get_by_test_id("amount")).to_have_text(f"{format_units(1234 * REX, 18, 4)} REX")
    expect(page.get_by_test_id("state")).to_have_text("open")
    nonce = web3.eth.get_transaction_count(ME.address)
    page.get_by_role("button", name="Claim and stake into sREX").click()
    expect(page.get_by_test_id("confirm-claim")).to_contain_text("staked into sREX")
    expect(page.get_by_test_id("confirm-claim")).to_contain_text(served.tree.distributor or "")
    assert web3.eth.get_transaction_count(ME.address) == nonce  # shown, not signed
    page.get_by_role("button", name="Sign and claim").click()
    expect(page.get_by_test_id("claimed")).to_be_visible()
    expect(page.get_by_test_id("state")).to_have_text("claimed")
    assert web3.eth.get_transaction_count(ME.address) == nonce + 1
    assert served.staked(ME.address) == 1234 * REX
    expect(page.get_by_role("button", name="Claim", exact=True)).to_have_count(0)


def test_another_address_shows_its_exclusion_and_hostile_input_stays_text(
    page: Page, served: Served
) -> None:
    page.goto(served.login("/airdrop"))
    page.get_by_role("textbox", name="Address").fill(EXCLUDED)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("status")).to_contain_text("has no allocation")
    expect(page.get_by_test_id("excluded")).to_contain_text("cluster of 37 addresses")
    expect(page.get_by_role("button", name="Claim", exact=True)).to_have_count(0)
    page.get_by_role("textbox", name="Address").fill("<script>document.title='pwned'</script>")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("airdrop-error")).to_contain_text("address")
    assert page.title() == "Airdrop · RexOS"
