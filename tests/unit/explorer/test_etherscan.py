"""The Etherscan-compatible client on recorded answers: queries sent, typed rows, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from rexos.errors import InvalidAddress, UsageError
from rexos.explorer import EtherscanClient, ExplorerError, ExplorerRateLimited
from rexos.explorer.etherscan import GENESIS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "explorer"
VITALIK = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"
DDBD = "0xddBd2B932c763bA5b1b7AE3B362eac3e8d40121A"
"""The address of the recorded txlist and balance answers (tests/fixtures/explorer)."""
HOLDER = "0x4E83362442B8d1beC281594cEa3050c8EB01311C"
"""The address of the recorded tokentx answer."""
MKR = "0xC66eA802717bFb9833400264Dd12c2bCeAa34a6d"
CREATED = "0x1BB0ac60363E320BC45FDb15AED226FB59c88E44"
KEY = "SECRET-KEY-123"

Answer = tuple[int, bytes] | Exception


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class Recorded:
    """An ``EtherscanClient`` whose requests are answered in turn from ``answers``."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.seen: list[httpx.Request] = []
        self.waits: list[float] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        return httpx.Response(status, content=body)

    def client(self, **kwargs: object) -> EtherscanClient:
        return EtherscanClient(
            "https://explorer.test/v2/api",
            api_key=KEY,
            transport=httpx.MockTransport(self.handler),
            sleep=self.waits.append,
            **kwargs,  # type: ignore[arg-type]
        )


def ok(name: str) -> Answer:
    return (200, fixture(name))


def test_txlist_sends_the_documented_query_and_reads_exact_ints() -> None:
    api = Recorded(ok("txlist.json"))
    txs = api.client().transactions(DDBD.lower(), chain_id=8453, limit=6)
    params = api.seen[0].url.params
    assert api.seen[0].url.path == "/v2/api"
    assert dict(params) == {
        "chainid": "8453",
        "module": "account",
        "action": "txlist",
        "address": DDBD,
        "startblock": "0",
        "endblock": "99999999",
        "page": "1",
        "offset": "6",
        "sort": "desc",
        "apikey": KEY,
    }
    assert [t.block for t in txs] == [0, 47884, 47894, 49099, 49109, 101773]
    out, incoming = txs[1], txs[5]
    assert (
        out.from_address == DDBD and out.to_address == "0x2910543Af39abA0Cd09dBb2D50200b3E800A63D2"
    )
    assert out.value == 5 * 10**18 and out.method == ""  # 2015 rows carry no functionName
    assert out.gas_used * out.gas_price == 21_612 * 400 * 10**9
    assert incoming.from_address == "0x1a56A50C378d21D0aA544eD9A482300c7f6E78ec"
    assert incoming.value == 84_512_559 * 10**15 and not incoming.failed
    assert out.to_json()["value"] == "5000000000000000000"
    assert incoming.to_json()["value"] == "84512559000000000000000"
    assert not incoming.is_genesis


def test_the_genesis_allocation_row_is_kept_with_its_marks() -> None:
    genesis = Recorded(ok("txlist.json")).client().transactions(DDBD, limit=1)[0]
    assert (genesis.block, genesis.timestamp) == (0, 1438269973)
    assert genesis.hash == "GENESIS_ddbd2b932c763ba5b1b7ae3b362eac3e8d40121a"
    assert genesis.from_address == GENESIS == "GENESIS" and genesis.is_genesis
    assert genesis.to_address == DDBD and genesis.value == 10_000 * 10**18
    assert (genesis.gas_used, genesis.gas_price, genesis.failed) == (0, 0, False)
    assert genesis.to_json()["hash"] == "GENESIS_ddbd2b932c763ba5b1b7ae3b362eac3e8d40121a"


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (b'"GENESIS_ddbd', b'"GENESIS_<b>x', r"result\.0\.hash is not a genesis mark"),
        (b'"blockNumber": "0"', b'"blockNumber": "x"', r"result\.0\.blockNumber is not an integer"),
    ],
)
def test_a_malformed_genesis_row_is_one_error(old: bytes, new: bytes, error: str) -> None:
    body = fixture("txlist.json").replace(old, new, 1)
    with pytest.raises(ExplorerError, match=error):
        Recorded((200, body)).client().transactions(DDBD)


