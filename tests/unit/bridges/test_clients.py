from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import httpx
import pytest

from rexos.bridges import (
    AcrossClient,
    BridgeError,
    BridgeQuote,
    BridgeRequest,
    BridgeSource,
    BungeeClient,
    LifiClient,
    parse_across,
    parse_bungee,
    parse_lifi,
)

from ._support import (
    ACROSS_REQUEST,
    FIXTURES,
    LIFI_DOCS_REQUEST,
    NATIVE,
    REQUEST,
    SENDER,
    SOCKET_ROUTE_REQUEST,
    USDC_ARB,
    USDC_ETH,
    USDC_OP,
    Recorder,
    fixture,
    fixture_json,
    ok,
    socket_route_answer,
)

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

# From the recorded answer: no outputAmount, so 100 USDC minus totalRelayFee.total
# (66352 = relayerCapitalFee 9995 + relayerGasFee 56357 + lpFee 0); 2 s fill.
ACROSS_QUOTE = BridgeQuote(
    provider="across",
    route_name="across",
    from_chain=1,
    to_chain=42161,
    token_in=USDC_ETH,
    amount_in=100_000_000,
    amount_out=100_000_000 - 66_352,
    out_decimals=6,
    fees_usd=Decimal("0.066352"),
    gas_source_usd=Decimal(0),
    gas_dest_usd=Decimal(0),
    duration_s=2,
    trust="optimistic",
)

# From the recorded Socket route: gas of the two Polygon transactions (swap
# 0.0227825804934 + bridge 0.003960684) is source gas; the BNB Chain swap
# (0.38301587116799996) is paid on the destination; Celer's protocol fee is
# priced at 0 USD by Socket although its amount is not 0.
SOCKET_ROUTE_QUOTE = BridgeQuote(
    provider="bungee",
    route_name="celer",
    from_chain=137,
    to_chain=56,
    token_in=NATIVE,
    amount_in=20 * 10**18,
    amount_out=38_514_450_278_702_297,
    out_decimals=18,
    fees_usd=Decimal(0),
    gas_source_usd=Decimal("0.0267432644934"),
    gas_dest_usd=Decimal("0.38301587116799996"),
    duration_s=1200,
    trust="liquidity-network",
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
    (LifiClient, "lifi_quote.json", "/v1/quote", REQUEST, [LIFI_QUOTE]),
    (
        AcrossClient,
        "across_suggested_fees.json",
        "/api/suggested-fees",
        ACROSS_REQUEST,
        [ACROSS_QUOTE],
    ),
    (BungeeClient, "bungee_quote.json", "/v2/quote", REQUEST, BUNGEE_QUOTES),
]
CLIENTS = [case[0] for case in CASES]


def no_sleep(_: float) -> None:
    return None


@pytest.mark.parametrize(("cls", "name", "path", "request_", "expected"), CASES)
def test_client_parses_its_fixture_exactly(
    cls: type[LifiClient],
    name: str,
    path: str,
    request_: BridgeRequest,
    expected: list[BridgeQuote],
) -> None:
    recorder = Recorder(ok(name))
    source: BridgeSource = cls(transport=recorder.transport(), sleep=no_sleep)
    assert source.quote(request_) == expected
    assert len(recorder.requests) == 1
    assert recorder.requests[0].url.path == path


def test_bungee_client_parses_the_recorded_socket_route() -> None:
    recorder = Recorder(httpx.Response(200, json=socket_route_answer()))
    client = BungeeClient(transport=recorder.transport(), sleep=no_sleep)
    assert client.quote(SOCKET_ROUTE_REQUEST) == [SOCKET_ROUTE_QUOTE]


def test_bungee_route_without_per_transaction_gas_falls_back_to_the_total() -> None:
    body = socket_route_answer()
    (route,) = body["result"]["routes"]  # type: ignore[index]
    del route["userTxs"][0]["gasFees"]
    (quote,) = parse_bungee(body, SOCKET_ROUTE_REQUEST)
    assert quote.gas_source_usd == Decimal("0.40975913566139993")
    assert quote.gas_dest_usd == Decimal(0)


def test_bungee_user_transaction_that_is_not_an_object_is_a_bridge_error() -> None:
    body = socket_route_answer()
    body["result"]["routes"][0]["userTxs"][1] = "fund-movr"  # type: ignore[index]
    with pytest.raises(BridgeError, match=r"routes\[0\]\.userTxs\[1\] is not an object"):
        parse_bungee(body, SOCKET_ROUTE_REQUEST)


