"""The Etherscan-compatible client on recorded answers: queries sent, typed rows, errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from rexos.errors import InvalidAddress, UsageError
from rexos.explorer import EtherscanClient, ExplorerError, ExplorerRateLimited

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "explorer"
VITALIK = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"
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
    txs = api.client().transactions(VITALIK.lower(), chain_id=8453, limit=3)
    params = api.seen[0].url.params
    assert api.seen[0].url.path == "/v2/api"
    assert dict(params) == {
        "chainid": "8453",
        "module": "account",
        "action": "txlist",
        "address": VITALIK,
        "startblock": "0",
        "endblock": "99999999",
        "page": "1",
        "offset": "3",
        "sort": "desc",
        "apikey": KEY,
    }
    assert [t.block for t in txs] == [21950012, 21949873, 21900001]
    out, incoming, creation = txs
    assert out.from_address == VITALIK and out.method == "transfer(address _to, uint256 _value)"
    assert out.to_address == "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"
    assert incoming.value == 1_234_500_000_000_000_000_000 and not incoming.failed
    assert incoming.gas_used * incoming.gas_price == 42_000_000_000_000
    assert creation.to_address is None and creation.failed
    assert creation.contract_address == "0x5FbDB2315678afecb367f032d93F642f64180aa3"
    assert out.to_json()["value"] == "0" and incoming.to_json()["value"] == "1234500000000000000000"


def test_tokentx_rows_keep_huge_values_and_make_scam_names_plain() -> None:
    api = Recorded(ok("tokentx.json"))
    usdc, scam = api.client().token_transfers(
        VITALIK, token="0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
    )
    assert api.seen[0].url.params["action"] == "tokentx"
    assert api.seen[0].url.params["contractaddress"] == "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"
    assert (usdc.token_symbol, usdc.decimals, usdc.value) == ("USDC", 6, 100_000_000)
    assert scam.value == 2**128 - 1 and scam.decimals is None
    assert scam.token_name == "Visit claim-eth.example to claim your airdrop"  # no ZWSP, no RLO
    assert scam.token_symbol == "CLAIMETH"  # the NUL byte is gone
    assert scam.to_json()["value"] == str(2**128 - 1)


def test_balance_and_empty_lists() -> None:
    api = Recorded(ok("balance.json"))
    assert api.client().balance(VITALIK) == 40_891_626_854_930_000_000_000
    assert api.seen[0].url.params["action"] == "balance"
    assert api.seen[0].url.params["tag"] == "latest"
    assert Recorded(ok("no_transactions.json")).client().transactions(VITALIK) == []


def test_no_api_key_sends_none() -> None:
    api = Recorded(ok("no_transactions.json"))
    EtherscanClient(
        "https://explorer.test/v2/api", transport=httpx.MockTransport(api.handler)
    ).transactions(VITALIK)
    assert "apikey" not in api.seen[0].url.params


def test_rate_limit_message_is_retried_with_backoff_then_one_error() -> None:
    api = Recorded(ok("rate_limited.json"))
    with pytest.raises(ExplorerRateLimited, match=r"Max rate limit reached.*after 3 tries") as info:
        api.client(max_retries=2, backoff_s=0.5).transactions(VITALIK)
    assert len(api.seen) == 3 and api.waits == [0.5, 1.0]
    assert KEY not in str(info.value)


def test_rate_limit_then_success() -> None:
    api = Recorded(ok("rate_limited.json"), (429, b""), ok("balance.json"))
    assert api.client().balance(VITALIK) == 40_891_626_854_930_000_000_000
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
        (ok("invalid_api_key.json"), r"NOTOK: Missing/Invalid API Key \(set REXOS_ETHERSCAN_"),
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
    row = fixture("txlist.json").replace(b'"from": "0xab58', b'"from": "0xzz58')
    with pytest.raises(ExplorerError, match=r"result\.1\.from is not an address"):
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