def test_a_contract_creation_has_no_recipient() -> None:
    txs = Recorded(ok("txlist.json")).client().transactions(DDBD, limit=21)
    assert len(txs) == 21
    creation, call = txs[19], txs[20]
    assert creation.block == 1959327 and creation.to_address is None and not creation.failed
    assert creation.contract_address == CREATED and creation.value == 0
    assert creation.gas_used * creation.gas_price == 129_069 * 20 * 10**9
    assert call.to_address == CREATED and call.value == 7 * 10**18
    assert call.contract_address is None


def test_tokentx_rows_keep_exact_values_and_unnamed_tokens() -> None:
    api = Recorded(ok("tokentx.json"))
    rows = api.client().token_transfers(HOLDER, token="0xc66ea802717bfb9833400264dd12c2bceaa34a6d")
    assert api.seen[0].url.params["action"] == "tokentx"
    assert api.seen[0].url.params["contractaddress"] == MKR
    assert len(rows) == 9
    unnamed, mkr = rows[0], rows[7]
    assert (unnamed.token_symbol, unnamed.token_name, unnamed.decimals) == ("", "", 1)
    assert unnamed.token == "0xECF8F87f810EcF450940c9f60066b4a7a501d6A7"
    assert (unnamed.from_address, unnamed.to_address) == (
        HOLDER,
        "0xAc75b73394C329376c214663D92156AfA864a77f",
    )
    assert unnamed.value == 101 * 10**18
    assert (mkr.token, mkr.token_symbol, mkr.token_name, mkr.decimals) == (MKR, "MKR", "MKR", 18)
    assert (
        mkr.from_address == "0x60B26Ea3169eF5D052588ed0b21A4F9B431500E7"
        and mkr.to_address == HOLDER
    )
    assert mkr.value == 10**18 - 1 and mkr.to_json()["value"] == "999999999999999999"


def test_deployer_chosen_token_names_are_made_plain() -> None:
    """An adversarial variation of a real row (made here, not recorded): a token named with a
    zero-width space, a right-to-left override and a NUL byte, a 2**128 - 1 value, no
    decimals."""
    doc = json.loads(fixture("tokentx.json"))
    row = doc["result"][7] | {
        "tokenName": "Visit\u200b claim-eth.example\u202e to claim your airdrop",
        "tokenSymbol": "CLAIM\u0000ETH",
        "tokenDecimal": "",
        "value": str(2**128 - 1),
    }
    body = json.dumps({**doc, "result": [row]}).encode()
    (scam,) = Recorded((200, body)).client().token_transfers(HOLDER)
    assert scam.token_name == "Visit claim-eth.example to claim your airdrop"  # no ZWSP, no RLO
    assert scam.token_symbol == "CLAIMETH"  # the NUL byte is gone
    assert scam.value == 2**128 - 1 and scam.decimals is None
    assert scam.to_json()["value"] == str(2**128 - 1)


def test_balance_and_empty_lists() -> None:
    api = Recorded(ok("balance.json"))
    assert api.client().balance(DDBD) == 40_891_631_566_070_000_000_000
    assert api.seen[0].url.params["action"] == "balance"
    assert api.seen[0].url.params["tag"] == "latest"
    assert Recorded(ok("no_transactions.json")).client().transactions(DDBD) == []


def test_an_ok_answer_that_warns_about_the_key_is_still_an_answer() -> None:
    """Without a key Etherscan answered status 1 with "OK-Missing/Invalid API Key, …"."""
    api = Recorded(ok("balance_no_api_key.json"))
    assert api.client().balance(DDBD) == 399_083_095_492_744_397_866_641
    assert len(api.seen) == 1


