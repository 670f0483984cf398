"""The Studio and Agent Market pages in Chromium, over a served py-evm devnet: a spec pasted
in the Studio form is validated (its hash shown, the one ``rexos studio hash`` gives), its
evals run, hostile YAML is one clear error and stays text; the market page lists an agent
published, bought, settled and rated through :class:`~rexos.market.MarketClient`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from rexos.agents.wallet import open_agent
from rexos.api.app import create_app
from rexos.api.guard import GuardPolicy
from rexos.api.pages import use_market, use_publisher
from rexos.api.web_session import WebSessions
from rexos.chain import Transactor, dev_account
from rexos.market import MarketClient
from rexos.studio import dump_spec, new_spec, spec_hash
from rexos.studio.publishing import Publisher
from rexos.types import format_units
from tests.browser.conftest import TOKEN
from tests.browser.harness import serve
from tests.devchain import served_dev_chain
from tests.unit.api.fake_lense import WALLET, FakeLense

pytestmark = pytest.mark.xdist_group("browser")

HOSTILE = (
    "name: </textarea><script>document.title='pwned'</script>\n"
    "tools: !!python/object/apply:os.system ['id']\n"
)


@dataclass
class Served:
    url: str
    sessions: WebSessions
    listing: int
    spec_hash: str
    price: int
    market: MarketClient
    publisher: Publisher

    def login(self, next_path: str) -> str:
        return f"{self.url}/login?code={self.sessions.new_code()}&next={next_path}"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The pages over a devnet where one agent is listed, one use bought, settled and rated;
    the Studio page publishes from the developer's wallet."""
    developer, buyer = dev_account(1), dev_account(2)
    with served_dev_chain([developer.address, buyer.address]) as (_, chain, manifest):
        market = MarketClient(chain.web3, manifest)
        spec = new_spec("portfolio-digest", "digest-on-chain")
        digest = spec_hash(spec)
        dev, buys = Transactor(chain.web3, developer), Transactor(chain.web3, buyer)
        listing = market.list_agent(dev, digest, developer.address, spec.price_units)
        market.deposit(buys, spec.price_units)
        job = market.open_job(buys, digest, spec.price_units, market.now() + 3_600)
        market.settle(dev, job, spec.price_units, "0x" + "ab" * 32)
        market.rate(buys, job, 4)
        home = tmp_path_factory.mktemp("publisher-home")
        publisher = Publisher(market, lambda: open_agent(chain.web3, manifest, developer, home),
                              home)  # fmt: skip
        holder: list[WebSessions] = []

        def make(port: int) -> object:
            holder.append(WebSessions(port))
            app = create_app(None, GuardPolicy.build(TOKEN, port), lense=FakeLense(),
                             web=holder[0], home=WALLET)  # fmt: skip
            use_market(app, market)
            use_publisher(app, publisher)
            return app

        with serve(make) as url:
            yield Served(url, holder[0], listing, digest, spec.price_units, market, publisher)


def test_a_pasted_spec_is_validated_its_evals_run_and_hostile_yaml_stays_text(
    page: Page, served: Served
) -> None:
    page.goto(served.login("/studio"))
    expect(page.get_by_role("heading", name="Studio", exact=True)).to_be_visible()
    expect(page.locator('tr[data-tool="lense.report"] [data-marking]')).to_have_text("read-only")
    spec = new_spec("portfolio-digest", "pasted-digest")
    page.get_by_label("Spec (YAML)").fill(dump_spec(spec))
    page.get_by_role("button", name="Validate").click()
    expect(page.get_by_test_id("verdict")).to_have_text("valid")
    expect(page.get_by_test_id("spec-hash")).to_have_text(spec_hash(spec))
    expect(page.get_by_test_id("exports")).to_contain_text("io.github.you/pasted-digest")
    expect(page.get_by_test_id("publish-command")).to_contain_text(
        "rexos market publish pasted-digest.yaml"
    )
    expect(page.get_by_text("Run its evals to publish it from here.")).to_be_visible()
    page.get_by_role("button", name="Run evals").click()  # the pasted text is still there
    expect(page.get_by_test_id("eval-summary")).to_have_text(
        f"{len(spec.evals)} passed, 0 failed, 0 left to `rexos studio run`"
    )
    page.get_by_label("Spec (YAML)").fill(HOSTILE)
    page.get_by_role("button", name="Validate").click()
    expect(page.get_by_test_id("spec-error")).to_contain_text("YAML tags")
    expect(page.get_by_label("Spec (YAML)")).to_have_value(HOSTILE)
    assert page.title() == "Studio · RexOS"
    assert page.locator("#compose script").count() == 0


