"""The compliance gate in front of the API and the web pages: a barred service is HTTP 451
with one line naming the rule, before the route runs; the Guard still answers first."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from rexos.api.app import create_app
from rexos.api.compliance import ComplianceCheck, data_dir
from rexos.api.guard import GuardPolicy
from rexos.compliance import declare, load_policy
from rexos.config import Settings
from tests.unit.plugins.test_conformance import OfflineContext

TOKEN = "c" * 43
PORT = 8787
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BARRING_THE_MARKET = (
    'version = 1\n[jurisdiction]\nmethod = "self-declared"\nunknown = "allow"\n'
    'kyc_providers = []\n[sanctions]\nlists = ["default"]\n'
    '[jurisdictions.CN]\nname = "mainland China"\nbasis = "an operator rule"\n'
    'barred = ["agent-market", "exchange"]\n'
)


def home_in(tmp_path: Path, code: str) -> Path:
    (tmp_path / "compliance.toml").write_text(BARRING_THE_MARKET)
    declare(load_policy(tmp_path), tmp_path, code)
    return tmp_path


def api(home: Path) -> TestClient:
    context = OfflineContext(Settings(home=home))
    app = create_app(None, GuardPolicy.build(TOKEN, PORT), market=context)
    return TestClient(app, base_url=f"http://127.0.0.1:{PORT}", raise_server_exceptions=False)


def test_a_barred_route_is_451_naming_the_rule_and_never_runs(tmp_path: Path) -> None:
    with api(home_in(tmp_path, "CN")) as client:
        got = client.get("/v1/market/listings", headers=AUTH)
        assert got.status_code == 451
        assert got.json() == {
            "error": "refused by compliance rule jurisdiction.CN: the agent-market service is "
            "barred for users in CN (mainland China) under an operator rule"
        }  # the route would have asked the offline context for a chain: a 500
        assert client.get("/v1/health").status_code == 200
        assert client.get("/v1/market/listings").status_code == 401  # the Guard answers first


def test_elsewhere_the_route_runs(tmp_path: Path) -> None:
    with api(home_in(tmp_path, "DE")) as client:
        assert client.get("/v1/market/listings", headers=AUTH).status_code == 500  # it ran


def test_the_log_names_the_entry_not_the_path(tmp_path: Path) -> None:
    home = home_in(tmp_path, "CN")
    buyer = "0x" + "ab" * 20
    with api(home) as client:
        assert client.get(f"/v1/market/jobs/{buyer}", headers=AUTH).status_code == 451
    text = (home / "compliance" / "decisions.jsonl").read_text()
    assert '"entry": "api:/v1/market"' in text and "ab" * 20 not in text


def test_a_page_is_refused_in_plain_text(tmp_path: Path) -> None:
    app = FastAPI()

    @app.get("/market/{listing}")
    def page(listing: str) -> str:
        return f"listing {listing}"

    app.add_middleware(ComplianceCheck, home=home_in(tmp_path, "CN"))
    with TestClient(app) as client:
        got = client.get("/market/3")
        assert got.status_code == 451 and got.headers["content-type"].startswith("text/plain")
        assert got.text.startswith("refused by compliance rule jurisdiction.CN: ")


def test_without_a_data_directory_nothing_is_checked(tmp_path: Path) -> None:
    assert data_dir(None, None) is None
    assert data_dir(None, OfflineContext(Settings(home=tmp_path))) == tmp_path
    app = FastAPI()

    @app.get("/market/{listing}")
    def page(listing: str) -> str:
        return listing

    app.add_middleware(ComplianceCheck, home=None)
    with TestClient(app) as client:
        assert client.get("/market/3").status_code == 200
