"""Token lists: the committed snapshot, checking, loading from files and URLs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from rexos.agents.ticker import TokenListLibrary, load_snapshot, load_token_list, parse_token_list
from rexos.agents.ticker.tokenlist import SNAPSHOT_NAME
from rexos.errors import ConfigError, UsageError

SNAPSHOT = Path(__file__).parents[4] / "src/rexos/agents/ticker/data" / SNAPSHOT_NAME
USDC = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"


def _list(**tokens_override: object) -> dict[str, object]:
    token = {"chainId": 1, "address": USDC.lower(), "symbol": "USDC", "name": "USDC", "decimals": 6}
    token.update(tokens_override)
    return {
        "name": "Test",
        "timestamp": "2024-01-01T00:00:00Z",
        "version": {"major": 1, "minor": 2, "patch": 3},
        "tokens": [token],
    }


def test_committed_snapshot_has_the_schema_essentials() -> None:
    raw = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert set(raw) == {"name", "timestamp", "version", "tokens"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", raw["timestamp"])
    assert all(isinstance(raw["version"][k], int) for k in ("major", "minor", "patch"))
    assert len(raw["tokens"]) > 1000
    for token in raw["tokens"]:
        assert set(token) == {"chainId", "address", "symbol", "name", "decimals"}
        assert re.fullmatch(r"0x[0-9a-fA-F]{40}", token["address"])
        assert isinstance(token["chainId"], int) and token["chainId"] > 0
        assert 0 <= token["decimals"] <= 255 and token["symbol"] and token["name"]
    pairs = [(t["chainId"], t["address"].lower()) for t in raw["tokens"]]
    assert len(pairs) == len(set(pairs))


def test_snapshot_loads_with_well_known_tokens() -> None:
    snapshot = load_snapshot()
    assert snapshot.skipped == 0
    usdc = [t for t in snapshot.tokens if t.chain_id == 1 and t.symbol == "USDC"]
    assert [(t.address, t.decimals) for t in usdc] == [(USDC, 6)]


def test_parse_checksums_addresses_and_skips_non_evm_tokens() -> None:
    data = _list()
    tokens = data["tokens"]
    assert isinstance(tokens, list)
    tokens.append({**tokens[0], "address": "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"})
    parsed = parse_token_list(data, "test")
    assert parsed.version_text == "1.2.3" and parsed.skipped == 1
    assert [t.address for t in parsed.tokens] == [USDC]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"decimals": "6"}, "'decimals' must be a int"),
        ({"decimals": 300}, "decimals must be within"),
        ({"chainId": 0}, "chainId must be positive"),
        ({"chainId": True}, "'chainId' must be a int"),
        ({"symbol": " "}, "'symbol' is empty"),
    ],
)
def test_bad_tokens_are_config_errors_naming_the_entry(
    change: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        parse_token_list(_list(**change), "my.json")
    assert "my.json tokens[0]" in str(info.value)


def test_bad_top_level_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="'tokens' must be a non-empty array"):
        parse_token_list({**_list(), "tokens": []}, "x")
    with pytest.raises(ConfigError, match="'version' must be an object"):
        parse_token_list({**_list(), "version": "1.0.0"}, "x")
    with pytest.raises(ConfigError, match="must be a JSON object"):
        parse_token_list([], "x")


def test_files_missing_or_not_json(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no token list file"):
        load_token_list(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid JSON"):
        load_token_list(bad)


def test_url_is_fetched_through_the_outside_http_client() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/list.json":
            return httpx.Response(200, json=_list())
        return httpx.Response(404)

    transport = httpx.MockTransport(handler)
    loaded = load_token_list("https://lists.example/list.json", transport=transport)
    assert loaded.name == "Test" and loaded.tokens[0].address == USDC
    with pytest.raises(UsageError, match="HTTP 404"):
        load_token_list("https://lists.example/other.json", transport=transport)


def test_library_stores_and_reloads(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps(_list()), encoding="utf-8")
    library = TokenListLibrary(tmp_path / "tokenlists")
    assert library.load() == []
    path, token_list = library.add(str(source))
    assert path.parent == tmp_path / "tokenlists"
    assert library.load() == [token_list]
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(ConfigError, match="import it again"):
        library.load()