def test_the_market_lists_the_agent_and_its_versions_totals(page: Page, served: Served) -> None:
    page.goto(served.login("/market"))
    row = page.locator(f'tr[data-listing="{served.listing}"]')
    price = f"{format_units(served.price, 18, 4)} REX"
    expect(row).to_contain_text(served.spec_hash)
    expect(row).to_contain_text(dev_account(1).address)
    expect(row.locator("td").nth(3)).to_have_text(price)
    expect(row.locator("td").nth(5)).to_have_text(price)  # the one settled use
    expect(row.locator("td").nth(6)).to_have_text("4.00 / 5 (1 rating)")
    row.get_by_role("link", name=str(served.listing)).click()
    expect(page.get_by_role("heading", name=f"Listing {served.listing}")).to_be_visible()
    version = page.locator('tr[data-version="0"]')
    expect(version).to_contain_text(served.spec_hash)
    expect(version.locator("td").nth(2)).to_have_text("1")
    expect(page.get_by_test_id("settled")).to_have_text(price)


def test_publishing_from_the_page_shows_the_exact_transaction_and_signs_only_on_its_yes(
    page: Page, browser: Browser, served: Served
) -> None:
    web3 = served.market.web3
    developer = dev_account(1).address
    page.goto(served.login("/studio?template=portfolio-digest"))
    text = (
        page.get_by_label("Spec (YAML)")
        .input_value()
        .replace("name: my-portfolio-digest", "name: page-published-digest")
    )
    page.get_by_label("Spec (YAML)").fill(text)
    page.get_by_role("button", name="Run evals").click()
    expect(page.get_by_test_id("eval-summary")).to_contain_text("0 failed")
    nonce = web3.eth.get_transaction_count(developer)
    page.get_by_role("button", name=f"Publish from {developer}").click()

    confirm = page.get_by_test_id("confirm-publish")
    expect(confirm).to_contain_text("page-published-digest 1.0.0, as a new listing")
    expect(confirm).to_contain_text(served.market.market.address)
    fingerprint = page.get_by_test_id("fingerprint").inner_text()
    assert web3.eth.get_transaction_count(developer) == nonce  # shown, nothing signed

    confirm_url = f"{served.url}/studio/publish/{fingerprint}/confirm"
    intruder = browser.new_context()  # another log-in: its own session
    try:
        other = intruder.new_page()
        other.goto(served.login("/studio"))
        csrf = other.locator('input[name="csrf"]').first.get_attribute("value")
        got = other.request.post(confirm_url, form={"csrf": csrf or ""},
                                 headers={"Origin": served.url})  # fmt: skip
        assert got.status == 400 and "no publication waits" in got.text()
    finally:
        intruder.close()
    assert web3.eth.get_transaction_count(developer) == nonce

    page.get_by_role("button", name="Sign and publish").click()
    expect(page.get_by_test_id("published")).to_be_visible()
    assert web3.eth.get_transaction_count(developer) == nonce + 1
    listing_id = int(page.locator("article[data-listing]").get_attribute("data-listing") or 0)
    published = new_spec("portfolio-digest", "page-published-digest")
    assert served.market.listing(listing_id).owner == developer
    assert served.market.version(spec_hash(published)).listing_id == listing_id

    csrf = page.locator('input[name="csrf"]').first.get_attribute("value")  # a second yes
    again = page.request.post(confirm_url, form={"csrf": csrf or ""},
                              headers={"Origin": served.url})  # fmt: skip
    assert again.status == 400 and "no publication waits" in again.text()
    assert web3.eth.get_transaction_count(developer) == nonce + 1

    page.goto(f"{served.url}/market/{listing_id}")
    expect(page.locator('tr[data-version="0"]')).to_contain_text(spec_hash(published))
