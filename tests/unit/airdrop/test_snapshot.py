"""Snapshots: the block of a date, transfer replay, signed off-chain inputs (attacks included)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

import pytest
import requests
from eth_account import Account
from eth_account.messages import encode_defunct
from hypothesis import given
from hypothesis import strategies as st
from web3 import Web3
from web3.exceptions import ContractLogicError

from rexos.airdrop.inputs import read_input, read_inputs, signature_path
from rexos.airdrop.rules import InputSpec, OnchainSpec, load_rules
from rexos.airdrop.snapshot import find_block, onchain_facts
from rexos.airdrop.transfers import Transfer, replay_erc20, replay_erc721
from rexos.errors import ChainError, ConfigError, RpcUnavailable, UsageError
from rexos.types import Address, parse_address

ATTESTER = Account.from_key("0x" + "11" * 32)
OTHER = Account.from_key("0x" + "22" * 32)
A = parse_address("0x" + "aa" * 20)
B = parse_address("0x" + "bb" * 20)
ZERO = parse_address("0x" + "00" * 20)
TOKEN = parse_address("0x" + "cc" * 20)
POINTS = InputSpec("points", "points", Address(ATTESTER.address), ("loyalty_points", "ai_points"))
KYC = InputSpec("kyc", "kyc", Address(ATTESTER.address), ("kyc",))
TIERS = InputSpec("catto_tiers", "token_tiers", Address(ATTESTER.address), ())


def signed(path: Path, data: str | bytes, key: Any = ATTESTER) -> Path:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path.write_bytes(raw)
    digest = hashlib.sha256(raw).digest()
    signature = key.sign_message(encode_defunct(primitive=digest)).signature
    signature_path(path).write_text("0x" + bytes(signature).hex())
    return path


# -- the block of a date --------------------------------------------------------------------


@dataclass
class _FakeEth:
    stamps: list[int]

    @property
    def block_number(self) -> int:
        return len(self.stamps) - 1

    def get_block(self, number: int) -> dict[str, int]:
        return {"timestamp": self.stamps[number]}


@dataclass
class _FakeWeb3:
    eth: _FakeEth


def _chain(stamps: list[int]) -> Web3:
    return cast(Web3, _FakeWeb3(_FakeEth(stamps)))


@given(
    st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=60),
    st.integers(min_value=0, max_value=2_000),
)
def test_find_block_is_the_first_block_at_or_after_the_date(gaps: list[int], date: int) -> None:
    stamps = [sum(gaps[: i + 1]) for i in range(len(gaps))]
    web3 = _chain(stamps)
    if date > stamps[-1]:
        with pytest.raises(UsageError, match="no block at or after"):
            find_block(web3, date)
        return
    block = find_block(web3, date)
    assert stamps[block] >= date
    assert block == 0 or stamps[block - 1] < date


def test_find_block_edges() -> None:
    web3 = _chain([100, 112, 112, 112, 124])
    assert find_block(web3, 0) == 0
    assert find_block(web3, 100) == 0
    assert find_block(web3, 101) == 1
    assert find_block(web3, 112) == 1
    assert find_block(web3, 124) == 4
    with pytest.raises(UsageError, match="the latest, 4, is at 124"):
        find_block(web3, 125)
    with pytest.raises(UsageError, match="not a date"):
        find_block(web3, -1)


# -- transfer replay ------------------------------------------------------------------------


def _t(
    sender: Address, recipient: Address, value: int, block: int, token_id: int | None = None
) -> Transfer:
    return Transfer(TOKEN, sender, recipient, value, block, f"0x{block:064x}", 0, token_id)


def test_erc20_replay_stops_at_the_block() -> None:
    transfers = [_t(ZERO, A, 100, 1), _t(A, B, 30, 2), _t(B, ZERO, 10, 3), _t(A, B, 70, 4)]
    assert replay_erc20(transfers, TOKEN, 2) == {A: 70, B: 30}
    assert replay_erc20(transfers, TOKEN, 3) == {A: 70, B: 20}
    assert replay_erc20(transfers, TOKEN, 4) == {B: 90}


def test_erc20_replay_refuses_incomplete_logs() -> None:
    with pytest.raises(ChainError, match="would go negative at block 2"):
        replay_erc20([_t(ZERO, A, 5, 1), _t(A, B, 6, 2)], TOKEN, 9)


def test_erc721_replay_follows_each_token() -> None:
    transfers = [
        _t(ZERO, A, 1, 1, 7),
        _t(ZERO, A, 1, 1, 8),
        _t(A, B, 1, 2, 7),
        _t(B, ZERO, 1, 3, 7),
    ]
    assert replay_erc721(transfers, TOKEN, 2) == {7: B, 8: A}
    assert replay_erc721(transfers, TOKEN, 3) == {8: A}
    with pytest.raises(ChainError, match="does not own"):
        replay_erc721([_t(A, B, 1, 1, 9)], TOKEN, 5)


# -- signed inputs --------------------------------------------------------------------------


def test_a_signed_csv_gives_facts_and_its_hash(tmp_path: Path) -> None:
    text = f"address,loyalty_points,ai_points\n{A.lower()},500,0\n{B},499,3\n"
    data = read_input(POINTS, signed(tmp_path / "points.csv", text))
    assert data.facts == {
        A: {"loyalty_points": 500, "ai_points": 0},
        B: {"loyalty_points": 499, "ai_points": 3},
    }
    assert data.record.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert data.record.attester == ATTESTER.address


def test_a_signed_json_reads_the_same(tmp_path: Path) -> None:
    text = f'[{{"address": "{A}", "loyalty_points": 500, "ai_points": "2"}}]'
    assert read_input(POINTS, signed(tmp_path / "p.json", text)).facts == {
        A: {"loyalty_points": 500, "ai_points": 2}
    }


def test_kyc_and_token_tiers(tmp_path: Path) -> None:
    kyc = read_input(
        KYC, signed(tmp_path / "kyc.csv", f"address,uid,deposit_address\n{A},U-1,{B}\n")
    )
    assert kyc.facts == {A: {"kyc": 1}}
    tiers = read_input(TIERS, signed(tmp_path / "t.csv", "token_id,tier\n7,3\n8,4\n"))
    assert tiers.tiers == {7: 3, 8: 4} and not tiers.facts


def test_a_file_edited_after_signing_is_refused(tmp_path: Path) -> None:
    path = signed(tmp_path / "points.csv", f"address,loyalty_points,ai_points\n{A},499,0\n")
    path.write_text(f"address,loyalty_points,ai_points\n{A},500,0\n")
    with pytest.raises(ConfigError, match=r"not signed by the attester .*changed after signing"):
        read_input(POINTS, path)


def test_another_signer_or_a_bad_signature_is_refused(tmp_path: Path) -> None:
    path = signed(tmp_path / "p.csv", f"address,loyalty_points,ai_points\n{A},1,1\n", OTHER)
    with pytest.raises(ConfigError, match="not signed by the attester"):
        read_input(POINTS, path)
    signature_path(path).write_text("0x1234")
    with pytest.raises(ConfigError, match="not 0x and 130 hex digits"):
        read_input(POINTS, path)
    signature_path(path).unlink()
    with pytest.raises(ConfigError, match=r"cannot read the file or its \.sig"):
        read_input(POINTS, path)


def test_a_placeholder_attester_is_refused(tmp_path: Path) -> None:
    path = signed(tmp_path / "p.csv", f"address,loyalty_points,ai_points\n{A},1,1\n")
    with pytest.raises(ConfigError, match="the rules name no attester"):
        read_input(replace(POINTS, attester=ZERO), path)


HEADER = "address,loyalty_points,ai_points\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (f"{A},=1+1,0\n", "row 2: loyalty_points looks like a spreadsheet formula"),
        (f"{A},@SUM(A1),0\n", "looks like a spreadsheet formula"),
        (f"{A},-5,0\n", "looks like a spreadsheet formula"),
        (f"{A},+5,0\n", "looks like a spreadsheet formula"),
        (f"{A},5_00,0\n", "not a whole number: '5_00'"),
        (f"{A},\u0665\u0660\u0660,0\n", "not a whole number"),
        (f"{A},500.0,0\n", "not a whole number"),
        (f"{A},{'9' * 5000},0\n", "not a whole number"),
        (f"{A},,0\n", "loyalty_points is empty"),
        (f"{A},1\n", "row 2 has 2 cells, not 3"),
        (f"{A.lower()},1,0\n{A.upper().replace('0X', '0x')},2,0\n", "appears twice (rows 2 and 3)"),
        (f"{A},1,0\n{A.lower()},2,0\n", "appears twice"),
        ("0xAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,1,0\n", "bad checksum"),
        ("0x12,1,0\n", "address is not an address"),
        (f"{A},1,0,extra\n", "row 2 has 4 cells"),
    ],
)
def test_hostile_csv_cells_are_refused(tmp_path: Path, body: str, message: str) -> None:
    path = signed(tmp_path / "p.csv", HEADER + body)
    with pytest.raises(ConfigError, match=r"^airdrop input points \(p\.csv\): ") as info:
        read_input(POINTS, path)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (HEADER.encode() + b"\xff\xfe,1,0\n", "not UTF-8 text"),
        ("address,loyalty_points,ai_points\n".encode("utf-16"), "NUL bytes"),
        (b"address,points\n", "header must be address, loyalty_points, ai_points"),
        (b"address,address,ai_points\n", "header must be"),
        (b"", r"empty \(no header\)"),
    ],
)
def test_odd_encodings_and_headers_are_refused(tmp_path: Path, raw: bytes, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        read_input(POINTS, signed(tmp_path / "p.csv", raw))


def test_a_byte_order_mark_and_blank_lines_are_allowed(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + HEADER.encode() + f"{A},500,1\n\n".encode()
    assert read_input(POINTS, signed(tmp_path / "p.csv", raw)).facts == {
        A: {"loyalty_points": 500, "ai_points": 1}
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            f'[{{"address": "{A}", "loyalty_points": 1.5, "ai_points": 0}}]',
            "must be a string or integer",
        ),
        (
            f'[{{"address": "{A}", "loyalty_points": true, "ai_points": 0}}]',
            "must be a string or integer",
        ),
        (
            f'[{{"address": "{A}", "address": "{B}", "loyalty_points": 1, "ai_points": 0}}]',
            "duplicate key",
        ),
        (f'[{{"address": "{A}", "loyalty_points": 1}}]', "item 1 must have exactly"),
        ('{"rows": []}', "JSON array of objects"),
        (f'[{{"address": "{A}", "loyalty_points": "=HYPERLINK(1)", "ai_points": 0}}]', "formula"),
    ],
)
def test_hostile_json_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        read_input(POINTS, signed(tmp_path / "p.json", text))


def test_a_kyc_record_without_a_uid_or_a_deposit_address_does_not_qualify(
    tmp_path: Path,
) -> None:
    body = f"{A},,{B}\n{B},U2,\n{ZERO},U3,{A}\n"  # two pending records and a whole one
    data = read_input(KYC, signed(tmp_path / "kyc.csv", "address,uid,deposit_address\n" + body))
    assert {a: f["kyc"] for a, f in data.facts.items()} == {A: 0, B: 0, ZERO: 1}
    assert not load_rules().held({"kyc": 0}) and "kyc" in load_rules().held({"kyc": 1})


def test_a_kyc_row_needs_a_good_uid_and_deposit_address(tmp_path: Path) -> None:
    for body, message in [
        (f"{A},U1,not-an-address\n", "deposit_address is not an address"),
        (f"{A},=cmd|' /C calc'!A0,{B}\n", "uid looks like a spreadsheet formula"),
        (f"{A},U1,{B}\n{B},U1,{A}\n", "the same uid on rows 2 and 3"),
        (f"{A},U1,{B}\n{ZERO},U2,{B.lower()}\n", "the same deposit_address on rows 2 and 3"),
    ]:
        path = signed(tmp_path / "kyc.csv", "address,uid,deposit_address\n" + body)
        with pytest.raises(ConfigError, match=message):
            read_input(KYC, path)


def test_read_inputs_wants_every_input_and_no_other(tmp_path: Path) -> None:
    rules = load_rules()
    with pytest.raises(ConfigError, match="missing: kyc, points, catto_tiers"):
        read_inputs({}, rules)
    with pytest.raises(ConfigError, match="'extra': the rules name no such input"):
        read_inputs({"extra": tmp_path / "x.csv"}, rules)


def test_a_file_that_is_neither_csv_nor_json_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"a \.csv or \.json file"):
        read_input(POINTS, signed(tmp_path / "p.txt", HEADER))


# -- ERC-721 holdings and tiers -------------------------------------------------------------


def _topic(address: Address) -> bytes:
    return bytes(12) + bytes.fromhex(address[2:])


@dataclass
class _Call:
    owners: dict[int, Address]
    token_id: int
    reads: list[int]

    def call(self, block_identifier: int) -> Address:
        self.reads.append(block_identifier)
        if self.token_id not in self.owners:
            raise ContractLogicError("execution reverted: ERC721: invalid token ID")
        return self.owners[self.token_id]


@dataclass
class _NftEth:
    owners: dict[int, Address]
    logs: list[dict[str, Any]]
    reads: list[int]
    stars: dict[int, int] | None = None

    def contract(self, address: Address, abi: object) -> Any:
        eth = self

        class _Functions:
            def ownerOf(self, token_id: int) -> _Call:
                return _Call(eth.owners, token_id, eth.reads)

            def __getitem__(self, name: str) -> Any:
                assert name == "stars" and eth.stars is not None
                return lambda token_id: _Call(eth.stars, token_id, eth.reads)  # type: ignore[arg-type]

        return type("C", (), {"functions": _Functions()})()

    def get_logs(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            log
            for log in self.logs
            if params["fromBlock"] <= log["blockNumber"] <= params["toBlock"]
        ]


def _nft_log(sender: Address, recipient: Address, token_id: int, block: int) -> dict[str, Any]:
    return {
        "topics": [b"", _topic(sender), _topic(recipient), token_id.to_bytes(32, "big")],
        "data": b"",
        "blockNumber": block,
        "transactionHash": block.to_bytes(32, "big"),
        "logIndex": token_id,
    }


CATTO = OnchainSpec("catto", "erc721", TOKEN, "catto", (3, 4), "catto_tiers")


def test_erc721_holdings_and_tiers_by_archive_reads_and_by_replay() -> None:
    logs = [
        _nft_log(ZERO, A, 1, 5),
        _nft_log(ZERO, A, 2, 5),
        _nft_log(ZERO, B, 3, 6),
        _nft_log(A, B, 2, 8),
    ]
    eth = _NftEth(owners={1: A, 2: B, 3: B}, logs=logs, reads=[])
    web3 = cast(Web3, type("W", (), {"eth": eth})())
    tiers = {1: 4, 2: 3, 3: 3, 4: 4}
    want = {
        A: {"catto": 1, "catto_tier_3": 0, "catto_tier_4": 1},
        B: {"catto": 2, "catto_tier_3": 2, "catto_tier_4": 0},
    }
    assert onchain_facts(web3, CATTO, 9, "archive", tiers=tiers) == want
    assert eth.reads == [9, 9, 9, 9]
    assert onchain_facts(web3, CATTO, 9, "replay", tiers=tiers) == want
    before = onchain_facts(web3, CATTO, 7, "replay", tiers=tiers)
    assert before[A] == {"catto": 2, "catto_tier_3": 1, "catto_tier_4": 1}


def test_erc721_archive_reads_need_token_ids_and_a_contract() -> None:
    web3 = cast(Web3, type("W", (), {"eth": _NftEth({}, [], [])})())
    with pytest.raises(ConfigError, match="archive reads need the token ids"):
        onchain_facts(web3, CATTO, 9, "archive")
    with pytest.raises(ConfigError, match="the rules name no contract"):
        onchain_facts(web3, replace(CATTO, contract=ZERO), 9, "replay")


def test_an_unreachable_node_is_one_chain_error() -> None:
    class _Down:
        @property
        def block_number(self) -> int:
            raise requests.ConnectionError("refused")

    with pytest.raises(RpcUnavailable, match="find the first block at or after 5"):
        find_block(cast(Web3, type("W", (), {"eth": _Down()})()), 5)


def test_erc721_tiers_from_the_contracts_own_view_at_the_block() -> None:
    logs = [_nft_log(ZERO, A, 1, 5), _nft_log(ZERO, B, 2, 5), _nft_log(ZERO, B, 3, 6)]
    eth = _NftEth(owners={}, logs=logs, reads=[], stars={1: 4, 2: 3, 3: 5})
    web3 = cast(Web3, type("W", (), {"eth": eth})())
    spec = replace(CATTO, tier_input=None, tier_function="stars")
    assert onchain_facts(web3, spec, 9, "replay") == {
        A: {"catto": 1, "catto_tier_3": 0, "catto_tier_4": 1},
        B: {"catto": 2, "catto_tier_3": 1, "catto_tier_4": 0},
    }
    assert eth.reads == [9, 9, 9]
