from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from rexos.bridges import (
    AcrossClient,
    BridgeError,
    BridgeQuote,
    BridgeSource,
    BungeeClient,
    LifiClient,
)

from ._support import REQUEST, SENDER, USDC_ARB, USDC_OP, Recorder, fixture, ok

LIFI_QUOTE = BridgeQuote(
    provider="lifi",
    route_name="stargate",
    from_chain=10,
    to_chain=42161,
    token_in=USDC_OP,
    amount_in=1_000_000_000,
    amount_out=999_400_000,
    out_decimals=6,
    fees_usd=Decimal("0.60"),
    gas_source_usd=Decimal("0.57"),
    gas_dest_usd=Decimal(0),
    duration_s=90,
    trust="liquidity-network",
)

ACROSS_QUOTE = BridgeQuote(
    provider="across",
    route_name="across",
    from_chain=10,
    to_chain=42161,
    token_in=USDC_OP,
    amount_in=1_000_000_000,
    amount_out=999_750_000,
    out_decimals=6,
    fees_usd=Decimal("0.25"),
    gas_source_usd=Decimal(0),
    gas_dest_usd=Decimal(0),
    duration_s=6,
    trust="optimistic",
)

BUNGEE_QUOTES = [
    BridgeQuote(
        provider="bungee",
        route_name="hop",
        from_chain=10,
        to_chain=42161,
        token_in=USDC_OP,
        amount_in=1_000_000_000,
        amount_out=998_800_000,
        out_decimals=6,
        fees_usd=Decimal("1.2"),
        gas_source_usd=Decimal("0.35"),
        gas_dest_usd=Decimal(0),
        duration_s=600,
        trust="liquidity-network",
    ),
    BridgeQuote(
        provider="bungee",
        route_name="cbridge",
        from_chain=10,
        to_chain=42161,
        token_in=USDC_OP,
        amount_in=1_000_000_000,
        amount_out=999_100_000,
        out_decimals=6,
        fees_usd=Decimal("0.9"),
        gas_source_usd=Decimal("0.28"),
        gas_dest_usd=Decimal(0),
        duration_s=1200,
        trust="liquidity-network",
    ),
]

CASES = [
    (LifiClient, "lifi_quote.json", "/v1/quote", [LIFI_QUOTE]),
    (AcrossClient, "across_suggested_fees.json", "/api/suggested-fees", [ACROSS_QUOTE]),
    (BungeeClient, "bungee_quote.json", "/v2/quote", BUNGEE_QUOTES),
]
CLIENTS = [case[0] for case in CASES]


def no_sleep(_: float) -> None:
    return None


@pytest.mark.parametrize(("cls", "name", "path", "expected"), CASES)
def test_client_parses_its_fixture_exactly(
    cls: type[LifiClient], name: str, path: str, expected: list[BridgeQuote]
) -> None:
    recorder = Recorder(ok(name))
    source: BridgeSource = cls(transport=recorder.transport(), sleep=no_sleep)
    assert source.quote(REQUEST) == expected
    assert len(recorder.requests) == 1
    assert recorder.requests[0].url.path == path


def test_lifi_sends_the_documented_query() -> None:
    recorder = Recorder(ok("lifi_quote.json"))
    LifiClient(transport=recorder.transport(), api_key="k").quote(REQUEST)
    sent = recorder.requests[0]
    assert dict(sent.url.params) == {
        "fromChain": "10",
        "toChain": "42161",
        "fromToken": USDC_OP,
        "toToken": USDC_ARB,
        "fromAmount": "1000000000",
        "fromAddress": SENDER,
    }
    assert sent.url.host == "li.quest"
    assert sent.headers["x-lifi-api-key"] == "k"


def test_across_sends_the_documented_query() -> None:
    recorder = Recorder(ok("across_suggested_fees.json"))
    AcrossClient(transport=recorder.transport(), api_key="k").quote(REQUEST)
    sent = recorder.requests[0]
    assert dict(sent.url.params) == {
        "inputToken": USDC_OP,
        "outputToken": USDC_ARB,
        "originChainId": "10",
        "destinationChainId": "42161",
        "amount": "1000000000",
    }
    assert sent.headers["authorization"] == "Bearer k"