def test_no_api_key_sends_none() -> None:
    api = Recorded(ok("no_transactions.json"))
    EtherscanClient(
        "https://explorer.test/v2/api", transport=httpx.MockTransport(api.handler)
    ).transactions(VITALIK)
    assert "apikey" not in api.seen[0].url.params


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("rate_limited.json", r"Max rate limit reached"),
        ("rate_limited_per_sec.json", r"Max calls per sec rate limit reached \(5/sec\)"),
    ],
)
def test_rate_limit_message_is_retried_with_backoff_then_one_error(name: str, said: str) -> None:
    api = Recorded(ok(name))
    with pytest.raises(ExplorerRateLimited, match=said + r".*after 3 tries") as info:
        api.client(max_retries=2, backoff_s=0.5).transactions(VITALIK)
    assert len(api.seen) == 3 and api.waits == [0.5, 1.0]
    assert KEY not in str(info.value)


def test_rate_limit_then_success() -> None:
    api = Recorded(ok("rate_limited_per_sec.json"), (429, b""), ok("balance.json"))
    assert api.client().balance(VITALIK) == 40_891_631_566_070_000_000_000
    assert len(api.seen) == 3


def test_http_500_is_retried_then_one_clear_error() -> None:
    api = Recorded((500, b"oops"))
    with pytest.raises(ExplorerError, match=r"explorer explorer\.test: HTTP 500 after 3 tries"):
        api.client().transactions(VITALIK)
    assert len(api.seen) == 3 and api.waits == [1.0, 2.0]


def test_http_429_through_every_retry_is_rate_limited() -> None:
    with pytest.raises(ExplorerRateLimited, match="HTTP 429"):
        Recorded((429, b"")).client(max_retries=1).balance(VITALIK)


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (httpx.ReadTimeout("slow"), "timed out after 10 s after 3 tries"),
        (httpx.ConnectError("refused"), r"cannot reach it \(ConnectError\) after 3 tries"),
    ],
)
def test_transport_failures_are_retried(answer: Exception, error: str) -> None:
    api = Recorded(answer)
    with pytest.raises(ExplorerError, match=error) as info:
        api.client().transactions(VITALIK)
    assert len(api.seen) == 3 and KEY not in str(info.value)


ROW_X = b'{"status": "1", "message": "OK", "result": [{"blockNumber": "x"}]}'
ROW_1 = b'{"status": "1", "message": "OK", "result": [{"blockNumber": "1"}]}'


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ((200, b"<html>Cloudflare</html>"), "not JSON"),
        ((200, b'{"jsonrpc": "2.0"}'), "not a status/result envelope"),
        ((200, b'{"status": "1", "message": "OK", "result": "x"}'), "txlist result is not a list"),
        ((403, b""), "HTTP 403"),
        (ok("invalid_api_key.json"), r"NOTOK: Invalid API Key \(#err2\)\|8 \(set REXOS_ETHERSCAN_"),
        ((200, ROW_X), r"result\.0\.blockNumber is not an integer"),
        ((200, ROW_1), "lacks field timeStamp"),
    ],
)
def test_unusable_answers_fail_at_once(answer: Answer, error: str) -> None:
    api = Recorded(answer)
    with pytest.raises(ExplorerError, match=error):
        api.client().transactions(VITALIK)
    assert len(api.seen) == 1 and api.waits == []


def test_bad_row_names_its_address_field() -> None:
    row = fixture("txlist.json").replace(b'"from": "0x1a56', b'"from": "0xzz56')
    with pytest.raises(ExplorerError, match=r"result\.5\.from is not an address"):
        Recorded((200, row)).client().transactions(VITALIK)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda c: c.transactions("0x1234"), InvalidAddress),
        (lambda c: c.transactions(VITALIK, limit=0), UsageError),
        (lambda c: c.transactions(VITALIK, limit=5000, page=3), UsageError),
        (lambda c: c.balance(VITALIK, chain_id=0), UsageError),
    ],
)
def test_misuse_is_a_usage_error_and_sends_nothing(
    call: Callable[[EtherscanClient], object], error: type[Exception]
) -> None:
    api = Recorded(ok("balance.json"))
    with pytest.raises(error):
        call(api.client())
    assert api.seen == []


def test_base_url_must_be_http() -> None:
    with pytest.raises(UsageError, match="http"):
        EtherscanClient("file:///etc/passwd")