def test_lifi_documented_quote_example_is_a_same_chain_swap_not_a_bridge_quote() -> None:
    # LI.FI's own /v1/quote response example swaps xDai into MIVA on Gnosis (100 -> 100).
    recorder = Recorder(ok("lifi_quote_docs_example.json"))
    client = LifiClient(transport=recorder.transport(), sleep=no_sleep)
    with pytest.raises(
        BridgeError, match=r"^LI\.FI: answer is for chain 100 -> 100, not the requested 100 -> 137$"
    ):
        client.quote(LIFI_DOCS_REQUEST)
    assert len(recorder.requests) == 1


def test_lifi_documented_step_example_without_a_duration_is_a_bridge_error() -> None:
    # LI.FI's Step schema example bridges Gnosis -> Polygon but, like every LI.FI
    # example, has no estimate.executionDuration: no duration is guessed.
    body = fixture_json("lifi_step_docs_example.json")
    assert "executionDuration" not in body["estimate"]  # type: ignore[operator]
    recorder = Recorder(ok("lifi_step_docs_example.json"))
    client = LifiClient(transport=recorder.transport(), sleep=no_sleep)
    with pytest.raises(BridgeError, match=r"^LI\.FI: response lacks field executionDuration$"):
        client.quote(LIFI_DOCS_REQUEST)


def test_lifi_answer_for_other_chains_than_asked_is_a_bridge_error() -> None:
    elsewhere = replace(REQUEST, to_chain=8453)
    with pytest.raises(BridgeError, match=r"10 -> 42161, not the requested 10 -> 8453"):
        parse_lifi(fixture_json("lifi_quote.json"), elsewhere)


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
    AcrossClient(transport=recorder.transport(), api_key="k").quote(ACROSS_REQUEST)
    sent = recorder.requests[0]
    assert dict(sent.url.params) == {
        "inputToken": USDC_ETH,
        "outputToken": USDC_ARB,
        "originChainId": "1",
        "destinationChainId": "42161",
        "amount": "100000000",
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


@pytest.mark.parametrize(("cls", "name", "path", "request_", "expected"), CASES)
def test_retries_on_503_then_succeeds(
    cls: type[LifiClient],
    name: str,
    path: str,
    request_: BridgeRequest,
    expected: list[BridgeQuote],
) -> None:
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(503), httpx.Response(429), ok(name))
    client = cls(transport=recorder.transport(), backoff_s=0.5, sleep=sleeps.append)
    assert client.quote(request_) == expected
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
    original = fixture("across_suggested_fees.json")
    body = original.replace(b'"isAmountTooLow": false', b'"isAmountTooLow": true')
    assert body != original
    recorder = Recorder(httpx.Response(200, content=body))
    with pytest.raises(BridgeError, match="below the route minimum"):
        AcrossClient(transport=recorder.transport()).quote(ACROSS_REQUEST)


def test_across_prefers_output_amount_when_the_answer_has_one() -> None:
    # The recorded answer predates outputAmount; newer answers carry it.
    body = fixture_json("across_suggested_fees.json")
    body["outputAmount"] = "99900000"
    (quote,) = parse_across(body, ACROSS_REQUEST)
    assert quote.amount_out == 99_900_000
    assert quote.fees_usd == Decimal("0.066352")


def test_across_accepts_the_integration_guide_fill_time_name() -> None:
    body = fixture_json("across_suggested_fees.json")
    body["expectedFillTimeSec"] = body.pop("estimatedFillTimeSec")
    (quote,) = parse_across(body, ACROSS_REQUEST)
    assert quote.duration_s == 2


def test_across_without_a_fill_time_is_a_bridge_error() -> None:
    body = fixture_json("across_suggested_fees.json")
    del body["estimatedFillTimeSec"]
    with pytest.raises(BridgeError, match="lacks field estimatedFillTimeSec"):
        parse_across(body, ACROSS_REQUEST)


def test_across_fees_above_the_amount_are_a_bridge_error() -> None:
    too_small = replace(ACROSS_REQUEST, amount_in=66_352)
    with pytest.raises(BridgeError, match="fees exceed the amount"):
        parse_across(fixture_json("across_suggested_fees.json"), too_small)


def test_every_fixture_has_a_readme_entry() -> None:
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    names = sorted(p.name for p in FIXTURES.glob("*.json"))
    assert names, "no fixtures found"
    for name in names:
        assert f"### `{name}`" in readme, name


def test_bungee_success_false_is_a_bridge_error() -> None:
    recorder = Recorder(httpx.Response(200, json={"success": False, "result": {}}))
    with pytest.raises(BridgeError, match="success=false"):
        BungeeClient(transport=recorder.transport()).quote(REQUEST)
