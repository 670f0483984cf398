"""The gateway reads a transaction's meaning from its bytes, for any bytes.

Properties over arbitrary calldata: a transaction is a transfer or an approval of a known
token only when its bytes are exactly that call (the ABI decodes them to the same recipient
and amount an independent decoder finds); a swap names the recipient its bytes carry;
anything else — unknown selectors, unknown contracts, value sent with a call — is an
uninterpreted ``call`` (which the policy refuses unless its contract is listed).
"""

from __future__ import annotations

from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector
from hypothesis import given, settings
from hypothesis import strategies as st
from web3 import Web3

from rexos.agents.wallet import ETH, classify
from rexos.chain.manifest import Manifest
from rexos.dex.onchain import TokenInfo
from rexos.types import Address

ME = Address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
USDC = TokenInfo("USDC", Address("0x5FbDB2315678afecb367f032d93F642f64180aa3"), 6)
WETH = TokenInfo("WETH", Address("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"), 18)
ROUTER = Address("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0")
OTHER = Address("0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9")
MANIFEST = Manifest(
    31337, "test", None, 0, 0,
    {"DevToken:USDC": USDC.address, "DevToken:WETH": WETH.address, "RexRouter": ROUTER}, {},
)  # fmt: skip
TOKENS = {t.address.lower(): t for t in (USDC, WETH)}
W3 = Web3()
TRANSFER = function_signature_to_4byte_selector("transfer(address,uint256)")
APPROVE = function_signature_to_4byte_selector("approve(address,uint256)")


def _classify(to: Address, data: bytes, value: int = 0):  # type: ignore[no-untyped-def]
    return classify(W3, MANIFEST, lambda a: TOKENS.get(a.lower()), ETH, ME, to, value, data)


addresses = st.binary(min_size=20, max_size=20).map(lambda b: Web3.to_checksum_address(b))
amounts = st.integers(min_value=0, max_value=2**256 - 1)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=100), st.sampled_from([USDC.address, WETH.address, OTHER]))
def test_arbitrary_bytes_are_a_call_unless_they_are_exactly_a_token_call(
    data: bytes, to: Address
) -> None:
    action = _classify(to, data)
    if not data:  # no calldata: a plain send of ETH (here 0 wei) to ``to``
        assert (action.kind, action.token, action.amount) == ("transfer", ETH, 0)
    elif action.kind in ("transfer", "approve"):
        selector = TRANSFER if action.kind == "transfer" else APPROVE
        assert to != OTHER and data[:4] == selector
        who, amount = decode(["address", "uint256"], data[4:68])
        assert (action.counterparty.lower(), action.amount) == (who.lower(), amount)
    else:
        assert action.kind == "call" and action.token == ETH and action.amount == 0


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([TRANSFER, APPROVE]), addresses, amounts, st.binary(max_size=40))
def test_a_token_call_is_read_as_what_it_does(
    selector: bytes, who: str, amount: int, tail: bytes
) -> None:
    data = selector + encode(["address", "uint256"], [who, amount]) + tail
    action = _classify(USDC.address, data)
    assert action.kind == ("transfer" if selector == TRANSFER else "approve")
    assert (action.token, action.amount, action.counterparty.lower()) == (USDC, amount, who.lower())
    assert _classify(OTHER, data).kind == "call"  # the same bytes to an unknown contract
    sent = _classify(USDC.address, data, value=1)  # ETH sent along: not a plain token call
    assert sent.kind == "call" and sent.amount == 1


@settings(max_examples=100, deadline=None)
@given(addresses, st.integers(min_value=1, max_value=10**30), st.integers(0, 10**30))
def test_a_swap_names_the_recipient_its_bytes_carry(
    recipient: str, amount: int, step_amount: int
) -> None:
    """The amount is the explicit ``amountIn`` the router pulls once, whatever the steps say
    (they spend only the router's own balance)."""
    router = W3.eth.contract(address=ROUTER, abi=_router_abi())
    step = [0, OTHER, USDC.address, WETH.address, 30, 0, 0, "0x" + "00" * 20, step_amount]
    data = router.encode_abi(
        "swap", [[step, step], USDC.address, amount, WETH.address, 1, recipient, 2**40]
    )
    action = _classify(ROUTER, bytes.fromhex(data[2:]))
    assert action.kind == "swap" and action.token == USDC and action.amount == amount
    assert action.counterparty.lower() == recipient.lower()


def test_a_swap_it_cannot_account_for_is_a_plain_call() -> None:
    """Nothing pulled, one token for itself, or an unknown token: not read as a swap (the
    policy refuses a plain call to a contract the user did not list)."""
    router = W3.eth.contract(address=ROUTER, abi=_router_abi())
    step = [0, OTHER, USDC.address, WETH.address, 30, 0, 0, "0x" + "00" * 20, 0]
    me = "0x" + "11" * 20
    for sell, amount, buy in (
        (USDC.address, 0, WETH.address),
        (USDC.address, 5, USDC.address),
        (OTHER, 5, WETH.address),
    ):
        data = router.encode_abi("swap", [[step], sell, amount, buy, 1, me, 2**40])
        assert _classify(ROUTER, bytes.fromhex(data[2:])).kind == "call"


def _router_abi():  # type: ignore[no-untyped-def]
    from rexos.chain.artifacts import load_artifact

    return load_artifact("RexRouter").abi


def test_a_plain_value_transfer_is_a_transfer_of_eth() -> None:
    action = _classify(OTHER, b"", value=5)
    assert (action.kind, action.token, action.amount, action.counterparty) == (
        "transfer", ETH, 5, OTHER,
    )  # fmt: skip