def test_bungee_sends_the_documented_query() -> None:
    recorder = Recorder(ok("bungee_quote.json"))
    BungeeClient(transport=recorder.transport(), api_key="k").quote(REQUEST)
    sent = recorder.requests[0]
    params = dict(sent.url.params)
    assert params["fromChainId"] == "10"
    assert params["toChainId"] == "42161"
    assert params["fromTokenAddress"] == USDC_OP
    assert params["toTokenAddress"] == USDC_ARB
    assert params["fromAmount"] == "1000000000"
    assert params["userAddress"] == SENDER
    assert sent.headers["api-key"] == "k"


@pytest.mark.parametrize(("cls", "name", "path", "expected"), CASES)
def test_retries_on_503_then_succeeds(
    cls: type[LifiClient], name: str, path: str, expected: list[BridgeQuote]
) -> None:
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(503), httpx.Response(429), ok(name))
    client = cls(transport=recorder.transport(), backoff_s=0.5, sleep=sleeps.append)
    assert client.quote(REQUEST) == expected
    assert len(recorder.requests) == 3
    assert sleeps == [0.5, 1.0]


@pytest.mark.parametrize("cls", CLIENTS)
def test_retries_are_bounded(cls: type[LifiClient]) -> None:
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(503))
    client = cls(transport=recorder.transport(), max_retries=2, sleep=sleeps.append)
    with pytest.raises(BridgeError, match=r"HTTP 503 .* after 3 tries"):
        client.quote(REQUEST)
    assert len(recorder.requests) == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("cls", CLIENTS)
def test_client_error_is_not_retried(cls: type[LifiClient]) -> None:
    recorder = Recorder(httpx.Response(404, json={"message": "no route"}))
    with pytest.raises(BridgeError, match="HTTP 404"):
        cls(transport=recorder.transport(), sleep=no_sleep).quote(REQUEST)
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("cls", CLIENTS)
def test_timeout_becomes_one_bridge_error(cls: type[LifiClient]) -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    recorder = Recorder(timeout)
    client = cls(transport=recorder.transport(), max_retries=1, sleep=no_sleep)
    with pytest.raises(BridgeError, match=r"timed out after 10 s after 2 tries") as info:
        client.quote(REQUEST)
    assert isinstance(info.value.__cause__, httpx.TimeoutException)
    assert len(recorder.requests) == 2


def test_connection_error_becomes_one_bridge_error() -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = LifiClient(transport=Recorder(refused).transport(), max_retries=0)
    with pytest.raises(BridgeError, match="cannot reach"):
        client.quote(REQUEST)


@pytest.mark.parametrize("cls", CLIENTS)
def test_non_json_answer_is_a_bridge_error(cls: type[LifiClient]) -> None:
    recorder = Recorder(httpx.Response(200, content=b"<html>"))
    with pytest.raises(BridgeError, match="not JSON"):
        cls(transport=recorder.transport()).quote(REQUEST)


@pytest.mark.parametrize("cls", CLIENTS)
def test_missing_field_is_a_bridge_error(cls: type[LifiClient]) -> None:
    recorder = Recorder(httpx.Response(200, json={"unexpected": True}))
    with pytest.raises(BridgeError, match="lacks field"):
        cls(transport=recorder.transport()).quote(REQUEST)


def test_across_amount_too_low_is_a_bridge_error() -> None:
    body = fixture("across_suggested_fees.json").replace(
        b'"isAmountTooLow": false', b'"isAmountTooLow": true'
    )
    recorder = Recorder(httpx.Response(200, content=body))
    with pytest.raises(BridgeError, match="below the route minimum"):
        AcrossClient(transport=recorder.transport()).quote(REQUEST)


def test_bungee_success_false_is_a_bridge_error() -> None:
    recorder = Recorder(httpx.Response(200, json={"success": False, "result": {}}))
    with pytest.raises(BridgeError, match="success=false"):
        BungeeClient(transport=recorder.transport()).quote(REQUEST)
